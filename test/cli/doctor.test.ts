import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listenLoopback, type Loopback } from '../helpers/loopback.js';
import { SOURCE_CONDITION } from '../helpers/source.js';
import { tempDir } from '../helpers/temp-dir.js';

const execFileP = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

interface Report {
  ok: boolean;
  checks: Array<{ name: string; status: string; detail: string; fix?: string }>;
}

/** `reelay doctor` as a child process with only the given settings. */
async function doctor(env: Record<string, string>, args = ['--json'], viaNpm = false): Promise<{ code: number; stdout: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(REELAY_|GEMINI_|SEGMIND_|DATABASE_URL|npm_|INIT_CWD)/i.test(k)));
  // viaNpm: the README's `npm run --silent reelay -- doctor` (the built CLI; built first if stale).
  const [file, argv] = viaNpm
    ? ['npm', ['run', '--silent', 'reelay', '--', 'doctor', ...args]]
    : [process.execPath, [SOURCE_CONDITION, '--import', 'tsx', 'src/cli/main.ts', 'doctor', ...args]];
  try {
    const { stdout } = await execFileP(file, argv, { cwd: ROOT, env: { ...clean, ...env }, timeout: 300_000 });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

// A stand-in for the Gemini API: the key "good" is accepted, any other refused, as Google does.
let google: Loopback;
beforeAll(async () => {
  google = await listenLoopback((req, res) => {
    const good = req.headers['x-goog-api-key'] === 'good' && req.url?.startsWith('/v1beta/models');
    res.writeHead(good ? 200 : 403, { 'content-type': 'application/json' }).end(good ? '{"models":[]}' : '{"error":{"code":403,"status":"PERMISSION_DENIED"}}');
  });
});
afterAll(() => google?.close());

it('a healthy installation passes every check and exits 0', { timeout: 240_000 }, async () => {
  const dir = await tempDir('reelay-doctor-');
  const { code, stdout } = await doctor({ REELAY_DATA_DIR: dir, GEMINI_API_KEY: 'good', REELAY_VEO_BASE_URL: google.url });
  const report = JSON.parse(stdout) as Report;
  expect(report.ok).toBe(true);
  expect(code).toBe(0);
  expect(report.checks.map((c) => c.name)).toEqual(['config', 'ffmpeg', 'ffprobe', 'data dir', 'store', 'blobs', 'engine veo']);
  expect(report.checks.every((c) => c.status === 'ok')).toBe(true);
  expect(report.checks.find((c) => c.name === 'engine veo')!.detail).toMatch(/reachable \(HTTP 200\)/);
});

it('says what is wrong and how to fix it, and exits 1', { timeout: 300_000 }, async () => {
  const dir = await tempDir('reelay-doctor-');
  const notADir = join(dir, 'file');
  await writeFile(notADir, 'x');
  const { code, stdout } = await doctor({
    REELAY_DATA_DIR: notADir,
    REELAY_FFMPEG: join(dir, 'no-ffmpeg'),
    GEMINI_API_KEY: 'bad',
    REELAY_VEO_BASE_URL: google.url,
  });
  expect(code).toBe(1);
  const report = JSON.parse(stdout) as Report;
  const by = Object.fromEntries(report.checks.map((c) => [c.name, c]));
  expect(by.ffmpeg).toMatchObject({ status: 'fail', detail: expect.stringMatching(/not found/), fix: expect.stringMatching(/REELAY_FFMPEG/) });
  expect(by['data dir']).toMatchObject({ status: 'fail', fix: expect.stringMatching(/REELAY_DATA_DIR/) });
  expect(by.store).toBeUndefined(); // not tried on a broken data dir
  expect(by['engine veo']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/answered 403/), fix: expect.stringMatching(/GEMINI_API_KEY/) });

  // The same as text, for people: one line per check and a fix under each failure.
  const text = await doctor({ REELAY_DATA_DIR: dir, GEMINI_API_KEY: 'good', REELAY_VEO_BASE_URL: 'http://127.0.0.1:1' }, [], true);
  expect(text.code).toBe(1);
  expect(text.stdout).toMatch(/^FAIL {2}engine veo {2}http:\/\/127\.0\.0\.1:1\/v1beta\/models unreachable: .*\n\s+fix: check the URL/m);
  expect(text.stdout).toMatch(/^ok {4}store /m);
  expect(text.stdout).toMatch(/Some checks failed/);
});

it('a bad setting is a failed config check, not a crash', { timeout: 240_000 }, async () => {
  const { code, stdout } = await doctor({ REELAY_PORT: 'eighty' });
  expect(code).toBe(1);
  expect((JSON.parse(stdout) as Report).checks[0]).toMatchObject({ name: 'config', status: 'fail', detail: expect.stringMatching(/"port"/) });
});
