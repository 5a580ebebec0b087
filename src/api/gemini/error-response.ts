import type { Context } from 'hono';
import type { ErrorCode, ReelayError } from '../../errors.js';
import { renameFields } from '../door-fields.js';
import type { AppEnv } from '../env.js';
import type { ErrorResponse } from '../segmind/error-response.js';
import { presentedGoogleKey } from './auth.js';

/** Reelay's parameter names as this door's clients send them. */
export const GEMINI_FIELD_NAMES: Readonly<Record<string, string>> = {
  prompt: 'instances[0].prompt',
  image: 'instances[0].image',
  duration: 'parameters.durationSeconds',
  aspect_ratio: 'parameters.aspectRatio',
  seed: 'parameters.seed',
  webhook: 'webhookConfig.uris',
};

/**
 * HTTP status and google.rpc status of each code. Credits run out the way Gemini quota does (429
 * RESOURCE_EXHAUSTED, no Retry-After); oversized and non-JSON bodies are INVALID_ARGUMENT as at Google.
 */
const SHAPE: Record<ErrorCode, [number, string]> = {
  invalid_request: [400, 'INVALID_ARGUMENT'],
  unauthorized: [401, 'UNAUTHENTICATED'],
  forbidden: [403, 'PERMISSION_DENIED'],
  model_not_found: [404, 'NOT_FOUND'],
  not_found: [404, 'NOT_FOUND'],
  insufficient_credits: [429, 'RESOURCE_EXHAUSTED'],
  conflict: [409, 'ABORTED'],
  payload_too_large: [400, 'INVALID_ARGUMENT'],
  unsupported_media_type: [400, 'INVALID_ARGUMENT'],
  rate_limited: [429, 'RESOURCE_EXHAUSTED'],
  internal: [500, 'INTERNAL'],
  upstream_unavailable: [503, 'UNAVAILABLE'],
  server_busy: [503, 'UNAVAILABLE'],
  timeout: [504, 'DEADLINE_EXCEEDED'],
};

/**
 * A ReelayError as Google's wire shows it: `{"error":{"code","message","status"}}`. A missing key
 * and a wrong key answer as the Gemini API does (403 PERMISSION_DENIED, 400 "API key not valid").
 */
export function googleError(original: ReelayError, c: Context<AppEnv>): ErrorResponse {
  const err = renameFields(original, GEMINI_FIELD_NAMES);
  let [status, rpcStatus] = SHAPE[err.code];
  let message = err.message;
  if (err.code === 'unauthorized') {
    [status, rpcStatus, message] = presentedGoogleKey(c)
      ? [400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.']
      : [
          403,
          'PERMISSION_DENIED',
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        ];
  }
  const headers: Record<string, string> = {};
  if (err.data.retryAfterSeconds !== undefined) headers['Retry-After'] = String(err.data.retryAfterSeconds);
  if (err.data.balance !== undefined) headers['X-Remaining-Credits'] = String(err.data.balance);
  return { status, headers, body: { error: { code: status, message, status: rpcStatus } } };
}
