import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError, ConnectionError, Reelay } from '@reelay/sdk';
import { listenLoopback } from '../helpers/loopback.js';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let image: string;
const blocked = { headers: { 'x-reelay-fault': 'content_blocked' } };

beforeAll(async () => {
  // One submit per 1-second window: the second submit is a 429 with Retry-After.
  server = await startTestServer({ emulatorFaults: true, limits: { submitPerMinute: 1, window: 1000 } });
  image = await sampleDataUri(64, 36);
});
afterAll(() => server?.stop());

it('a 429 on submit is retried after Retry-After, and the submit then succeeds', async () => {
  // A fetch that logs every answer, to see the 429 and when the SDK tried again.
  const log: Array<{ at: number; status: number; retryAfter: string | null }> = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await globalThis.fetch(input, init);
    log.push({ at: Date.now(), status: res.status, retryAfter: res.headers.get('retry-after') });
    return res;
  };
  const client = new Reelay({ apiKey: server.key, baseUrl: server.url, fetch });
  // Submits back to back until one was refused (a window may roll over between two of them).
  for (let i = 0; i < 3 && !log.some((l) => l.status === 429); i++) {
    expect((await client.submitAsync('veo-2-image2video', { image }, blocked)).requestId).toMatch(/\S/);
  }
  const refused = log.findIndex((l) => l.status === 429);
  expect(refused).toBeGreaterThanOrEqual(0);
  const limited = log[refused]!;
  const next = log[refused + 1]!;
  expect(Number(limited.retryAfter)).toBeGreaterThan(0);
  expect(next.at - limited.at).toBeGreaterThanOrEqual(Number(limited.retryAfter) * 1000 - 20);
  expect(log.at(-1)?.status).toBe(200);
});

it('with retries off, the 429 is an ApiError rate_limited', async () => {
  const client = new Reelay({ apiKey: server.key, baseUrl: server.url, maxRetries: 0 });
  const first = await client.submitAsync('veo-2-image2video', { image }, blocked).catch((e: unknown) => e);
  const second = await client.submitAsync('veo-2-image2video', { image }, blocked).catch((e: unknown) => e);
  const limited = [first, second].find((e) => e instanceof ApiError);
  expect(limited).toMatchObject({ status: 429, code: 'rate_limited' });
});

/** A server that drops the first `drops` connections, then answers a QUEUED status. */
async function flaky(drops: number): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const { url, close } = await listenLoopback((req, res) => {
    hits++;
    if (hits <= drops) return void req.socket.destroy();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ request_id: 'r1', status: 'QUEUED' }));
  });
  return { url, hits: () => hits, close };
}

it('GETs are retried after connection errors; runSync (not idempotent) is not', async () => {
  const f = await flaky(1);
  try {
    const client = new Reelay({ apiKey: 'k', baseUrl: f.url });
    expect(await client.job('r1').status()).toMatchObject({ status: 'QUEUED' });
    expect(f.hits()).toBe(2);
  } finally {
    await f.close();
  }
  const g = await flaky(1);
  try {
    const client = new Reelay({ apiKey: 'k', baseUrl: g.url });
    await expect(client.runSync('veo-2-image2video', { image: 'x' })).rejects.toBeInstanceOf(ConnectionError);
    expect(g.hits()).toBe(1);
  } finally {
    await g.close();
  }
});
