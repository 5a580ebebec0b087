import type { RequestStatus } from './core/types.js';

/**
 * The one error type of Reelay. Core, API and CLI throw a ReelayError with a stable `code`, a
 * message fit for a client, field `details` and structured `data`; none of it is HTTP. Each front
 * door renders it in one place (for Segmind's wire: src/api/segmind/error-response.ts, used by
 * src/api/error-handler.ts), so the same failure can become another API's error shape.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export type ErrorCode =
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
  | 'server_busy'
  | 'timeout';

/** Facts a front door may show the client, beyond the message. */
export interface ErrorData {
  /** The generation request the error is about (a sync timeout, an idempotency or cancel conflict). */
  requestId?: string;
  /** That request's status, when it could not be changed. */
  status?: RequestStatus;
  /** The account's balance, when it cannot pay. */
  balance?: number;
  /** How long the client should wait before trying again. */
  retryAfterSeconds?: number;
}

export class ReelayError extends Error {
  readonly code: ErrorCode;
  readonly details: FieldProblem[] | undefined;
  readonly data: ErrorData;

  constructor(code: ErrorCode, message: string, opts: { details?: FieldProblem[]; data?: ErrorData; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'ReelayError';
    this.code = code;
    this.details = opts.details;
    this.data = opts.data ?? {};
  }
}

/** An invalid_request listing every violated field; the message names them all so a human reading only `error` knows what to fix. */
export function invalidRequest(details: FieldProblem[]): ReelayError {
  const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return new ReelayError('invalid_request', message, { details });
}

export const notFound = (): ReelayError => new ReelayError('not_found', 'Request not found');
export const unauthorized = (): ReelayError => new ReelayError('unauthorized', 'Missing or invalid API key');
