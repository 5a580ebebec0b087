import { Hono } from 'hono';
import { findVisibleRequest } from '../../core/lookup.js';
import type { AppEnv } from '../env.js';
import { requireScope } from '../middleware/auth.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { resultResponse, statusResponse } from '../request-views.js';

export const requestRoutes = new Hono<AppEnv>();

const caller = (auth: AppEnv['Variables']['auth']) => ({ accountId: auth.accountId, isAdmin: auth.isAdmin });

/** SPEC 5.1 */
requestRoutes.get('/v2/requests/:id/status', requireScope('read'), rateLimit('poll'), async (c) => {
  const request = await findVisibleRequest(c.get('services'), c.req.param('id') ?? '', caller(c.get('auth')));
  return statusResponse(c, request);
});

/** SPEC 5.2 / 5.3; the v1 path answers exactly like v2 (SPEC 4). */
for (const path of ['/v2/requests/:id', '/v1/requests/:id']) {
  requestRoutes.get(path, requireScope('read'), rateLimit('poll'), async (c) => {
    const request = await findVisibleRequest(c.get('services'), c.req.param('id') ?? '', caller(c.get('auth')));
    return resultResponse(c, request);
  });
}
