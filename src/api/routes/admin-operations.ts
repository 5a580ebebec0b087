import { Hono } from 'hono';
import { adminAllRequests, adminOverview, adminRequestDetail, adminResendDelivery, adminSetSuspended } from '../../core/admin-operations.js';
import { adminRequestFilterInput } from '../../core/admin-schemas.js';
import { findVisibleRequest } from '../../core/lookup.js';
import { parseInput } from '../../core/validate.js';
import type { AppEnv } from '../env.js';
import { outputUrl } from '../segmind/request-views.js';

/**
 * The operator's cross-account admin API: requests, one request in full, resends, suspension,
 * the overview. Mounted inside adminRoutes, whose middleware requires the admin scope.
 */
export const adminOperationRoutes = new Hono<AppEnv>();

adminOperationRoutes.get('/admin/requests', async (c) =>
  c.json(await adminAllRequests(c.get('services').store, parseInput(adminRequestFilterInput, c.req.query()))),
);
adminOperationRoutes.get('/admin/requests/:id', async (c) => {
  const services = c.get('services');
  const detail = await adminRequestDetail(services.store, c.req.param('id'));
  // The video's URL is the API's business (signed or presigned), so it is added here.
  const request = await findVisibleRequest(services, c.req.param('id'), null).catch(() => undefined);
  return c.json({ ...detail, output: request?.status === 'COMPLETED' ? await outputUrl(c, request) : null });
});
adminOperationRoutes.post('/admin/requests/:id/webhooks/:deliveryId/resend', async (c) =>
  c.json(await adminResendDelivery(c.get('services').store, c.req.param('id'), c.req.param('deliveryId'))),
);
adminOperationRoutes.post('/admin/accounts/:id/suspend', async (c) => c.json(await adminSetSuspended(c.get('services').store, c.req.param('id'), true)));
adminOperationRoutes.post('/admin/accounts/:id/resume', async (c) => c.json(await adminSetSuspended(c.get('services').store, c.req.param('id'), false)));
adminOperationRoutes.get('/admin/overview', async (c) => c.json(await adminOverview(c.get('services').store)));
