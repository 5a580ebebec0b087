import type { Context } from 'hono';
import { ApiError } from '../errors.js';
import type { AppEnv } from './env.js';

/** The one place where errors become HTTP responses: SPEC body, never HTML, never a stack trace. */
export function errorResponse(err: unknown, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) {
    for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
    return c.json(err.toBody(), err.status as 400);
  }
  const callId = c.get('callId');
  // A client that hung up (mid-upload, say) is not something an operator must act on.
  if (c.req.raw.signal.aborted) {
    c.get('services')?.log.info({ callId, path: c.req.path, reason: String((err as Error)?.message ?? err) }, 'client went away before the answer');
    return c.json({ error: 'Client closed the request', code: 'client_closed' }, 400);
  }
  c.get('services')?.log.error({ err, callId, path: c.req.path }, 'unhandled error');
  return c.json({ error: `Internal error (reference ${callId})`, code: 'internal' }, 500);
}
