import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fakeVideo } from '../fakes/video.js';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, submit, waitFinished, type TestServer } from '../helpers/server.js';
import { SOURCE_CONDITION } from '../helpers/source.js';

const execFileP = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const MODEL = 'veo-2-image2video';

let dir: string;
let server: TestServer;
let restored: TestServer | undefined;
let image: string;

async function reelay(args: string[], env: Record<string, string>, viaNpm = false): Promise<{ code: number; stdout: string; stderr: string }> {
  // viaNpm: the README's form, `npm run --silent reelay -- ...`, typed in `dir` (paths relative to it).
  const [file, argv, cwd] = viaNpm
    ? ['npm', ['--prefix', ROOT, 'run', '--silent', 'reelay', '--', ...args], dir]
    : [process.execPath, [SOURCE_CONDITION, '--import', 'tsx', 'src/cli/main.ts', ...args], ROOT];
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$/i.test(k)));
  try {
    const { stdout, stderr } = await execFileP(file, argv, { cwd, env: { ...clean, REELAY_LOG_LEVEL: 'silent', ...env }, timeout: 300_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  // `npm run reelay` runs the built CLI; build it now (a no-op on a built tree), not during the load.
  await execFileP(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, timeout: 300_000 });
  dir = await mkdtemp(join(tmpdir(), 'reelay-backup-'));
  await writeFile(join(dir, 'fixture.mp4'), await fakeVideo());
  image = await sampleDataUri(32, 18);
  // The replay engine: real MP4 outputs at once, so the load is submits and completions, not CPU.
  server = await startTestServer({
    models: { [MODEL]: { engine: 'replay' } },
    replay: { video: join(dir, 'fixture.mp4'), delay: 50 },
    limits: { submitPerMinute: 10_000, maxInflight: 1000 },
    worker: { concurrency: 4 },
  });
}, 300_000);
afterAll(async () => {
  await server?.stop();
  await restored?.stop();
  await rm(dir, { recursive: true, force: true });
});

const submitOne = async (): Promise<string> =>
  ((await (await submit(server, `/v2/${MODEL}`, { image, duration: 5 })).json()) as { request_id: string }).request_id;

it('backs up while serving under load; a restore into a fresh data dir has every finished result and video', { timeout: 240_000 }, async () => {
  const finished: string[] = [];
  for (const id of await Promise.all(Array.from({ length: 3 }, submitOne))) {
    expect((await waitFinished(server, id)).status).toBe('COMPLETED');
    finished.push(id);
  }
  const videos = new Map<string, Buffer>();
  for (const id of finished) {
    const result = (await (await server.call(`/v2/requests/${id}`)).json()) as { output: string };
    videos.set(id, Buffer.from(await (await fetch(result.output)).arrayBuffer()));
  }

  // Load during the backup: submits keep arriving and the worker keeps completing them.
  let stop = false;
  const load = (async () => {
    let n = 0;
    while (!stop && n < 500) {
      await submitOne();
      n++;
    }
    return n;
  })();
  const file = join(dir, 'reelay-backup.tar');
  const backup = await reelay(['backup', 'reelay-backup.tar', '--json'], { REELAY_DATA_DIR: server.dataDir }, true);
  stop = true;
  expect(await load).toBeGreaterThan(0);
  expect(backup.code, backup.stderr).toBe(0);
  expect(JSON.parse(backup.stdout)).toMatchObject({ file, blobs: expect.any(Number), bytes: expect.any(Number) });

  const fresh = join(dir, 'restored');
  const restore = await reelay(['restore', 'reelay-backup.tar', '--json'], { REELAY_DATA_DIR: fresh }, true);
  expect(restore.code, restore.stderr).toBe(0);
  expect(JSON.parse(restore.stdout)).toMatchObject({ dataDir: fresh });
  expect(await readdir(fresh)).toEqual(expect.arrayContaining(['reelay.db', 'blobs']));

  restored = await startTestServer({
    dataDir: fresh,
    worker: { enabled: false },
    models: { [MODEL]: { engine: 'replay' } },
    replay: { video: join(dir, 'fixture.mp4') },
  });
  for (const id of finished) {
    const res = await restored.call(`/v2/requests/${id}`);
    expect(res.status).toBe(200);
    const result = (await res.json()) as { status: string; output: string };
    expect(result.status).toBe('COMPLETED');
    const url = new URL(result.output);
    const video = await fetch(`${restored.url}${url.pathname}${url.search}`);
    expect(video.status).toBe(200);
    expect(Buffer.from(await video.arrayBuffer()).equals(videos.get(id)!)).toBe(true);
  }

  // Restoring over a data dir that holds a database needs --force.
  const again = await reelay(['restore', file], { REELAY_DATA_DIR: fresh });
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^reelay: restore failed: .*already holds a Reelay database.*--force/);
});

it('refuses what it cannot do, with a hint', { timeout: 240_000 }, async () => {
  const notBackup = join(dir, 'not-a-backup.tar');
  await writeFile(notBackup, Buffer.alloc(2048, 1));
  const bad = await reelay(['restore', notBackup], { REELAY_DATA_DIR: join(dir, 'empty') });
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^reelay: restore failed: .*not a Reelay backup.*\nStop the server/);
  const missing = await reelay(['backup'], { REELAY_DATA_DIR: server.dataDir });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toBe('reelay: missing FILE\nRun "reelay backup --help" for its usage.\n');
  const pg = await reelay(['backup', join(dir, 'x.tar')], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
  expect(pg.code).toBe(1);
  expect(pg.stderr).toMatch(/embedded store.*PostgreSQL\n.*pg_dump/);
});
