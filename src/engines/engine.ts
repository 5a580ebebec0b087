import type { Logger } from '../logger.js';
import type { VideoParams } from '../core/types.js';

/** What an engine is asked to render. The input image has been validated and decoded once at submit. */
export interface EngineJob {
  requestId: string;
  model: string;
  params: VideoParams;
  image: { bytes: Buffer; mime: string };
  /** A private, empty directory for this attempt; removed by the worker afterwards. */
  workDir: string;
}

export interface EngineContext {
  /** Fires when the work must stop (shutdown past the grace period, lost lease, cancel). */
  signal: AbortSignal;
  /** Reports progress 0..100; values that go backwards are ignored by the worker. */
  progress(percent: number): void;
  log: Logger;
  /** When the attempt will be aborted (epoch ms), so an engine never starts a retry wait it cannot finish. */
  deadline?: number;
}

export interface EngineResult {
  /** Path of the finished MP4 inside `job.workDir`. */
  videoPath: string;
  contentType: 'video/mp4';
  /** False when the engine could not apply the client's seed (Veo through the Gemini API has none). */
  seedHonoured?: boolean;
}

export interface Engine {
  readonly name: string;
  run(job: EngineJob, ctx: EngineContext): Promise<EngineResult>;
}

export type EngineErrorCode =
  | 'content_blocked'
  | 'invalid_input'
  | 'upstream_unavailable'
  | 'rate_limited'
  | 'timeout'
  | 'engine_error';

/** A classified engine failure. `retryable` failures may be tried again by the worker within the attempt cap. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly retryable: boolean;

  constructor(code: EngineErrorCode, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'EngineError';
    this.code = code;
    this.retryable = opts.retryable ?? (code === 'upstream_unavailable' || code === 'rate_limited');
  }
}
