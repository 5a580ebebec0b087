import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/loopback.js';
import { probeStart, type StartTiming } from '../helpers/start-probe.js';
import { tempDir } from '../helpers/temp-dir.js';

const execFileP = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const RECORDER = join(ROOT, 'test/helpers/import-recorder.mjs');

/** Packages only a configured engine, blob store or database needs. */
const HEAVY = ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner', '@google/genai', 'google-auth-library', 'pg', 'ws'];

/** `node scripts/start.mjs serve` (what `npm start` runs) on the built tree, with every import recorded. */
async function start(env: Record<string, string>): Promise<StartTiming & { packages: Set<string> }> {
  const dir = await tempDir('reelay-start-time-');
  const log = join(dir, 'imports.log');
  const timing = await probeStart(['--import', RECORDER, join(ROOT, 'scripts/start.mjs'), 'serve', '--json'], {
    REELAY_DATA_DIR: join(dir, 'data'),
    REELAY_IMPORT_LOG: log,
    ...env,
  });
  const urls = (await readFile(log, 'utf8')).split('\n');
  const packages = new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  return { ...timing, packages };
}

beforeAll(async () => {
  // What `npm ci` did (`prepare`); a no-op on a built tree.
  await execFileP(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, timeout: 300_000 });
}, 300_000);

describe('start on a built tree', () => {
  it('answers /healthz without loading the packages of engines and stores it does not use', async () => {
    const s = await start({});
    expect(JSON.parse(s.output.split('\n')[0]!)).toMatchObject({ status: 'listening', role: 'serve' });
    // The recorder saw the start: the embedded store's packages are there.
    expect(s.packages).toContain('better-sqlite3');
    expect(s.packages).toContain('kysely');
    for (const pkg of HEAVY) expect(s.packages, pkg).not.toContain(pkg);
    // Today about 0.8 s of CPU; the bound catches a start that does several times the work (it is
    // CPU time, not wall time, so a loaded machine stretches it only a little).
    expect(s.cpuMs).toBeLessThan(4_000);
  });

  it('loads them when configured: Veo (Gemini API) and the S3 blob store', async () => {
    const nowhere = `http://127.0.0.1:${await closedPort()}`;
    const s = await start({
      GEMINI_API_KEY: 'test-key-not-used',
      REELAY_VEO_BASE_URL: nowhere,
      REELAY_S3_BUCKET: 'reelay-start',
      REELAY_S3_ENDPOINT: nowhere,
      REELAY_S3_FORCE_PATH_STYLE: 'true',
      REELAY_S3_ACCESS_KEY_ID: 'x',
      REELAY_S3_SECRET_ACCESS_KEY: 'y',
    });
    expect(s.packages).toContain('@google/genai');
    expect(s.packages).toContain('@aws-sdk/client-s3');
    expect(s.packages).not.toContain('pg');
  });
});

describe('npm start', () => {
  it('stops the server when npm alone is sent SIGTERM (a supervisor that signals only its child)', { timeout: 240_000 }, async () => {
    const dir = await tempDir('reelay-npm-start-');
    const port = String(await closedPort());
    const healthz = () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, REELAY_HOST: '127.0.0.1', REELAY_PORT: port, REELAY_DATA_DIR: join(dir, 'data'), REELAY_LOG_LEVEL: 'warn' },
      stdio: 'ignore',
      detached: true, // its own group, so whatever is left can be cleaned up below
    });
    try {
      // No deadline but the test's own: a start takes seconds on a loaded machine.
      while (!(await healthz())) await new Promise((r) => setTimeout(r, 50));
      const npmExited = new Promise<void>((r) => npm.once('exit', () => r()));
      npm.kill('SIGTERM');
      await npmExited;
      // The server got the signal too (npm forwards it; `exec` in the script makes the server that
      // child instead of a shell that would not pass it on) and shuts down gracefully.
      while (await healthz()) await new Promise((r) => setTimeout(r, 50));
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // nothing of the group is left
      }
    }
  });
});
