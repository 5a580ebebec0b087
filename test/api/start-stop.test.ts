import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from '../helpers/child-server.js';
import { sampleDataUri } from '../helpers/png.js';
import { SOURCE_CONDITION } from '../helpers/source.js';

/**
 * Starting and stopping a server process: what it does to the queue. systemd's default stop (KillMode=control-group) and a terminal's Ctrl-C signal the whole process
 * group, not just Reelay. A render's ffmpeg must not die with the group: the request finishes
 * within the shutdown grace, or goes back to the queue, and is never FAILED by the stop.
 */
const KEY = 'rl_group_signal_key_0123456789abcd';
let dataDir: string | undefined;
let children: ChildServer[] = [];

afterEach(async () => {
  for (const child of children) if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  children = [];
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(extra: Record<string, string> = {}): Promise<ChildServer> {
  dataDir ??= await mkdtemp(join(tmpdir(), 'reelay-group-'));
  const child = await spawnServer({ REELAY_DATA_DIR: dataDir, REELAY_BOOTSTRAP_KEY: KEY, REELAY_WORKER_CONCURRENCY: '1', ...extra }, 'serve', {
    ownGroup: true,
  });
  children.push(child);
  return child;
}

async function submit(child: ChildServer, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${child.url}/v2/veo-2-image2video`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ image: await sampleDataUri(640, 360), seed: 7, duration: 8, prompt: 'slow zoom in', ...fields }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { request_id: string }).request_id;
}

async function status(child: ChildServer, id: string): Promise<{ status: string; progress?: number; code?: string; error?: string }> {
  return (await (await fetch(`${child.url}/v2/requests/${id}/status`, { headers: { 'x-api-key': KEY } })).json()) as never;
}

describe('a signal to the whole process group', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} mid-render: the request completes (here, within the grace, or after a restart), never FAILED`, async () => {
      const first = await start();
      const id = await submit(first);
      await midRender(first, id);
      process.kill(-first.proc.pid!, signal);
      expect(await first.exited).toBe(0);

      const second = await start();
      expect(await finished(second, id)).toMatchObject({ status: 'COMPLETED' });
    });
  }
});

/** Waits until frames are flowing into ffmpeg. */
async function midRender(child: ChildServer, id: string): Promise<void> {
  for (let s = await status(child, id); !(s.status === 'PROCESSING' && (s.progress ?? 0) > 0); s = await status(child, id)) {
    expect(s.status).not.toBe('COMPLETED'); // too fast to test mid-render: make the video longer
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function finished(child: ChildServer, id: string): Promise<{ status: string }> {
  let s = await status(child, id);
  while (s.status !== 'COMPLETED' && s.status !== 'FAILED') {
    await new Promise((r) => setTimeout(r, 100));
    s = await status(child, id);
  }
  return s;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `reelay serve` to its end; for starts that are expected to fail. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [SOURCE_CONDITION, '--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, REELAY_HOST: '127.0.0.1', REELAY_LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('start-up', () => {
  it('a second serve on a taken port fails in one line, exit 1, without claiming queued work', async () => {
    const first = await start({ REELAY_WORKER: 'false' }); // nothing claims: the request stays QUEUED
    const id = await submit(first);
    const second = await runToExit({ REELAY_DATA_DIR: dataDir!, REELAY_BOOTSTRAP_KEY: KEY, REELAY_PORT: new URL(first.url).port });
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^reelay: port 127\.0\.0\.1:\d+ is already in use; .*REELAY_PORT/)]);
    const db = new Database(join(dataDir!, 'reelay.db'), { readonly: true });
    try {
      expect(db.prepare('select status, attempts, lease_owner from requests where id = ?').get(id)).toEqual({
        status: 'QUEUED',
        attempts: 0,
        lease_owner: null,
      });
    } finally {
      db.close();
    }
  });

  it('work directories of killed renders are swept at the next start; live and foreign ones are kept', async () => {
    // A short lease, so the restarted server takes the killed render over soon.
    const lease = { REELAY_LEASE: '2000', REELAY_HEARTBEAT: '400' };
    const first = await start(lease);
    const id = await submit(first);
    await midRender(first, id);
    const work = join(dataDir!, 'work');
    const [killed] = await readdir(work);
    expect(killed).toMatch(new RegExp(`_${first.proc.pid}_${id}-`));
    first.proc.kill('SIGKILL');
    await first.exited;
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, '-');
    const alive = `${host}_${process.pid}_someone-else-XXXXXX`; // this test process: alive, not the server's
    const foreign = `other-machine_1_x-XXXXXX`;
    for (const name of [alive, foreign]) await mkdir(join(work, name));

    const second = await start(lease);
    expect(await finished(second, id)).toMatchObject({ status: 'COMPLETED' });
    expect((await readdir(work)).sort()).toEqual([alive, foreign].sort());
  });
});
