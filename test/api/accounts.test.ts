import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, balanceOf as balanceOfAccount, createCustomer } from '../helpers/customer.js';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, waitFinished, type TestServer } from '../helpers/server.js';

const MODEL = 'veo-2-image2video';
let server: TestServer;
let image: string;

beforeAll(async () => {
  image = await sampleDataUri(160, 90);
  // Price: 10 credits/s, so a 5 s request costs 50.
  server = await startTestServer({ emulatorFaults: true, slowFaultDuration: 1000, limits: { window: 2000, submitPerMinute: 1000, maxInflight: 100 } });
});
afterAll(async () => server?.stop());

const admin = (method: string, path: string, body?: unknown): ReturnType<typeof adminCall> => adminCall(server, method, path, body);
const customer = (name: string, credits: number, limits: Record<string, number> = {}): ReturnType<typeof createCustomer> =>
  createCustomer(server, name, credits, limits);
const balanceOf = (id: string): Promise<number> => balanceOfAccount(server, id);

describe('keys', () => {
  it('revoked and expired keys get the same 401 as unknown ones', async () => {
    const { id, key } = await customer('revoked-co', 0);
    expect((await server.call('/v1/models', { key })).status).toBe(200);
    const keys = await admin('GET', `/admin/accounts/${id}/keys`);
    const keyId = String((keys.body.keys as Array<{ id: string }>)[0]!.id);
    expect(JSON.stringify(keys.body)).not.toMatch(/hash/);
    expect((await admin('POST', `/admin/keys/${keyId}/revoke`)).body.revoked_at).toEqual(expect.any(String));
    const revoked = await server.call('/v1/models', { key });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: 'Missing or invalid API key', code: 'unauthorized' });

    const expiresAt = Date.now() + 2_000;
    const expiring = await admin('POST', `/admin/accounts/${id}/keys`, { scopes: ['read'], expires_at: new Date(expiresAt).toISOString() });
    const early = await server.call('/v1/models', { key: String(expiring.body.key) });
    // An answer that came back before the expiry was decided before it (one clock: same machine);
    // on a machine loaded enough to take longer, only the second half says anything.
    if (Date.now() < expiresAt) expect(early.status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 50));
    expect((await server.call('/v1/models', { key: String(expiring.body.key) })).status).toBe(401);
  });

  it('a non-admin key on /admin is 403', async () => {
    const { key } = await customer('plain-co', 0);
    const res = await server.call('/admin/accounts', { key });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('forbidden');
  });

  it('admin bodies are validated, naming the field', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/admin/accounts', {}, 'name'],
      ['POST', '/admin/accounts', { name: 'x', credits: -5 }, 'credits'],
      ['POST', '/admin/accounts/admin/credits', { action: 'grant', amount: 'lots', reason: 'x' }, 'amount'],
      ['POST', '/admin/accounts/admin/credits', { action: 'grant', amount: -3, reason: 'x' }, 'amount'],
      ['POST', '/admin/accounts/admin/credits', { action: 'grant', amount: 3 }, 'reason'],
      ['POST', '/admin/accounts/admin/keys', { scopes: ['root'] }, 'scopes.0'],
      ['PATCH', '/admin/accounts/admin/limits', { rpm_limit: 0 }, 'rpm_limit'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await admin(method, path, body);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'invalid_request' });
      expect((res.body.details as Array<{ field: string }>).map((d) => d.field)).toContain(field);
    }
    expect((await admin('GET', '/admin/accounts/nobody')).status).toBe(404);
    expect((await admin('GET', '/admin/accounts?limit=0')).status).toBe(400);
    expect((await admin('GET', '/admin/accounts?after=garbage')).status).toBe(400);
  });
});

describe('credits (SPEC 7)', () => {
  it('charges by duration, reports the balance, and 406s with nothing queued when the account cannot pay', async () => {
    const { id, key } = await customer('pay-co', 100);
    const first = await server.call(`/v2/${MODEL}`, {
      key,
      method: 'POST',
      body: JSON.stringify({ image, duration: 6 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-remaining-credits')).toBe('40');
    const refused = await server.call(`/v2/${MODEL}`, {
      key,
      method: 'POST',
      body: JSON.stringify({ image }),
      headers: { 'content-type': 'application/json' },
    });
    expect(refused.status).toBe(406);
    expect(await refused.json()).toEqual({ error: 'Insufficient credits: this request costs 50 credits and the account has 40', code: 'insufficient_credits' });
    expect(await balanceOf(id)).toBe(40);
    const requests = await admin('GET', `/admin/accounts/${id}/requests`);
    expect((requests.body.requests as unknown[]).length).toBe(1);
  });

  it('refunds an engine failure once, but not a content block', async () => {
    const { id, key } = await customer('fail-co', 100);
    const go = async (fault: string): Promise<string> => {
      const res = await server.call(`/v2/${MODEL}`, {
        key,
        method: 'POST',
        body: JSON.stringify({ image }),
        headers: { 'content-type': 'application/json', 'x-reelay-fault': fault },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { request_id: string }).request_id;
    };
    const failed = await go('engine_error');
    const blocked = await go('content_blocked');
    await waitFinished(server, failed);
    await waitFinished(server, blocked);
    expect(await balanceOf(id)).toBe(50);
    const ledger = await admin('GET', `/admin/accounts/${id}/ledger`);
    const entries = ledger.body.entries as Array<{ kind: string; amount: number; request_id: string | null }>;
    expect(entries.filter((e) => e.kind === 'refund')).toEqual([expect.objectContaining({ amount: 50, request_id: failed })]);
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(50);
  });

  it('50 parallel submits against a balance that pays for 10 accept exactly 10', async () => {
    const { id, key } = await customer('race-co', 500);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        server.call(`/v2/${MODEL}`, {
          key,
          method: 'POST',
          body: JSON.stringify({ image, seed: 1 }),
          headers: { 'content-type': 'application/json', 'x-reelay-fault': 'content_blocked' },
        }),
      ),
    );
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 200)).toHaveLength(10);
    expect(codes.filter((c) => c === 406)).toHaveLength(40);
    expect(await balanceOf(id)).toBe(0);
  });
});

describe('rate limits', () => {
  it('429 past the per-key submit limit, with headers, and recovery after Retry-After', async () => {
    const { key } = await customer('limited-co', 10_000, { rpm_limit: 2 });
    const post = () =>
      server.call(`/v2/${MODEL}`, {
        key,
        method: 'POST',
        body: JSON.stringify({ image }),
        headers: { 'content-type': 'application/json', 'x-reelay-fault': 'content_blocked' },
      });
    // Start at the beginning of a window so the three submits share it.
    await new Promise((r) => setTimeout(r, 2000 - (Date.now() % 2000) + 20));
    const ok = await post();
    expect(ok.status).toBe(200);
    expect([ok.headers.get('x-ratelimit-limit'), ok.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
    expect(Number(ok.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    expect((await post()).status).toBe(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    // Polling has its own budget: the limited key can still read.
    expect((await server.call('/v1/models', { key })).status).toBe(200);
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    expect((await post()).status).toBe(200);
  });

  it('429 past the in-flight cap of an account', async () => {
    const { key } = await customer('busy-co', 10_000, { inflight_limit: 1 });
    const post = () =>
      server.call(`/v2/${MODEL}`, {
        key,
        method: 'POST',
        body: JSON.stringify({ image }),
        headers: { 'content-type': 'application/json', 'x-reelay-fault': 'slow' },
      });
    expect((await post()).status).toBe(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect(((await limited.json()) as { error: string }).error).toMatch(/limit is 1/);
  });
});
