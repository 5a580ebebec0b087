import type { ErrorCode, ReelayError } from '../../errors.js';

/** docs/api.md §6: the HTTP status of each error code. */
const STATUS_OF: Record<ErrorCode, number> = {
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
  server_busy: 503,
  timeout: 504,
};

/** An error as Segmind's wire shows it: status, headers and the `{"error","code",...}` body. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * Renders a ReelayError the Segmind way (docs/api.md §6). The request id and status become body
 * fields; the balance (`X-Remaining-Credits`) and retry delay (`Retry-After`) become headers.
 */
export function errorResponse(err: ReelayError): ErrorResponse {
  return { status: STATUS_OF[err.code], headers: errorHeaders(err), body: errorBody(err) };
}

/** The JSON body alone; the CLI prints local admin failures with it, like the server's answers. */
export function errorBody(err: ReelayError): Record<string, unknown> {
  const body: Record<string, unknown> = { error: err.message, code: err.code };
  if (err.data.requestId !== undefined) body.request_id = err.data.requestId;
  if (err.data.status !== undefined) body.status = err.data.status;
  if (err.details) body.details = err.details;
  return body;
}

function errorHeaders(err: ReelayError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (err.data.balance !== undefined) headers['X-Remaining-Credits'] = String(err.data.balance);
  if (err.data.retryAfterSeconds !== undefined) headers['Retry-After'] = String(err.data.retryAfterSeconds);
  return headers;
}
