import { Hono } from 'hono';
import {
  adminChangeCredits,
  adminCreateAccount,
  adminCreateKey,
  adminGetAccount,
  adminLedger,
  adminListAccounts,
  adminListKeys,
  adminDeliveries,
  adminRequests,
  adminRevokeKey,
  adminRotateWebhookSecret,
  adminSetLimits,
} from '../../core/admin.js';
import { createAccountInput, createKeyInput, creditsInput, pageInput, requestFilterInput, setLimitsInput } from '../../core/admin-schemas.js';
import { parseInput } from '../../core/validate.js';
import { readJsonBody } from '../body.js';
import type { AppEnv } from '../env.js';
import { requireScope } from '../middleware/auth.js';
import { adminOperationRoutes } from './admin-operations.js';

/** The admin API: accounts, keys, credits, limits. Admin scope only; every body validated. */
export const adminRoutes = new Hono<AppEnv>();

adminRoutes.use('/admin/*', requireScope('admin'));
adminRoutes.route('/', adminOperationRoutes);

const store = (c: { get(key: 'services'): AppEnv['Variables']['services'] }) => c.get('services').store;
const query = (c: { req: { query(): Record<string, string> } }) => c.req.query();

adminRoutes.post('/admin/accounts', async (c) => c.json(await adminCreateAccount(store(c), parseInput(createAccountInput, await readJsonBody(c))), 201));
adminRoutes.get('/admin/accounts', async (c) => c.json(await adminListAccounts(store(c), parseInput(pageInput, query(c)))));
adminRoutes.get('/admin/accounts/:id', async (c) => c.json(await adminGetAccount(store(c), c.req.param('id'))));
adminRoutes.patch('/admin/accounts/:id/limits', async (c) =>
  c.json(await adminSetLimits(store(c), c.req.param('id'), parseInput(setLimitsInput, await readJsonBody(c)))),
);
adminRoutes.post('/admin/accounts/:id/keys', async (c) =>
  c.json(await adminCreateKey(store(c), c.req.param('id'), parseInput(createKeyInput, await readJsonBody(c))), 201),
);
adminRoutes.get('/admin/accounts/:id/keys', async (c) => c.json(await adminListKeys(store(c), c.req.param('id'))));
adminRoutes.post('/admin/keys/:keyId/revoke', async (c) => c.json(await adminRevokeKey(store(c), c.req.param('keyId'))));
adminRoutes.post('/admin/accounts/:id/credits', async (c) =>
  c.json(await adminChangeCredits(store(c), c.req.param('id'), parseInput(creditsInput, await readJsonBody(c)))),
);
adminRoutes.get('/admin/accounts/:id/ledger', async (c) => c.json(await adminLedger(store(c), c.req.param('id'), parseInput(pageInput, query(c)))));
adminRoutes.get('/admin/accounts/:id/requests', async (c) =>
  c.json(await adminRequests(store(c), c.req.param('id'), parseInput(requestFilterInput, query(c)))),
);
adminRoutes.post('/admin/accounts/:id/webhook-secret', async (c) => c.json(await adminRotateWebhookSecret(store(c), c.req.param('id'))));
adminRoutes.get('/admin/requests/:id/webhooks', async (c) => c.json(await adminDeliveries(store(c), c.req.param('id'))));
