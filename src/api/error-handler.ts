import type { Context } from 'hono';
import { ReelayError } from '../errors.js';
import type { AppEnv } from './env.js';
import { errorResponse as segmindError, type ErrorResponse } from './segmind/error-response.js';

/** Renders a ReelayError in one front door's wire shape (status, headers, body). */
export type ErrorRenderer = (err: ReelayError, c: Context<AppEnv>) => ErrorResponse;

/**
 * The one place where errors become HTTP responses: never HTML, never a stack trace. Each front
 * door passes its renderer; Segmind's shape (SPEC 6) is the default.
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

/** A bug: logged with the call id, answered with only that id as a reference. */
function unexpected(err: unknown, c: Context<AppEnv>): ReelayError {
  const callId = c.get('callId');
  c.get('services')?.log.error({ err, callId, path: c.req.path }, 'unhandled error');
  return new ReelayError('internal', `Internal error (reference ${callId})`);
}
