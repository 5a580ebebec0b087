import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { ffmpegPath } from '../src/media/binaries.js';
import { startServer } from '../src/server.js';
import { spawnServer, type ChildServer } from '../test/helpers/child-server.js';

export const MODEL = 'veo-2-image2video';
export const ADMIN_KEY = 'rl_attack_admin_key_0123456789abcdef';
export const METRICS_TOKEN = 'rl_attack_metrics_token_0123456789';

/** The server under attack, wherever it runs. */
export interface Target {
  url: string;
  port: number;
  dir: string;
  /** Resident set size in bytes, or null when it cannot be told apart from the attacker's own. */
  rss(): number | null;
  /** The child, for kill -9; absent in-process. */
  child?: ChildServer;
  stop(): Promise<void>;
}

/** A tiny real MP4 for the `replay` engine, so accepted requests finish in milliseconds without rendering. */
export async function fixtureVideo(dir: string): Promise<string> {
  const out = join(dir, 'fixture.mp4');
  const args = ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=128x72:d=1:r=24', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-an', '-y', out];
  await promisify(execFile)(ffmpegPath(), args);
  return out;
}

/** The config the attack runs against: replay engine, tight fetch timeouts, loose rate limits, the decoy's exact port allowed. */
export function attackConfig(dir: string, video: string, decoyPort: number): Record<string, unknown> {
  const allow = [`127.0.0.1:${decoyPort}`];
  return {
    dataDir: join(dir, 'data'),
    bootstrapKey: ADMIN_KEY,
    metricsToken: METRICS_TOKEN,
    // Short, so drip and endless bodies from the decoy cost seconds, not the default 15 s each.
    image: { allowList: allow, fetchTimeout: 2_000 },
    webhooks: { allowList: allow, timeout: 2_000, pollInterval: 200 },
    limits: { submitPerMinute: 1_000_000, pollPerMinute: 1_000_000, maxInflight: 1_000_000 },
    worker: { concurrency: 4, pollInterval: 100, lease: 3_000, heartbeat: 500, shutdownGrace: 2_000 },
    syncTimeout: 10_000,
    sweepInterval: 1_000,
    models: { [MODEL]: { engine: 'replay', price: { perSecond: 1, perRequest: 0 } } },
    replay: { video, delay: 30 },
  };
}

function vmRss(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Spawns `reelay serve` from source on the config (written to a file, as an operator would). */
export async function startChild(dir: string, config: Record<string, unknown>): Promise<Target> {
  const file = join(dir, 'reelay.config.json');
  await writeFile(file, JSON.stringify(config));
  // As `npm start` runs it (see README, "Memory"): glibc arenas capped, so freed memory is reused.
  const child = await spawnServer({ REELAY_CONFIG: file, REELAY_LOG_LEVEL: 'error', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' });
  return {
    url: child.url,
    port: Number(new URL(child.url).port),
    dir,
    child,
    rss: () => (child.proc.pid ? vmRss(child.proc.pid) : null),
    async stop() {
      if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGTERM');
      await child.exited;
    },
  };
}

/** The same server in this process: faster to start (the slice), but its RSS includes the attacker's. */
export async function startInProcess(dir: string, config: Record<string, unknown>): Promise<Target> {
  const server = await startServer(parseConfig({ ...config, host: '127.0.0.1', port: 0, logLevel: 'silent' }), silentLogger());
  return {
    url: server.url,
    port: Number(new URL(server.url).port),
    dir,
    rss: () => null,
    stop: () => server.close(),
  };
}

export async function scratchDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'reelay-attack-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
