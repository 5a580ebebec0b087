import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../src/core/api-keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** What a browser and a scraper see: CORS only for listed origins, safe headers, /metrics closed. */
const APP = 'https://app.example.com';
const METRICS_TOKEN = 'metrics_token_0123456789abcdef';
let open: TestServer; // corsOrigins lists APP; a metrics token is set
let closed: TestServer; // defaults

beforeAll(async () => {
  [open, closed] = await Promise.all([
    startTestServer({ corsOrigins: [APP], metricsToken: METRICS_TOKEN, worker: { enabled: false } }),
    startTestServer({ worker: { enabled: false } }),
  ]);
});
afterAll(async () => Promise.all([open?.stop(), closed?.stop()]));

const preflight = (server: TestServer, origin: string): Promise<Response> =>
  server.call('/v2/veo-2-image2video', {
    method: 'OPTIONS',
    key: null,
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key, content-type' },
  });

describe('CORS', () => {
  it('a listed origin: the preflight grants the API headers, and answers expose ids, engine and limits', async () => {
    const res = await preflight(open, APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-headers')).toContain('x-api-key');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const get = await open.call('/v1/models', { headers: { origin: APP } });
    expect(get.headers.get('access-control-allow-origin')).toBe(APP);
    expect(get.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id.*X-Engine/);
  });

  it('an unlisted origin, and every origin by default, gets no grant', async () => {
    for (const [server, origin] of [
      [open, 'https://evil.example'],
      [closed, APP],
    ] as const) {
      const res = await preflight(server, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const answer = await server.call('/v1/models', { headers: { origin } });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(answer.headers.get('access-control-expose-headers')).toBeNull();
    }
    // With no origin listed nothing depends on the origin.
    expect((await closed.call('/v1/models', { headers: { origin: APP } })).headers.get('vary')).toBeNull();
  });

  it('answers keep a Content-Length under CORS (sent whole, not streamed in chunks)', async () => {
    for (const res of [await open.call('/v1/models', { headers: { origin: APP } }), await open.call('/v1/models')]) {
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('transfer-encoding')).toBeNull();
      expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
    }
  });
});

describe('security headers', () => {
  it('on JSON answers, errors included', async () => {
    for (const res of [await closed.call('/v1/models'), await closed.call('/v1/models', { key: null }), await closed.call('/nope')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });
});

describe('/metrics', () => {
  it('is closed without credentials, and to customer keys', async () => {
    const anonymous = await open.call('/metrics', { key: null });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'unauthorized' });
    expect((await open.call('/metrics', { key: null, headers: { authorization: 'Bearer wrong_token_0123456789abcdef' } })).status).toBe(401);
    const account = (await (
      await open.call('/admin/accounts', { method: 'POST', body: JSON.stringify({ name: 'c' }), headers: { 'content-type': 'application/json' } })
    ).json()) as { id: string };
    const { key } = await createKey(open.services.store, { accountId: account.id, scopes: ['generate', 'read'] });
    expect((await open.call('/metrics', { key })).status).toBe(403);
  });

  it('opens to the metrics token (as a scraper sends it) and to an admin key', async () => {
    const scraped = await open.call('/metrics', { key: null, headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^reelay_queue_depth \d+$/m);
    expect((await closed.call('/metrics')).status).toBe(200);
    // With no token configured, nothing but an admin key opens it.
    expect((await closed.call('/metrics', { key: null, headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(401);
  });
});
