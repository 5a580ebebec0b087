import type { ErrorCode, ReelayError } from '../../errors.js';
import { renameFields } from '../door-fields.js';
import type { ErrorResponse } from '../segmind/error-response.js';

/** Reelay's parameter names as this door's clients know them. */
export const OPENAI_FIELD_NAMES: Readonly<Record<string, string>> = { duration: 'seconds', aspect_ratio: 'size', image: 'input_reference' };

/**
 * HTTP status and OpenAI error `type` of each code. Insufficient credits is 402: the official
 * SDK has no class for 402 or 406 (both become a plain `APIError` with `.status`), neither is
 * retried, and 402 Payment Required says what it is; OpenAI's own `insufficient_quota` 429 would
 * make the SDK retry a call that cannot succeed.
 */
const SHAPE: Record<ErrorCode, [number, string]> = {
  invalid_request: [400, 'invalid_request_error'],
  unauthorized: [401, 'invalid_request_error'],
  forbidden: [403, 'permission_error'],
  model_not_found: [404, 'invalid_request_error'],
  not_found: [404, 'invalid_request_error'],
  insufficient_credits: [402, 'insufficient_quota'],
  conflict: [409, 'invalid_request_error'],
  payload_too_large: [413, 'invalid_request_error'],
  unsupported_media_type: [415, 'invalid_request_error'],
  rate_limited: [429, 'rate_limit_error'],
  internal: [500, 'server_error'],
  upstream_unavailable: [502, 'server_error'],
  server_busy: [503, 'server_error'],
  timeout: [504, 'server_error'],
};

/** OpenAI's `code` where it has a well-known one; Reelay's stable code otherwise. */
const CODE: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'invalid_api_key',
  insufficient_credits: 'insufficient_quota',
  rate_limited: 'rate_limit_exceeded',
};

/** A ReelayError as OpenAI's wire shows it: `{"error":{"message","type","param","code"}}`. */
export function openAiError(original: ReelayError): ErrorResponse {
  const err = renameFields(original, OPENAI_FIELD_NAMES);
  const [status, type] = SHAPE[err.code];
  const headers: Record<string, string> = {};
  if (err.data.retryAfterSeconds !== undefined) headers['Retry-After'] = String(err.data.retryAfterSeconds);
  if (err.data.balance !== undefined) headers['X-Remaining-Credits'] = String(err.data.balance);
  // The SDK retries 409s (lock timeouts at OpenAI); Reelay's conflicts do not go away by retrying.
  if (err.code === 'conflict') headers['x-should-retry'] = 'false';
  return { status, headers, body: { error: { message: err.message, type, param: err.details?.[0]?.field ?? null, code: CODE[err.code] ?? err.code } } };
}
