import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/loopback.js';
import { samplePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';

const execFileP = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/src/cli/main.js');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<Outcome> {
  // A clean npm environment, as in a user's shell: no npm_* variables of the `npm test` around us.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$/i.test(k)));
  try {
    const { stdout, stderr } = await execFileP(file, args, { cwd: opts.cwd, env: { ...env, REELAY_LOG_LEVEL: 'warn', ...opts.env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let server: TestServer;
let prefix: string;
let builtAt: number;

beforeAll(async () => {
  // What `npm ci` did on a fresh clone (`prepare`); a no-op on a built tree.
  await execFileP(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, timeout: 300_000 });
  builtAt = (await stat(MAIN)).mtimeMs;
  server = await startTestServer();
  // Under the checkout (in the git-ignored .test-tmp/), so `npm run` from a folder in it finds the package.
  await mkdir(join(ROOT, '.test-tmp'), { recursive: true });
  prefix = await mkdtemp(join(ROOT, '.test-tmp/install-'));
}, 300_000);
afterAll(async () => {
  await server?.stop();
  if (prefix) await rm(prefix, { recursive: true, force: true });
});

describe('reelay on the PATH (npm install -g <checkout>)', () => {
  let reelay: string;
  beforeAll(async () => {
    const r = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', ROOT], { cwd: prefix });
    expect(r.code, r.stderr).toBe(0);
    reelay = join(prefix, 'bin/reelay');
  }, 240_000);

  it('runs, with per-command help, one-line errors and --json', { timeout: 240_000 }, async () => {
    const dir = await tempDir('reelay-bin-');
    const help = await run(reelay, ['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: reelay <command>/);
    for (const command of ['migrate', 'worker']) {
      const page = await run(reelay, [command, '--help'], { cwd: dir });
      expect(page.stdout).toMatch(new RegExp(`^Usage: reelay ${command}`));
    }
    const migrated = await run(reelay, ['migrate', '--json'], { cwd: dir, env: { REELAY_DATA_DIR: 'data' } });
    expect(JSON.parse(migrated.stdout)).toEqual({ status: 'up_to_date', database: 'sqlite' });
    expect((await stat(join(dir, 'data/reelay.db'))).isFile()).toBe(true);

    const unknown = await run(reelay, ['frobnicate'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('reelay: unknown command "frobnicate"\nRun "reelay --help" to see the commands.\n');
    const down = await run(reelay, ['status', 'abc', '--json', '--server', `http://127.0.0.1:${await closedPort()}`, '--key', 'k'], { cwd: dir });
    expect(down.code).toBe(1);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toMatch(/^reelay: .*127\.0\.0\.1/);
    const badSetting = await run(reelay, ['migrate', '--json'], { cwd: dir, env: { REELAY_RETENTION: 'soon' } });
    expect(badSetting.code).toBe(2);
    expect(badSetting.stderr).toMatch(/^reelay: invalid config value for "retention".*\nFix the setting/);
    expect(JSON.parse(badSetting.stdout)).toMatchObject({ error: expect.stringMatching(/retention/) });
  });

  it('generate, as the README shows it: the image and the video relative to the working directory', { timeout: 240_000 }, async () => {
    const dir = await tempDir('reelay-bin-');
    await writeFile(join(dir, 'photo.png'), await samplePng());
    const env = { REELAY_SERVER: server.url, REELAY_API_KEY: server.key };
    const r = await run(reelay, ['generate', 'photo.png', '--prompt', 'slow zoom in', '--duration', '5', '--out', 'video.mp4'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Saved video\.mp4 \(request \S+, seed \d+, engine motion\)\n$/);
    expect((await stat(join(dir, 'video.mp4'))).size).toBeGreaterThan(1000);
  });

  it('admin commands answer one line of JSON with --json, a new key included', { timeout: 240_000 }, async () => {
    const dir = await tempDir('reelay-bin-');
    const env = { REELAY_DATA_DIR: 'data' };
    const account = await run(reelay, ['accounts', 'create', 'acme', '--json'], { cwd: dir, env });
    expect(account.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(account.stdout)).toMatchObject({ name: 'acme', balance: 0 });
    const r = await run(reelay, ['keys', 'create', '--account', 'acme', '--label', 'ci', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ key: expect.stringMatching(/^rl_/), label: 'ci', scopes: ['generate', 'read'] });
  });
});

describe('npm run --silent reelay (the README form)', () => {
  it('reads and writes paths relative to the directory it is run from, with nothing but the answer on stdout', { timeout: 240_000 }, async () => {
    // A directory inside the checkout: npm moves to the package root, INIT_CWD keeps this one.
    const dir = await mkdtemp(join(prefix, 'work-'));
    await writeFile(join(dir, 'photo.png'), await samplePng());
    const env = { REELAY_SERVER: server.url, REELAY_API_KEY: server.key };
    const r = await run('npm', ['run', '--silent', 'reelay', '--', 'generate', 'photo.png', '--out', 'video.mp4', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'COMPLETED', file: 'video.mp4' });
    expect((await stat(join(dir, 'video.mp4'))).size).toBeGreaterThan(1000);
    await expect(stat(join(ROOT, 'video.mp4'))).rejects.toThrow();
  });
});

describe('npm start on a built tree', () => {
  it('does not rebuild, and two starts at once both come up', { timeout: 240_000 }, async () => {
    const start = async () => {
      const dataDir = await tempDir('reelay-start-');
      const port = await closedPort();
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$/i.test(k)));
      const child = spawn('npm', ['start', '--silent', '--', '--json'], {
        cwd: ROOT,
        env: { ...env, REELAY_DATA_DIR: dataDir, REELAY_PORT: String(port), REELAY_HOST: '127.0.0.1', REELAY_LOG_LEVEL: 'warn' },
        detached: true, // its own process group: npm and the server it runs stop together
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const line = await new Promise<string>((done, fail) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('\n')) done(stdout);
        });
        child.once('exit', (code) => fail(new Error(`npm start exited ${code}: ${stderr}`)));
      });
      const exited = new Promise((done) => child.once('exit', done));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
      return { ready: JSON.parse(line) as { status: string; url: string; admin_key?: string }, stderr };
    };
    const [a, b] = await Promise.all([start(), start()]);
    for (const s of [a, b]) {
      expect(s.ready).toMatchObject({ status: 'listening', admin_key: expect.stringMatching(/^rl_/) });
      expect(s.stderr).not.toMatch(/building/);
    }
    expect((await stat(MAIN)).mtimeMs).toBe(builtAt);
  });
});
