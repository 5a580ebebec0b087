import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '../engine.js';

/**
 * Shared semantics for talking to a remote video API (Google, Segmind): one error type for HTTP
 * failures and one retry loop, so every remote engine classifies 429 / 5xx / network the same way.
 */

/** A non-2xx answer from an upstream, with the upstream's own message (never our guess). */
export class UpstreamHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** google.rpc status name (e.g. RESOURCE_EXHAUSTED) when the body had one. */
    readonly rpcStatus?: string,
  ) {
    super(message);
    this.name = 'UpstreamHttpError';
  }
}

/** Reads a failed response into an UpstreamHttpError, understanding Google's `{error:{code,message,status}}`. */
export async function httpError(res: Response): Promise<UpstreamHttpError> {
  const text = await res.text().catch(() => '');
  return parseErrorBody(res.status, text);
}

/** Parses an error body; `error` may be Google's object or Segmind's plain string. */
export function parseErrorBody(status: number, text: string): UpstreamHttpError {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; status?: unknown } | string; message?: unknown };
    if (typeof body.error === 'string') return new UpstreamHttpError(status, body.error);
    if (body.error && typeof body.error.message === 'string') {
      const rpc = typeof body.error.status === 'string' ? body.error.status : undefined;
      return new UpstreamHttpError(status, body.error.message, rpc);
    }
    if (typeof body.message === 'string') return new UpstreamHttpError(status, body.message);
  } catch {
    // not JSON: fall through to the raw text
  }
  return new UpstreamHttpError(status, text.slice(0, 500) || `HTTP ${status}`);
}

export interface RetryPolicy {
  /** First backoff delay; doubles per retry, with jitter. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts including the first call. */
  maxAttempts: number;
  /** Total time one call may spend retrying. Keep it below the model's timeout so we fail as rate_limited, not timeout. */
  budgetMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 8, budgetMs: 120_000 };

/** Is an error worth retrying: throttled, temporarily unavailable, or not at all. */
export type Transient = 'rate' | 'unavailable' | null;

export function transientKind(err: unknown): Transient {
  if (err instanceof EngineError) return null;
  if (err instanceof UpstreamHttpError) {
    if (err.status === 429 || err.rpcStatus === 'RESOURCE_EXHAUSTED') return 'rate';
    if (err.status === 408 || err.status >= 500) return 'unavailable';
    return null;
  }
  return isNetworkError(err) ? 'unavailable' : null;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * fetch() rejects with TypeError('fetch failed') (cause: ECONNREFUSED, ECONNRESET, DNS…) or
 * 'terminated' when a body breaks off. Anything else (a bug, bad JSON) is not worth retrying.
 */
function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return err instanceof TypeError && /fetch failed|terminated|network/i.test(err.message);
}

export interface RetryOptions {
  signal: AbortSignal;
  policy: RetryPolicy;
  /** Epoch ms when the worker will abort this attempt, if known: no backoff is started that would end past it. */
  deadline?: number;
  /** Turns a non-retryable upstream error into the EngineError the worker sees. */
  fatal: (err: unknown) => EngineError;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Calls `fn`, retrying throttling and transient failures with exponential backoff and jitter.
 * When retries run out: 429 → rate_limited with retryable:false (so the worker fails and refunds
 * instead of re-queueing into the same quota wall); 5xx/network → upstream_unavailable (retryable,
 * the worker may try again later within its attempt cap). Aborts rethrow the signal's reason.
 */
export async function withRetry<T>(what: string, fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    opts.signal.throwIfAborted();
    try {
      return await fn();
    } catch (err) {
      if (opts.signal.aborted) throw opts.signal.reason;
      const kind = transientKind(err);
      if (kind === null) throw err instanceof EngineError ? err : opts.fatal(err);
      const delayMs = backoff(attempt, opts.policy);
      const end = Date.now() + delayMs;
      const outOfTime = end - started > opts.policy.budgetMs || (opts.deadline !== undefined && end > opts.deadline - 1_000);
      if (attempt >= opts.policy.maxAttempts || outOfTime) throw exhausted(what, kind, attempt, err);
      opts.onRetry?.({ attempt, delayMs, error: err });
      await sleep(delayMs, undefined, { signal: opts.signal }).catch(() => {
        throw opts.signal.reason;
      });
    }
  }
}

/** Exponential backoff with "equal jitter": half fixed, half random, so many clients spread out. */
export function backoff(attempt: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/**
 * Counts calls, not "attempts": the worker has attempts of its own (a request is tried up to
 * worker.maxAttempts times), and "after 6 attempts" on the third of those read as if it were all.
 */
function calls(n: number): string {
  return `${n} call${n === 1 ? '' : 's'} in this attempt`;
}

function exhausted(what: string, kind: 'rate' | 'unavailable', attempts: number, err: unknown): EngineError {
  const detail = err instanceof Error ? err.message : String(err);
  if (kind === 'rate') {
    return new EngineError('rate_limited', `${what} was rate limited by the upstream service (${calls(attempts)}): ${detail}`, {
      retryable: false,
      cause: err,
    });
  }
  return new EngineError('upstream_unavailable', `${what} failed: upstream service unavailable (${calls(attempts)}): ${detail}`, {
    cause: err,
  });
}
