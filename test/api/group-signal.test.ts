import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from '../helpers/child-server.js';
import { sampleDataUri } from '../helpers/png.js';

/**
 * systemd's default stop (KillMode=control-group) and a terminal's Ctrl-C signal the whole process
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

async function start(): Promise<ChildServer> {
  dataDir ??= await mkdtemp(join(tmpdir(), 'reelay-group-'));
  const child = await spawnServer({ REELAY_DATA_DIR: dataDir, REELAY_BOOTSTRAP_KEY: KEY, REELAY_WORKER_CONCURRENCY: '1' }, 'serve', { ownGroup: true });
  children.push(child);
  return child;
}

async function status(child: ChildServer, id: string): Promise<{ status: string; progress?: number; code?: string; error?: string }> {
  return (await (await fetch(`${child.url}/v2/requests/${id}/status`, { headers: { 'x-api-key': KEY } })).json()) as never;
}

describe('a signal to the whole process group', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} mid-render: the request completes (here, within the grace, or after a restart), never FAILED`, async () => {
      const first = await start();
      const res = await fetch(`${first.url}/v2/veo-2-image2video`, {
        method: 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ image: await sampleDataUri(640, 360), seed: 7, duration: 8, prompt: 'slow zoom in' }),
      });
      expect(res.status).toBe(200);
      const { request_id: id } = (await res.json()) as { request_id: string };
      // Mid-render: frames are flowing into ffmpeg.
      for (let s = await status(first, id); !(s.status === 'PROCESSING' && (s.progress ?? 0) > 0); s = await status(first, id)) {
        expect(s.status).not.toBe('COMPLETED'); // too fast to test mid-render: make the video longer
        await new Promise((r) => setTimeout(r, 20));
      }
      process.kill(-first.proc.pid!, signal);
      expect(await first.exited).toBe(0);

      const second = await start();
      let s = await status(second, id);
      while (s.status !== 'COMPLETED' && s.status !== 'FAILED') {
        await new Promise((r) => setTimeout(r, 100));
        s = await status(second, id);
      }
      expect(s).toMatchObject({ status: 'COMPLETED' });
    });
  }
});
