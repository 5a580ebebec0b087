import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataUri } from '../helpers/png.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { startTestServer, waitFinished, type TestServer } from '../helpers/server.js';

/** Waits for a condition with room for a loaded machine (renders share two cores with other suites). */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 60_000, interval: 100, ...opts });

const MODEL = 'veo-2-image2video';
let server: TestServer;
let receiver: Receiver;
let image: string;

beforeAll(async () => {
  image = await sampleDataUri(160, 90);
  receiver = await startReceiver({ '/hook': (_req, res) => res.writeHead(200).end('ok') });
  server = await startTestServer({
    emulatorFaults: true,
    slowFaultDuration: 45_000,
    webhooks: { allowList: ['127.0.0.1/32:*'], pollInterval: 100 },
    limits: { submitPerMinute: 1000, maxInflight: 100 },
    worker: { concurrency: 2 },
  });
});
afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

type Body = Record<string, unknown>;
async function call(method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: Body }> {
  const res = await server.call(path, {
    method,
    ...(key === undefined ? {} : { key }),
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

async function customer(name: string, credits: number): Promise<{ id: string; key: string }> {
  const account = await call('POST', '/admin/accounts', undefined, { name, credits });
  const key = await call('POST', `/admin/accounts/${String(account.body.id)}/keys`, undefined, {});
  return { id: String(account.body.id), key: String(key.body.key) };
}

async function submitAs(key: string, extra: Body = {}, headers: Record<string, string> = {}): Promise<string> {
  const res = await server.call(`/v2/${MODEL}`, {
    method: 'POST',
    key,
    body: JSON.stringify({ image, ...extra }),
    headers: { 'content-type': 'application/json', ...headers },
  });
  expect(res.status).toBe(200);
  return String(((await res.json()) as Body).request_id);
}

describe('GET /v2/requests (a key sees its own account, in pages)', { timeout: 240_000 }, () => {
  it('lists newest first with a cursor, and never another account', async () => {
    const a = await customer('history-a', 1000);
    const b = await customer('history-b', 1000);
    // Content blocks end at once without a render, which keeps the test fast.
    const blocked = { 'x-reelay-fault': 'content_blocked' };
    const ids = [
      await submitAs(a.key, { prompt: 'one' }, blocked),
      await submitAs(a.key, { prompt: 'two' }, blocked),
      await submitAs(a.key, { prompt: 'three' }, blocked),
    ];
    await submitAs(b.key, {}, blocked);
    const first = await call('GET', '/v2/requests?limit=2', a.key);
    expect(first.status).toBe(200);
    const items = first.body.requests as Body[];
    expect(items.map((r) => r.request_id)).toEqual([ids[2], ids[1]]);
    expect(items[0]).toMatchObject({ model: MODEL, engine: 'motion', params: { prompt: 'three', duration: 5, aspect_ratio: '16:9' } });
    const second = await call('GET', `/v2/requests?limit=2&cursor=${String(first.body.next)}`, a.key);
    expect((second.body.requests as Body[]).map((r) => r.request_id)).toEqual([ids[0]]);
    expect(second.body.next).toBeNull();
    await waitFinished(server, ids[2]!, 200_000);
    const done = (await call('GET', '/v2/requests?limit=1', a.key)).body.requests as Body[];
    expect(done[0]).toMatchObject({ status: 'FAILED', code: 'content_blocked', output: null });
  });

  it('refuses a bad limit or cursor with 400 naming the field, and no key with 401', async () => {
    const a = await customer('history-bad', 0);
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=101', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
    ]) {
      const res = await call('GET', `/v2/requests?${query}`, a.key);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.details).toEqual([expect.objectContaining({ field })]);
    }
    expect((await call('GET', '/v2/requests', 'rl_wrong_key_123456789')).status).toBe(401);
  });

  it('serves the input image to its own account only', async () => {
    const a = await customer('input-a', 1000);
    const b = await customer('input-b', 0);
    const id = await submitAs(a.key);
    const res = await server.call(`/v2/requests/${id}/input`, { key: a.key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect((await server.call(`/v2/requests/${id}/input`, { key: b.key })).status).toBe(404);
  });
});

describe('GET /v1/models parameters_schema', { timeout: 240_000 }, () => {
  it('is JSON Schema of what the server validates', async () => {
    const { body } = await call('GET', '/v1/models');
    const schema = (body.models as Body[])[0]!.parameters_schema as { properties: Record<string, Body>; required: string[] };
    expect(schema.required).toEqual(['image']);
    expect(schema.properties.duration).toMatchObject({ type: 'integer', enum: [5, 6, 7, 8], default: 5 });
    expect(schema.properties.aspect_ratio).toMatchObject({ type: 'string', enum: ['16:9', '9:16'], default: '16:9' });
    expect(schema.properties.seed).toMatchObject({ type: ['integer', 'null'], minimum: 0, maximum: 4294967295, default: null });
    expect(schema.properties.prompt).toMatchObject({ type: 'string', maxLength: 2000, default: '' });
  });
});

describe('the operator across accounts', { timeout: 240_000 }, () => {
  it("lists every account's requests with filters, and shows one in full", async () => {
    const a = await customer('ops-a', 1000);
    const b = await customer('ops-b', 1000);
    const ok = await submitAs(a.key);
    const failed = await submitAs(b.key, {}, { 'x-reelay-fault': 'content_blocked' });
    await waitFinished(server, ok, 200_000);
    await waitFinished(server, failed, 200_000);
    const byAccount = await call('GET', '/admin/requests?account=ops-b');
    expect((byAccount.body.requests as Body[]).map((r) => r.request_id)).toEqual([failed]);
    const byStatus = await call('GET', '/admin/requests?status=FAILED&engine=motion&model=veo-2-image2video&limit=200');
    const statuses = (byStatus.body.requests as Body[]).map((r) => r.status);
    expect(statuses).toContain('FAILED');
    expect(new Set(statuses)).toEqual(new Set(['FAILED']));
    const future = await call('GET', `/admin/requests?from=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.body.requests).toEqual([]);
    expect((await call('GET', '/admin/requests?engine=veo')).body.requests).toEqual([]);
    expect((await call('GET', '/admin/requests?account=nobody')).body.requests).toEqual([]);

    const detail = await call('GET', `/admin/requests/${ok}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ request_id: ok, status: 'COMPLETED', account: { id: a.id, name: 'ops-a' }, attempts: 1, deliveries: [] });
    expect(detail.body.timings).toMatchObject({ queue_seconds: expect.any(Number), inference_seconds: expect.any(Number) });
    expect(String(detail.body.output)).toContain('/v2/files/');
    const own = (await call('GET', '/v2/requests?limit=1', a.key)).body.requests as Body[];
    expect(own[0]).toMatchObject({ request_id: ok, status: 'COMPLETED', output: expect.stringContaining('/v2/files/') });
    expect((await call('GET', '/admin/requests/nope')).status).toBe(404);
  });

  it('refuses bad filters (400) and customer keys (403)', async () => {
    const bad = await call('GET', '/admin/requests?status=DONE');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'status' })]);
    expect((await call('GET', '/admin/requests?after=zzz')).status).toBe(400);
    const c = await customer('ops-customer', 0);
    expect((await call('GET', '/admin/requests', c.key)).status).toBe(403);
    expect((await call('GET', '/admin/overview', c.key)).status).toBe(403);
  });

  it('resends a webhook delivery', async () => {
    const a = await customer('ops-hook', 1000);
    const id = await submitAs(a.key, { webhook: `${receiver.origin}/hook` }, { 'x-reelay-fault': 'content_blocked' });
    await waitFinished(server, id, 200_000);
    await poll(() => receiver.requests.filter((r) => r.body.includes(id)).length, { timeout: 120_000 }).toBe(1);
    const detail = await call('GET', `/admin/requests/${id}`);
    const delivery = (detail.body.deliveries as Body[])[0]!;
    await poll(async () => ((await call('GET', `/admin/requests/${id}`)).body.deliveries as Body[])[0]!.status).toBe('delivered');
    const resent = await call('POST', `/admin/requests/${id}/webhooks/${String(delivery.id)}/resend`);
    expect(resent.status).toBe(200);
    await poll(() => receiver.requests.filter((r) => r.body.includes(id)).length, { timeout: 120_000 }).toBe(2);
    expect((await call('POST', `/admin/requests/${id}/webhooks/nope/resend`)).status).toBe(404);
  });

  it('suspends and resumes an account; the admin account cannot be suspended', async () => {
    const a = await customer('ops-suspend', 100);
    const suspended = await call('POST', `/admin/accounts/${a.id}/suspend`);
    expect(suspended.body.suspended_at).toEqual(expect.any(String));
    const refused = await call('GET', '/v1/models', a.key);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('suspended');
    const resumed = await call('POST', `/admin/accounts/ops-suspend/resume`);
    expect(resumed.body.suspended_at).toBeNull();
    expect((await call('GET', '/v1/models', a.key)).status).toBe(200);
    const admins = (await call('GET', '/admin/accounts')).body.accounts as Body[];
    const adminId = String(admins.find((x) => x.is_admin)!.id);
    expect((await call('POST', `/admin/accounts/${adminId}/suspend`)).status).toBe(409);
    expect((await call('POST', '/admin/accounts/nobody/suspend')).status).toBe(404);
  });

  it('gives a live overview: queue by engine, processing, workers, finished per minute, failure codes', async () => {
    const a = await customer('ops-overview', 1000);
    const slow = await submitAs(a.key, {}, { 'x-reelay-fault': 'slow' });
    const failed = await submitAs(a.key, {}, { 'x-reelay-fault': 'timeout' });
    await waitFinished(server, failed, 200_000);
    await poll(async () => (await call('GET', `/admin/requests/${slow}`)).body.status, { timeout: 120_000 }).toBe('PROCESSING');
    const { body } = await call('GET', '/admin/overview');
    expect(body.processing).toMatchObject({ motion: expect.any(Number) });
    expect((body.workers as string[]).length).toBeGreaterThanOrEqual(1);
    expect(body.failure_codes).toMatchObject({ timeout: expect.any(Number) });
    const minutes = body.finished_per_minute as { completed: number; failed: number }[];
    expect(minutes).toHaveLength(15);
    expect(minutes.reduce((n, m) => n + m.failed, 0)).toBeGreaterThanOrEqual(1);
    await call('POST', `/v2/requests/${slow}/cancel`, a.key);
  });
});
