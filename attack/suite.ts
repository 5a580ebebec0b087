import { attackAuth } from './auth.js';
import { attackBurst } from './burst.js';
import { startCanary, startDecoy } from './decoys.js';
import { attackFuzz } from './fuzz.js';
import type { Memory } from './report.js';
import { attackSsrf } from './ssrf.js';
import { Tally } from './stats.js';
import { attackConfig, fixtureVideo, scratchDir, startChild, startInProcess, type Target } from './target.js';
import { buildWorld, samplePng } from './world.js';

export interface AttackOptions {
  seed: number;
  /** Fuzz requests over all routes and classes. */
  fuzz: number;
  /** Submits in the kill -9 burst; 0 skips it. */
  burst: number;
  /** `child`: a real process, RSS from /proc. `inproc`: faster to start, RSS not measurable. */
  mode: 'child' | 'inproc';
  /** Include 21 MB payloads (full runs). */
  big: boolean;
  parallel: number;
  /** The npm test slice: fewer accepted SSRF submits, a shorter settle (see attackSsrf). */
  lean?: boolean;
  log?: (line: string) => void;
}

export interface AttackResult {
  tally: Tally;
  mem: Memory;
  seconds: number;
}

/** Waits until the server has no unfinished work, so late webhook deliveries and memory settle before judging. */
async function settle(target: Target, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const res = await fetch(`${target.url}/readyz`).catch(() => null);
    if (res?.ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, Math.min(ms, 3_000)));
}

export async function runAttack(opts: AttackOptions): Promise<AttackResult> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const tally = new Tally();
  const scratch = await scratchDir();
  const png = await samplePng();
  const [canary, decoy] = await Promise.all([startCanary(), startDecoy(png)]);
  const mem: Memory = { base: null, peak: null, end: null };
  try {
    const config = attackConfig(scratch.dir, await fixtureVideo(scratch.dir), decoy.port);
    const target = await (opts.mode === 'child' ? startChild : startInProcess)(scratch.dir, config);
    const sampler = setInterval(() => {
      const rss = target.rss();
      if (rss !== null) mem.peak = Math.max(mem.peak ?? 0, rss);
    }, 100);
    try {
      log(`server up at ${target.url}; building accounts`);
      const world = await buildWorld(target, png);
      // Base after warm-up (accounts made, one image decoded, one video served): cold start is not the baseline.
      mem.base = target.rss();
      log(`auth matrix`);
      await attackAuth(target, world, tally);
      log(`ssrf (canary :${canary.port}, decoy :${decoy.port})`);
      await attackSsrf(target, world, tally, canary, decoy, opts.lean);
      log(`fuzz: ${opts.fuzz} requests, seed ${opts.seed}`);
      await attackFuzz(target, world, tally, { seed: opts.seed, count: opts.fuzz, parallel: opts.parallel, big: opts.big });
      await settle(target, opts.lean ? 1_500 : 10_000);
      mem.end = target.rss();
    } finally {
      clearInterval(sampler);
      await target.stop();
    }
    tally.ssrfHits = canary.hits();
    for (const p of canary.paths) tally.add('SSRF hit', 'ssrf', p);
    if (opts.burst > 0) {
      log(`burst: ${opts.burst} submits, kill -9 half-way, restart`);
      await attackBurst(scratch.dir, config, png, tally, opts.burst);
    }
  } finally {
    await Promise.all([canary.close(), decoy.close()]);
    await scratch.remove();
  }
  return { tally, mem, seconds: (Date.now() - started) / 1000 };
}
