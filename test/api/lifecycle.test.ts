import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataUri } from '../helpers/png.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { startTestServer, waitFinished, type TestServer } from '../helpers/server.js';
import { readSse } from '../helpers/sse.js';

const MODEL = 'veo-2-image2video';
let server: TestServer;
let idle: TestServer; // no worker: requests stay QUEUED
let receiver: Receiver;
let image: string;
let failuresLeft = 0;

beforeAll(async () => {
  image = await sampleDataUri(160, 90);
  receiver = await startReceiver({
    '/ok': (_req, res) => res.writeHead(204).end(),
    '/flaky': (_req, res) => {
      if (failuresLeft-- > 0) res.writeHead(503).end('down');
      else res.writeHead(200).end('ok');
    },
  });
  const common = { emulatorFaults: true, slowFaultDuration: 1500, webhooks: { allowList: ['127.0.0.1/32:*'], pollInterval: 100 } };
  server = await startTestServer({ ...common, worker: { concurrency: 2 }, models: { [MODEL]: { engine: 'motion', timeout: '20s' } } });
  idle = await startTestServer({ ...common, worker: { enabled: false } });
});
afterAll(async () => {
  await server?.stop();
  await idle?.stop();
  await receiver?.close();
});

async function post(target: TestServer, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return target.call(`/v2/${MODEL}`, { method: 'POST', body: JSON.stringify({ image, ...body }), headers: { 'content-type': 'application/json', ...headers } });
}

async function submitId(target: TestServer, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<string> {
  const res = await post(target, body, headers);
  expect(res.status).toBe(200);
  return ((await res.json()) as { request_id: string }).request_id;
}

describe('long-poll (?wait=N)', () => {
  it('returns after N seconds when nothing changes', async () => {
    const id = await submitId(idle);
    const started = Date.now();
    const res = await idle.call(`/v2/requests/${id}/status?wait=1`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('QUEUED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('returns as soon as the status changes', async () => {
    const id = await submitId(idle);
    const started = Date.now();
    const waiting = idle.call(`/v2/requests/${id}/status?wait=30`);
    await new Promise((r) => setTimeout(r, 300));
    expect((await idle.call(`/v2/requests/${id}/cancel`, { method: 'POST' })).status).toBe(200);
    const res = await waiting;
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ status: 'FAILED', code: 'canceled' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each(['61', '-1', 'abc', ''])('wait=%s is a 400', async (wait) => {
    const id = await submitId(idle);
    const res = await idle.call(`/v2/requests/${id}/status?wait=${wait}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_request', details: [{ field: 'wait' }] });
  });
});

describe('Server-Sent Events', () => {
  it('streams status, progress and a final completed event with the result body, then ends', async () => {
    const id = await submitId(server, {}, { 'x-reelay-fault': 'slow' });
    const events = await readSse(await server.call(`/v2/requests/${id}/events`));
    expect(events[0]?.event).toBe('status');
    expect(events.some((e) => e.event === 'progress')).toBe(true);
    const last = events.at(-1)!;
    expect(last.event).toBe('completed');
    const result = await (await server.call(`/v2/requests/${id}`)).json();
    expect(JSON.parse(last.data)).toEqual(result);
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);

    // Resuming from an earlier event gives only the later ones; from the last, nothing.
    const middle = events[Math.floor(events.length / 2)]!;
    const resumed = await readSse(await server.call(`/v2/requests/${id}/events`, { headers: { 'last-event-id': middle.id! } }));
    expect(resumed.every((e) => Number(e.id) > Number(middle.id))).toBe(true);
    expect(resumed.at(-1)?.event).toBe('completed');
    expect(await readSse(await server.call(`/v2/requests/${id}/events`, { headers: { 'last-event-id': last.id! } }))).toEqual([]);
  });

  it('ends with a failed event for a failed request', async () => {
    const id = await submitId(server, {}, { 'x-reelay-fault': 'engine_error' });
    await waitFinished(server, id);
    const events = await readSse(await server.call(`/v2/requests/${id}/events`));
    expect(events.map((e) => e.event)).toEqual(['failed']);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ status: 'FAILED', code: 'engine_error' });
  });

  it('is 404 for an unknown id', async () => {
    const res = await server.call('/v2/requests/nope/events');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Request not found', code: 'not_found' });
  });
});

describe('cancel', () => {
  it('a QUEUED request is FAILED at once with code canceled, and refunded', async () => {
    const before = (await idle.services.store.getAccount('admin'))!.balance;
    const id = await submitId(idle);
    const res = await idle.call(`/v2/requests/${id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ request_id: id, status: 'FAILED', code: 'canceled', error: 'canceled by user' });
    const status = await idle.call(`/v2/requests/${id}/status`);
    expect(status.status).toBe(422);
    expect((await idle.services.store.getAccount('admin'))!.balance).toBe(before);
  });

  it('a PROCESSING request is aborted and FAILED; cancelling again is 409 with the status', async () => {
    const id = await submitId(server, {}, { 'x-reelay-fault': 'slow' });
    for (;;) {
      const body = (await (await server.call(`/v2/requests/${id}/status`)).json()) as { status: string };
      if (body.status === 'PROCESSING') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await server.call(`/v2/requests/${id}/cancel`, { method: 'POST' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500)); // longer than the slow fault: it must not complete anyway
    const final = await server.call(`/v2/requests/${id}`);
    expect(final.status).toBe(422);
    expect(await final.json()).toMatchObject({ status: 'FAILED', code: 'canceled' });
    expect((await server.services.store.getRequest(id))?.outputKey).toBeNull();
    const again = await server.call(`/v2/requests/${id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'conflict', status: 'FAILED', request_id: id });
  });
});

describe('idempotency', () => {
  it('parallel submits with one key make one request; another body with the key is 409', async () => {
    const headers = { 'idempotency-key': `key-${Date.now()}` };
    const answers = await Promise.all([post(idle, { seed: 5 }, headers), post(idle, { seed: 5 }, headers), post(idle, { seed: 5 }, headers)]);
    const ids = await Promise.all(answers.map(async (r) => ((await r.json()) as { request_id: string }).request_id));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(ids).size).toBe(1);
    const conflict = await post(idle, { seed: 6 }, headers);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ code: 'conflict', request_id: ids[0] });
    const tooLong = await post(idle, {}, { 'idempotency-key': 'k'.repeat(256) });
    expect(tooLong.status).toBe(400);
  });
});

describe('execution timeout', () => {
  it('a run past the model timeout FAILS with code timeout and is refunded', async () => {
    const quick = await startTestServer({ emulatorFaults: true, slowFaultDuration: 5000, models: { [MODEL]: { engine: 'motion', timeout: 500 } } });
    try {
      const before = (await quick.services.store.getAccount('admin'))!.balance;
      const id = await submitId(quick, {}, { 'x-reelay-fault': 'slow' });
      const body = await waitFinished(quick, id, 10_000);
      expect(body).toMatchObject({ status: 'FAILED', code: 'timeout' });
      expect((await quick.services.store.getAccount('admin'))!.balance).toBe(before);
    } finally {
      await quick.stop();
    }
  });
});

describe('webhooks', () => {
  async function secretOf(target: TestServer): Promise<string> {
    const res = await target.call('/admin/accounts/admin/webhook-secret', { method: 'POST' });
    return ((await res.json()) as { webhook_secret: string }).webhook_secret;
  }

  it('delivers the result body, signed so the standardwebhooks verifier accepts it', async () => {
    const secret = await secretOf(server);
    const id = await submitId(server, { webhook: `${receiver.origin}/ok` }, { 'x-reelay-fault': 'content_blocked' });
    await waitFinished(server, id);
    let delivered;
    for (let i = 0; i < 50 && !delivered; i++) {
      delivered = receiver.requests.find((r) => r.path === '/ok' && r.body.includes(id));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(delivered).toBeDefined();
    const payload = new Webhook(secret).verify(delivered!.body, delivered!.headers) as Record<string, unknown>;
    expect(payload).toEqual(
      await (await server.call(`/v2/requests/${id}`)).json().then((b) => {
        const { webhook: _ignored, ...rest } = b as Record<string, unknown>;
        return rest;
      }),
    );
    const result = (await (await server.call(`/v2/requests/${id}`)).json()) as { webhook: Record<string, unknown> };
    expect(result.webhook).toMatchObject({ status: 'delivered', attempts: 1, last_status: 204 });
  });

  it('retries a receiver that is down until it answers 2xx, with backoff', async () => {
    failuresLeft = 1;
    const id = await submitId(server, { webhook: `${receiver.origin}/flaky` }, { 'x-reelay-fault': 'engine_error' });
    await waitFinished(server, id);
    let view: { deliveries: Array<Record<string, unknown>> } = { deliveries: [] };
    for (let i = 0; i < 100; i++) {
      view = (await (await server.call(`/admin/requests/${id}/webhooks`)).json()) as typeof view;
      if (view.deliveries[0]?.status === 'delivered') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(view.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2, last_status: 200 });
    const hits = receiver.requests.filter((r) => r.path === '/flaky' && r.body.includes(id));
    expect(hits).toHaveLength(2);
    expect(hits[0]!.headers['webhook-id']).toBe(hits[1]!.headers['webhook-id']);
  });

  it.each([
    ['not http(s)', 'ftp://example.com/hook'],
    ['a private address', 'http://10.0.0.1/hook'],
    ['over 2048 characters', `https://example.com/${'a'.repeat(2050)}`],
  ])('a webhook URL that is %s is a 400 at submit', async (_label, webhook) => {
    const res = await post(server, { webhook });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_request', details: [{ field: 'webhook' }] });
  });

  it('the test endpoint sends a signed test delivery and reports the answer', async () => {
    const secret = await secretOf(server);
    const res = await server.call('/v2/webhooks/test', {
      method: 'POST',
      body: JSON.stringify({ url: `${receiver.origin}/ok` }),
      headers: { 'content-type': 'application/json' },
    });
    expect(await res.json()).toMatchObject({ ok: true, status: 204 });
    const got = receiver.requests.at(-1)!;
    expect(new Webhook(secret).verify(got.body, got.headers)).toMatchObject({ type: 'webhook.test' });
    const bad = await server.call('/v2/webhooks/test', {
      method: 'POST',
      body: JSON.stringify({ url: 'http://169.254.169.254/' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('a Segmind client (fixed-interval polling) sees unchanged behaviour', () => {
  it('polls status_url until COMPLETED, then reads response_url once', async () => {
    const submitted = (await (await post(server, { duration: 5 })).json()) as Record<string, string>;
    expect(Object.keys(submitted).sort()).toEqual(['poll_url', 'request_id', 'response_url', 'status', 'status_url']);
    let status: Record<string, unknown>;
    for (;;) {
      const res = await fetch(submitted.status_url!, { headers: { 'x-api-key': server.key } });
      status = (await res.json()) as Record<string, unknown>;
      expect(['QUEUED', 'PROCESSING', 'COMPLETED']).toContain(status.status);
      if (status.status === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const result = (await (await fetch(submitted.response_url!, { headers: { 'x-api-key': server.key } })).json()) as Record<string, unknown>;
    expect(result).toMatchObject({ status: 'COMPLETED', error: null, output: expect.any(String), metrics: expect.any(Object) });
    expect(result.webhook).toBeUndefined();
  });
});
