import type { FailedResult } from './types.js';

/** Base of every error the SDK throws on purpose; `instanceof ReelayError` catches them all. */
export class ReelayError extends Error {
  override name = 'ReelayError';
}

/** The server answered with an error (docs/api.md §6): any non-2xx that is not a finished request's body. */
export class ApiError extends ReelayError {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The generation request's id when the error is about one, else the call's X-Request-Id (for the server's logs). */
    readonly requestId: string | null,
    /** The parsed error body, e.g. `details` of a 400 listing every bad field. */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The request finished FAILED; `result` is the FAILED body (docs/api.md §5.3). */
export class InferenceFailed extends ReelayError {
  override name = 'InferenceFailed';
  readonly code: string;
  readonly requestId: string;
  constructor(readonly result: FailedResult) {
    super(result.error || 'Inference failed');
    this.code = result.code ?? 'failed';
    this.requestId = result.request_id;
  }
}

/** Waiting ran out of time; the request itself goes on (cancel it or wait again by id). */
export class InferenceTimeout extends ReelayError {
  override name = 'InferenceTimeout';
  constructor(
    readonly requestId: string,
    readonly elapsedMs: number,
  ) {
    super(`Request ${requestId} did not finish within ${elapsedMs} ms`);
  }
}

/** The server could not be reached (after any retries that were safe to make). */
export class ConnectionError extends ReelayError {
  override name = 'ConnectionError';
  constructor(
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}
