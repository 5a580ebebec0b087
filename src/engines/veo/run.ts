import { EngineError, type EngineContext, type EngineJob } from '../engine.js';
import { firstVideo, type VeoDone } from './outcome.js';
import { createProgressClock, pollUntil, type PollSchedule } from '../remote/polling.js';
import { UpstreamHttpError, withRetry, type RetryPolicy } from '../remote/upstream.js';

/**
 * One Veo mode (Gemini API or Vertex) as three calls; `runVeo` adds what both share: retries,
 * polling, progress, cancel. `H` is the mode's operation handle (SDK object or operation name).
 */
export interface VeoCall<H = unknown> {
  /** Whether `job.params.seed` reaches Google (Vertex) or is dropped (Gemini API). */
  readonly seedHonoured: boolean;
  start(job: EngineJob, signal: AbortSignal): Promise<{ handle: H; done: VeoDone | null }>;
  poll(handle: H, signal: AbortSignal): Promise<{ handle: H; done: VeoDone | null }>;
  /** Writes the finished video to `workDir/output.mp4` and returns its path. */
  download(handle: H, workDir: string, signal: AbortSignal): Promise<string>;
  /** Best-effort cleanup after a cancel; failures are only logged. */
  abandon?(handle: H): Promise<void>;
}

export interface RunSettings {
  retry: RetryPolicy;
  poll: PollSchedule;
  /** Typical generation time, for the progress estimate. */
  typicalMs: number;
}

/** The worker may pass the attempt's deadline (epoch ms); retries then never back off past it. */
type ContextWithDeadline = EngineContext & { deadline?: number };

export async function runVeo<H>(call: VeoCall<H>, job: EngineJob, ctx: ContextWithDeadline, s: RunSettings): Promise<string> {
  const { signal } = ctx;
  const retry = {
    signal,
    policy: s.retry,
    ...(ctx.deadline !== undefined ? { deadline: ctx.deadline } : {}),
    fatal: googleFatal,
    onRetry: (i: { attempt: number; delayMs: number; error: unknown }) =>
      ctx.log.warn({ attempt: i.attempt, delayMs: i.delayMs, err: (i.error as Error).message }, 'veo call failed, retrying'),
  };
  const clock = createProgressClock((p) => ctx.progress(p), s.typicalMs);
  const started = await withRetry('Veo submit', () => call.start(job, signal), retry);
  let handle = started.handle;
  ctx.log.info({ seedHonoured: call.seedHonoured }, 'veo operation started');
  try {
    const done =
      started.done ??
      (await pollUntil(
        async () => {
          const next = await withRetry('Veo poll', () => call.poll(handle, signal), retry);
          handle = next.handle;
          return next.done;
        },
        { signal, schedule: s.poll, onTick: () => clock.tick() },
      ));
    firstVideo(done); // throws content_blocked / engine_error before any download
    const path = await withRetry('Veo download', () => call.download(handle, job.workDir, signal), retry);
    ctx.progress(100);
    return path;
  } catch (err) {
    if (signal.aborted && call.abandon) {
      // Fire and forget: the worker must not wait on Google to release a canceled slot.
      call.abandon(handle).catch((e: unknown) => ctx.log.debug({ err: (e as Error).message }, 'veo abandon failed'));
    }
    throw err;
  }
}

/** A non-retryable Google answer → Reelay failure. 400 is the client's input; auth/404 are the operator's setup. */
export function googleFatal(err: unknown): EngineError {
  if (err instanceof UpstreamHttpError) {
    // The Gemini API answers a bad key with 400 API_KEY_INVALID: that is the operator's setup, not the client's input.
    if (err.status === 400 && /API key not valid|API_KEY_INVALID/i.test(err.message)) {
      return new EngineError('engine_error', `Google refused the operator's API key: ${err.message}`, { cause: err });
    }
    if (err.status === 400) return new EngineError('invalid_input', `Google rejected the request: ${err.message}`, { cause: err });
    if (err.status === 401 || err.status === 403) {
      return new EngineError(
        'engine_error',
        `Google refused the operator's credentials (HTTP ${err.status}, check the API key / service account): ${err.message}`,
        { cause: err },
      );
    }
    return new EngineError('engine_error', `Google answered HTTP ${err.status}: ${err.message}`, { cause: err });
  }
  return new EngineError('engine_error', `Veo call failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
