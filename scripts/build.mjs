// Builds dist/ (the server) and packages/sdk/dist/ (the SDK) when their sources are newer, and
// only then. Plain JavaScript so it runs before anything is compiled.
//
// `node scripts/build.mjs`          build what is stale (npm's `prepare`, so `npm ci` builds once)
// `node scripts/build.mjs --force`  build both (`npm run build`)
//
// Safe beside running processes and concurrent starts: one builder at a time (a lock directory),
// and each tree is compiled into a fresh directory that replaces the old one by rename, so nobody
// ever loads a half-written module.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The two trees: what they are compiled from, where to, and a file every build rewrites. */
const PROJECTS = [
  { name: 'SDK', dir: 'packages/sdk', sources: ['src', 'tsconfig.json', 'package.json'], out: 'dist', marker: 'index.js' },
  // The web pages' bundles are built into the same fresh tree (dist/web), so they swap in with it.
  {
    name: 'server',
    dir: '.',
    sources: ['src', 'web', 'tsconfig.json', 'package.json'],
    out: 'dist',
    marker: 'src/cli/main.js',
    bin: 'src/cli/main.js',
    web: true,
  },
];

function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted source file changes its directory's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function builtAt(project) {
  try {
    return statSync(join(ROOT, project.dir, project.out, project.marker)).mtimeMs;
  } catch {
    return 0;
  }
}

export function isStale(project) {
  const built = builtAt(project);
  return built === 0 || project.sources.some((s) => newestMtime(join(ROOT, project.dir, s)) > built);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** mkdir is atomic: whoever creates the lock builds; the others wait for it, then re-check. */
async function withLock(work) {
  const lock = join(ROOT, '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // the owner is between mkdir and writing its pid
      }
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      else await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function compile(project) {
  const dir = join(ROOT, project.dir);
  const fresh = join(dir, `${project.out}.build-${process.pid}`);
  const old = join(dir, `${project.out}.old-${process.pid}`);
  const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  rmSync(fresh, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--outDir', fresh], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    rmSync(fresh, { recursive: true, force: true });
    throw new Error(`building the ${project.name} failed (tsc exit ${result.status ?? result.signal})`);
  }
  if (project.web) {
    const web = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'build.ts'), join(fresh, 'web')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (web.status !== 0) {
      rmSync(fresh, { recursive: true, force: true });
      throw new Error(`building the web pages failed (exit ${web.status ?? web.signal})`);
    }
  }
  if (project.bin) chmodSync(join(fresh, project.bin), 0o755); // the `reelay` bin links here
  const target = join(dir, project.out);
  let hadOld = true;
  try {
    renameSync(target, old);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
    hadOld = false;
  }
  renameSync(fresh, target);
  if (hadOld) rmSync(old, { recursive: true, force: true });
}

/** Builds the stale trees (all with `force`); the SDK first, since the server compiles against its types. */
export async function ensureBuilt({ force = false, quiet = false } = {}) {
  if (!force && !PROJECTS.some(isStale)) return [];
  return withLock(() => {
    const built = [];
    for (const project of PROJECTS) {
      if (!force && !isStale(project) && !built.length) continue;
      if (!quiet) process.stderr.write(`reelay: building the ${project.name} (sources changed since the last build)...\n`);
      const started = Date.now();
      compile(project);
      built.push(project.name);
      if (!quiet) process.stderr.write(`reelay: built the ${project.name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    return built;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await ensureBuilt({ force: process.argv.includes('--force') });
  } catch (err) {
    process.stderr.write(`reelay: ${err.message}\n`);
    process.exitCode = 1;
  }
}
