import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/core/api-keys.js';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Admin power belongs to the admin account, never to a scope a customer's key can carry: a key
 * with scope "admin" on a customer account granted its own account credits and minted keys on the
 * admin account before this rule.
 */
let server: TestServer;
let customerId: string;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.call('/admin/accounts', {
    method: 'POST',
    body: JSON.stringify({ name: 'customer', credits: 0 }),
    headers: { 'content-type': 'application/json' },
  });
  customerId = String(((await res.json()) as { id: string }).id);
});
afterAll(async () => server?.stop());

const post = (path: string, body: unknown, key?: string): Promise<Response> =>
  server.call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, ...(key ? { key } : {}) });

describe('the admin scope', () => {
  it('cannot be given to a customer key: 400 naming the field', async () => {
    const res = await post(`/admin/accounts/${customerId}/keys`, { scopes: ['admin', 'generate', 'read'] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; details: Array<{ field: string; message: string }> };
    expect(body.code).toBe('invalid_request');
    expect(body.details).toEqual([{ field: 'scopes', message: expect.stringContaining('admin account') }]);
  });

  it('on a customer key that has it anyway (an old key), grants nothing on /admin and no view of other accounts', async () => {
    const { key } = await createKey(server.services.store, { accountId: customerId, scopes: ['admin', 'read'] });
    const grant = await post(`/admin/accounts/${customerId}/credits`, { action: 'grant', amount: 999_999, reason: 'self-service' }, key);
    expect(grant.status).toBe(403);
    expect(await grant.json()).toMatchObject({ code: 'forbidden', error: expect.stringContaining('admin account') });
    const mint = await post('/admin/accounts/admin/keys', { scopes: ['admin'] }, key);
    expect(mint.status).toBe(403);
    expect((await server.call(`/admin/accounts/${customerId}`)).status).toBe(200);
    expect(Number(((await (await server.call(`/admin/accounts/${customerId}`)).json()) as { balance: number }).balance)).toBe(0);

    // Its other scopes still work as listed: reading is fine, submitting was never granted.
    expect((await server.call('/v1/models', { key })).status).toBe(200);
    expect((await post('/v2/veo-2-image2video', { image: 'x' }, key)).status).toBe(403);
  });

  it('a read-only key of the admin account sees only the admin account’s requests; the admin key sees all', async () => {
    await post(`/admin/accounts/${customerId}/credits`, { action: 'grant', amount: 100, reason: 'test' });
    const { key: customerKey } = await createKey(server.services.store, { accountId: customerId, scopes: ['generate', 'read'] });
    const submitted = await post('/v2/veo-2-image2video', { image: await sampleDataUri(64, 36) }, customerKey);
    expect(submitted.status).toBe(200);
    const { request_id: id } = (await submitted.json()) as { request_id: string };
    const { key: adminReader } = await createKey(server.services.store, { accountId: 'admin', scopes: ['read'] });
    expect((await server.call(`/v2/requests/${id}/status`, { key: adminReader })).status).toBe(404);
    expect((await server.call('/admin/accounts', { key: adminReader })).status).toBe(403);
    expect((await server.call(`/v2/requests/${id}/status`)).status).toBe(200); // the admin key (admin scope, admin account)
  });
});
