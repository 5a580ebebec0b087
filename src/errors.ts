/**
 * The one error type of the API layer. Every failure that reaches a client is
 * an ApiError with a stable `code`; `toHttp` in src/api/error-handler.ts is the
 * only place that turns it into a response (SPEC section 6).
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export type ApiErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'model_not_found'
  | 'not_found'
  | 'insufficient_credits'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'conflict'
  | 'internal'
  | 'upstream_unavailable'
  | 'timeout';

const STATUS_OF: Record<ApiErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  model_not_found: 404,
  not_found: 404,
  insufficient_credits: 406,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  upstream_unavailable: 502,
  timeout: 504,
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  /** Extra top-level fields of the error body (for example `request_id` on a 504). */
  readonly extra: Record<string, unknown>;
  readonly details: FieldProblem[] | undefined;
  /** Response headers that belong to this error (Retry-After on a 429). */
  readonly headers: Record<string, string>;

  constructor(
    code: ApiErrorCode,
    message: string,
    opts: { details?: FieldProblem[]; extra?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = STATUS_OF[code];
    this.details = opts.details;
    this.extra = opts.extra ?? {};
    this.headers = opts.headers ?? {};
  }

  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { error: this.message, code: this.code, ...this.extra };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** A 400 listing every violated field; the message names them all so a human reading only `error` knows what to fix. */
export function invalidRequest(details: FieldProblem[]): ApiError {
  const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return new ApiError('invalid_request', message, { details });
}

export const notFound = (): ApiError => new ApiError('not_found', 'Request not found');
export const unauthorized = (): ApiError => new ApiError('unauthorized', 'Missing or invalid API key');
