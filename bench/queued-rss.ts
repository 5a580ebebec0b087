import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { closedPort } from '../test/helpers/loopback.js';
import { load, table } from './lib.js';

const KEY = 'rl_bench_admin_key_00000000000000000';
const MODEL = 'veo-2-image2video';
const QUEUED = 1000;
const IMAGE_BYTES = 5 * 1024 * 1024;
const CLIENTS = 8;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A JPEG of noise (the worst case for a compressor) of about `bytes`, as a data URI. */
async function jpegOfAbout(bytes: number): Promise<{ uri: string; size: number; width: number; height: number }> {
  const make = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
  const probe = await make(1000, 750);
  const scale = Math.sqrt(bytes / probe.length);
  const [width, height] = [Math.round(1000 * scale), Math.round(750 * scale)];
  const image = await make(width, height);
  return { uri: `data:image/jpeg;base64,${image.toString('base64')}`, size: image.length, width, height };
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function untilHealthy(url: string, exited: () => boolean): Promise<void> {
  for (;;) {
    if (exited()) throw new Error('the bench server exited before answering /healthz');
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * RSS of a server process (the built CLI, `reelay serve`, worker off so nothing is taken off the
 * queue) while 1,000 requests with 5 MB images are submitted and once they sit queued. The
 * images go to the blob store at submit; none should stay in the process.
 */
export async function queuedRssBench(): Promise<void> {
  const image = await jpegOfAbout(IMAGE_BYTES);
  const dataDir = await mkdtemp(join(tmpdir(), 'reelay-bench-rss-'));
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'serve'], {
    env: {
      ...process.env,
      REELAY_HOST: '127.0.0.1',
      REELAY_PORT: String(port),
      REELAY_DATA_DIR: dataDir,
      REELAY_BOOTSTRAP_KEY: KEY,
      REELAY_BOOTSTRAP_CREDITS: '1000000000',
      REELAY_WORKER: 'false',
      REELAY_LOG_LEVEL: 'warn',
      REELAY_SUBMIT_PER_MINUTE: '10000000',
      REELAY_MAX_INFLIGHT: '10000000',
      // As `npm start` runs it (README, Memory).
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await untilHealthy(url, () => server.exitCode !== null);
    const pid = server.pid!;
    const atStart = memoryOf(pid).rss;
    const started = performance.now();
    const result = await load({
      url: `${url}/v2/${MODEL}`,
      method: 'POST',
      body: JSON.stringify({ image: image.uri }),
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      concurrency: CLIENTS,
      seconds: 3600,
      total: QUEUED,
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.count !== QUEUED) throw new Error(`RSS bench: ${result.count} of ${QUEUED} submits answered 200 (${result.errors} errors)`);
    const afterBurst = memoryOf(pid);
    // The server collects garbage once it has been quiet for 2 s (src/api/idle-gc.ts).
    await new Promise((r) => setTimeout(r, 4_000));
    const atRest = memoryOf(pid).rss;
    console.log(
      `\nServer RSS with ${QUEUED} queued requests of ${(image.size / 1024 / 1024).toFixed(1)} MB images (${image.width}×${image.height} JPEG, data URI; ` +
        `reelay serve from dist/ with MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '2'}, worker off; ${CLIENTS} clients, ${(QUEUED / seconds).toFixed(0)} submits/s)`,
    );
    table([
      { when: 'started, nothing queued', 'RSS MB': atStart.toFixed(0), goal: '' },
      { when: `right after the ${QUEUED}th 200`, 'RSS MB': afterBurst.rss.toFixed(0), goal: '' },
      { when: `peak while submitting (VmHWM)`, 'RSS MB': afterBurst.peak.toFixed(0), goal: '< 300 MB' },
      { when: `${QUEUED} queued, 4 s quiet`, 'RSS MB': atRest.toFixed(0), goal: '< 300 MB' },
    ]);
  } finally {
    server.kill('SIGKILL');
    await new Promise((r) => (server.exitCode !== null ? r(undefined) : server.once('exit', r)));
    await rm(dataDir, { recursive: true, force: true });
  }
}
