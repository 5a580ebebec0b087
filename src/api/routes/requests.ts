import { Hono, type Context } from 'hono';
import { cancelRequest } from '../../core/cancel.js';
import { findVisibleRequest } from '../../core/lookup.js';
import type { RequestRecord } from '../../core/types.js';
import { failedBody } from '../segmind/bodies.js';
import { isFinal, waitForRequest } from '../../core/wait.js';
import { ReelayError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { requireScope } from '../middleware/auth.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { resultResponse, statusResponse } from '../segmind/request-views.js';
import { streamEvents } from './events.js';

export const requestRoutes = new Hono<AppEnv>();

export const MAX_WAIT_SECONDS = 60;

function visible(c: Context<AppEnv>): Promise<RequestRecord> {
  const auth = c.get('auth');
  return findVisibleRequest(c.get('services'), c.req.param('id') ?? '', { accountId: auth.accountId, isAdmin: auth.isAdmin, door: null });
}

function waitSeconds(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_WAIT_SECONDS) {
    throw new ReelayError('invalid_request', `wait must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}`, {
      details: [{ field: 'wait', message: `must be from 0 to ${MAX_WAIT_SECONDS}` }],
    });
  }
  return n;
}

/** docs/api.md §5.1; with `?wait=N` (Reelay extension) it answers as soon as status or progress changes, or after N s. */
requestRoutes.get('/v2/requests/:id/status', requireScope('read'), rateLimit('poll'), async (c) => {
  const wait = waitSeconds(c.req.query('wait'));
  let request = await visible(c);
  if (wait > 0 && !isFinal(request)) {
    const seen = request.version;
    request = (await waitForRequest(c.get('services'), request.id, (r) => r.version !== seen, wait * 1000, c.req.raw.signal)) ?? request;
    // Re-check visibility: the request may have expired while we waited.
    request = await visible(c);
  }
  return statusResponse(c, request);
});

/** docs/api.md §8: Server-Sent Events until the request finishes. */
requestRoutes.get('/v2/requests/:id/events', requireScope('read'), rateLimit('poll'), async (c) => streamEvents(c, await visible(c)));

/** docs/api.md §8: cancel a QUEUED or PROCESSING request; it ends FAILED with code "canceled" and is refunded. */
requestRoutes.post('/v2/requests/:id/cancel', requireScope('generate'), rateLimit('submit'), async (c) => {
  const request = await visible(c);
  c.header('X-Request-Id', request.id);
  return c.json(failedBody(await cancelRequest(c.get('services'), request)), 200);
});

/** docs/api.md §5.2 / §5.3; the v1 path answers exactly like v2 (docs/api.md §4). */
for (const path of ['/v2/requests/:id', '/v1/requests/:id']) {
  requestRoutes.get(path, requireScope('read'), rateLimit('poll'), async (c) => resultResponse(c, await visible(c)));
}
