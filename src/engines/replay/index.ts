import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError, type Engine } from '../engine.js';

export interface ReplayOptions {
  /** An MP4 to answer every request with (for example one rendered earlier by `motion`). */
  videoPath: string;
  /** How long each request takes, in ms: a stand-in for a remote engine's fixed latency. */
  delayMs: number;
}

/**
 * The `replay` engine answers every request with the same pre-rendered video after a fixed
 * delay. It exists for load tests and CI of the queue itself (many requests, real processes,
 * no render cost), and says so: results name `engine: "replay"`.
 */
export function createReplayEngine(opts: ReplayOptions): Engine {
  return {
    name: 'replay',
    async run(job, ctx) {
      const steps = opts.delayMs >= 200 ? 10 : 1;
      for (let i = 1; i <= steps; i++) {
        await sleep(opts.delayMs / steps, undefined, { signal: ctx.signal });
        ctx.progress((i / steps) * 100);
      }
      const videoPath = join(job.workDir, 'output.mp4');
      try {
        await copyFile(opts.videoPath, videoPath);
      } catch (err) {
        throw new EngineError('engine_error', `replay video ${opts.videoPath} is not readable: ${(err as Error).message}`, { cause: err });
      }
      return { videoPath, contentType: 'video/mp4' };
    },
  };
}
