import type { Context } from 'hono';
import { ReelayError } from '../errors.js';
import type { AppEnv } from './env.js';
import { errorResponse as segmindError } from './segmind/error-response.js';

/** The one place where errors become HTTP responses: SPEC body, never HTML, never a stack trace. */
export function errorResponse(err: unknown, c: Context<AppEnv>): Response {
  const { status, headers, body } = segmindError(err instanceof ReelayError ? err : unexpected(err, c));
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(body, status as 400);
}

/** A bug: logged with the call id, answered with only that id as a reference. */
function unexpected(err: unknown, c: Context<AppEnv>): ReelayError {
  const callId = c.get('callId');
  c.get('services')?.log.error({ err, callId, path: c.req.path }, 'unhandled error');
  return new ReelayError('internal', `Internal error (reference ${callId})`);
}
