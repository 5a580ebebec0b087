import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret } from '../../src/webhooks/signature.js';
import { sendWebhook } from '../../src/webhooks/send.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

const LOOPBACK = ['127.0.0.1/32:*'];
const secret = generateWebhookSecret();
const body = JSON.stringify({ id: 'req_1', status: 'COMPLETED' });
let rx: Receiver;
let msgCounter = 0;

function send(path: string, extra: { allowList?: string[]; timeoutMs?: number; url?: string } = {}) {
  return sendWebhook({
    url: extra.url ?? `${rx.origin}${path}`,
    secret,
    msgId: `msg_${++msgCounter}`,
    body,
    allowList: extra.allowList ?? LOOPBACK,
    ...(extra.timeoutMs === undefined ? {} : { timeoutMs: extra.timeoutMs }),
  });
}

const hits = (path: string): number => rx.requests.filter((r) => r.path === path).length;

beforeAll(async () => {
  rx = await startReceiver({
    '/ok': (_req, res) => res.writeHead(204).end(),
    '/fail': (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'),
    '/moved': (_req, res) => res.writeHead(302, { location: '/target' }).end(),
    '/moved-nowhere': (_req, res) => res.writeHead(301).end(),
    '/target': (_req, res) => res.writeHead(200).end(),
    '/chatty': (_req, res) => res.writeHead(200).end(Buffer.alloc(1024 * 1024, 97)),
    '/hang': () => undefined,
  });
});

afterAll(async () => {
  await rx.close();
});

describe('sendWebhook', () => {
  it('delivers a POST whose headers verify with standardwebhooks', async () => {
    const out = await send('/ok');
    expect(out).toMatchObject({ ok: true, status: 204, error: null });
    const got = rx.requests.find((r) => r.path === '/ok');
    expect(got).toBeDefined();
    if (!got) return;
    expect(got.method).toBe('POST');
    expect(got.body).toBe(body);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['webhook-id']).toBe(`msg_${msgCounter}`);
    expect(got.headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(got.headers['webhook-signature']).toMatch(/^v1,/);
    expect(new Webhook(secret).verify(got.body, got.headers)).toEqual(JSON.parse(body));
  });

  it('reports a 500 as a failed attempt with its status', async () => {
    const out = await send('/fail');
    expect(out).toMatchObject({ ok: false, status: 500 });
    expect(out.error).toContain('500');
  });

  it('does not follow a redirect and says the receiver redirected', async () => {
    const out = await send('/moved');
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/redirect/i);
    expect(hits('/moved')).toBe(1);
    expect(hits('/target')).toBe(0);
    // guardedFetch currently throws for a redirect it won't follow, without the status.
    if (out.status !== null) {
      expect(out.status).toBe(302);
      expect(out.error).toContain('302');
    }
  });

  it('reports a 3xx that guardedFetch returns (no Location) as a redirect with its status', async () => {
    const out = await send('/moved-nowhere');
    expect(out).toMatchObject({ ok: false, status: 301 });
    expect(out.error).toMatch(/redirect/i);
    expect(out.error).toContain('301');
  });

  it('gives up on a receiver that never answers, within about the timeout', async () => {
    const started = Date.now();
    const out = await send('/hang', { timeoutMs: 300 });
    const elapsed = Date.now() - started;
    expect(out).toMatchObject({ ok: false, status: null });
    expect(out.error).toMatch(/timed out/);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3_000);
    expect(out.durationMs).toBeGreaterThanOrEqual(250);
    expect(hits('/hang')).toBe(1);
  });

  it('refuses loopback without the allow-list, before connecting', async () => {
    const before = rx.connections;
    const requests = rx.requests.length;
    const out = await send('/ok', { allowList: [] });
    expect(out).toMatchObject({ ok: false, status: null });
    expect(out.error).toMatch(/127\.0\.0\.1 is .*only public internet addresses/);
    expect(rx.connections).toBe(before);
    expect(rx.requests.length).toBe(requests);
  });

  it('refuses a host name that resolves to loopback, before connecting', async () => {
    const before = rx.connections;
    const out = await send('', { allowList: [], url: rx.origin.replace('127.0.0.1', 'localhost') + '/ok' });
    expect(out).toMatchObject({ ok: false, status: null });
    expect(out.error).toMatch(/localhost resolves to/);
    expect(rx.connections).toBe(before);
  });

  it('treats a 2xx with a big body as delivered, reading at most 64 KiB of it', async () => {
    const out = await send('/chatty');
    expect(out.ok).toBe(true);
    expect(out.error).toBeNull();
  });

  it('reports a refused connection and a bad URL without throwing', async () => {
    const gone = await startReceiver({});
    await gone.close();
    const refused = await send('', { url: `${gone.origin}/ok` });
    expect(refused).toMatchObject({ ok: false, status: null });
    expect(refused.error).toMatch(/refused/);
    const bad = await send('', { url: 'ftp://example.com/hook' });
    expect(bad).toMatchObject({ ok: false, status: null });
    expect(bad.error).toMatch(/ftp:/);
  });

  it('throws for programming errors such as a malformed secret', async () => {
    await expect(sendWebhook({ url: `${rx.origin}/ok`, secret: 'whsec_!!', msgId: 'msg_x', body, allowList: LOOPBACK })).rejects.toThrow(/secret/);
  });
});
