import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { EngineContext, EngineJob } from '../../src/engines/engine.js';
import type { VideoParams } from '../../src/core/types.js';
import { silentLogger } from '../../src/logger.js';

/** An engine job as the worker would hand it over: a small real PNG, a private temp work dir. */
export async function makeJob(params: Partial<VideoParams> = {}, model = 'veo-2-image2video'): Promise<EngineJob> {
  const png = await sharp({ create: { width: 64, height: 36, channels: 3, background: { r: 200, g: 60, b: 20 } } })
    .png()
    .toBuffer();
  return {
    requestId: `req-${Math.random().toString(36).slice(2, 10)}`,
    model,
    params: { prompt: 'a red square drifts', duration: 6, aspect_ratio: '16:9', seed: 12345, ...params },
    image: { bytes: png, mime: 'image/png' },
    workDir: await mkdtemp(join(tmpdir(), 'reelay-engine-test-')),
  };
}

export interface TestContext extends EngineContext {
  controller: AbortController;
  reported: number[];
  deadline?: number;
}

/** A worker-like context that records progress and can be aborted (cancel / deadline). */
export function makeContext(): TestContext {
  const controller = new AbortController();
  const reported: number[] = [];
  return { controller, reported, signal: controller.signal, progress: (p) => reported.push(p), log: silentLogger() };
}

export async function cleanup(job: EngineJob): Promise<void> {
  await rm(job.workDir, { recursive: true, force: true });
}

/** Settles a promise, returning the rejection (or failing if it resolved). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; retryable?: boolean }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string; retryable?: boolean };
  }
  throw new Error('expected the promise to reject');
}

/** Fast schedules for tests: real code paths, millisecond waits. */
export const FAST = {
  retry: { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 6, budgetMs: 1_500 },
  poll: { initialMs: 30, maxMs: 60, factor: 1.5 },
  typicalMs: 200,
};
