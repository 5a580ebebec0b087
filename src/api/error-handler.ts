import type { Context } from 'hono';
import { ReelayError } from '../errors.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import type { AppEnv } from './env.js';
import { errorResponse as segmindError, type ErrorResponse } from './segmind/error-response.js';

/** Renders a ReelayError in one front door's wire shape (status, headers, body). */
export type ErrorRenderer = (err: ReelayError, c: Context<AppEnv>) => ErrorResponse;

/**
 * The one place where errors become HTTP responses: never HTML, never a stack trace. Each front
 * door passes its renderer; Segmind's shape (docs/api.md §6) is the default.
 */
export function errorResponse(err: unknown, c: Context<AppEnv>, render: ErrorRenderer = segmindError): Response {
  if (!(err instanceof ReelayError) && c.req.raw.signal.aborted) return clientWentAway(err, c);
  const { status, headers, body } = render(err instanceof ReelayError ? err : unexpected(err, c), c);
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(body, status as 400);
}

/**
 * A client that hung up (mid-upload, say) is not something an operator must act on: an info line
 * with the call id. The answer goes nowhere; it exists so the handler chain ends normally.
 */
function clientWentAway(err: unknown, c: Context<AppEnv>): Response {
  c.get('services')?.log.info(
    { callId: c.get('callId'), path: c.req.path, reason: String((err as Error)?.message ?? err) },
    'client went away before the answer',
  );
  return c.json({ error: 'Client closed the request', code: 'client_closed' }, 400);
}

/** How long a client should wait before retrying a call the store could not serve. */
const STORE_RETRY_AFTER_S = 2;

/**
 * A bug: logged with the call id, answered with only that id as a reference. A store that could
 * not be reached is not a bug: a 503 with Retry-After, and a warning for the operator.
 */
function unexpected(err: unknown, c: Context<AppEnv>): ReelayError {
  const callId = c.get('callId');
  if (isStoreUnavailable(err)) {
    c.get('services')?.log.warn({ err, callId, path: c.req.path }, 'store unavailable; the client was asked to retry');
    return new ReelayError('server_busy', `The database is unavailable right now; retry in ${STORE_RETRY_AFTER_S} s (reference ${callId})`, {
      data: { retryAfterSeconds: STORE_RETRY_AFTER_S },
    });
  }
  c.get('services')?.log.error({ err, callId, path: c.req.path }, 'unhandled error');
  return new ReelayError('internal', `Internal error (reference ${callId})`);
}
