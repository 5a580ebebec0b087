import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RequestRecord } from '../../core/types.js';
import { isFinal, waitForRequest } from '../../core/wait.js';
import type { AppEnv } from '../env.js';
import { resultBody, statusBodyFor } from '../segmind/request-views.js';

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * Streams a request's changes as Server-Sent Events: `status` when the status changes, `progress`
 * when only progress moves, and a final `completed` or `failed` carrying the same body as
 * GET /v2/requests/{id}; then the stream ends. Event ids are the request's version, so a client
 * reconnecting with Last-Event-ID gets only what it has not seen.
 */
export function streamEvents(c: Context<AppEnv>, first: RequestRecord): Response {
  const services = c.get('services');
  const lastEventId = Number(c.req.header('last-event-id'));
  c.header('X-Request-Id', first.id);
  return streamSSE(c, async (stream) => {
    let sentVersion = Number.isInteger(lastEventId) ? lastEventId : -1;
    let sentStatus: string | undefined;
    let request: RequestRecord | undefined = first;
    const closed = new AbortController();
    stream.onAbort(() => closed.abort());
    while (request && !closed.signal.aborted) {
      if (request.version > sentVersion) {
        const id = String(request.version);
        if (isFinal(request)) {
          const event = request.status === 'COMPLETED' ? 'completed' : 'failed';
          await stream.writeSSE({ id, event, data: JSON.stringify(await resultBody(c, request)) });
          return;
        }
        const event = sentStatus === undefined || sentStatus !== request.status ? 'status' : 'progress';
        await stream.writeSSE({ id, event, data: JSON.stringify(await statusBodyFor(c, request)) });
        sentVersion = request.version;
        sentStatus = request.status;
      } else if (isFinal(request)) {
        return; // resumed after the final event: nothing left to say
      }
      const seen = request.version;
      request = await waitForRequest(services, request.id, (r) => r.version !== seen, KEEPALIVE_MS, closed.signal);
      if (request && request.version === seen && !closed.signal.aborted) await stream.write(': keepalive\n\n');
    }
  });
}
