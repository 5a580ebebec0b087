import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyBudget } from '../../src/api/body-budget.js';
import { sampleDataUri } from '../helpers/png.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Request bodies held at once are capped per process (defect: 20 concurrent 29 MB bodies took a
 * process to 659 MB). Past the budget a submit is 503 server_busy with Retry-After, before its
 * body is buffered; a body's bytes go back to the budget when its call ends, however it ends.
 */
const MB = 1024 * 1024;
let server: TestServer;
let image: string;

beforeAll(async () => {
  image = await sampleDataUri(64, 36);
  server = await startTestServer({ maxBodyBytes: MB, bodyBudget: 2 * MB, limits: { submitPerMinute: 1000, maxInflight: 1000 } });
});
afterAll(async () => server?.stop());

/** A body of `size` bytes: a valid submit padded with an unknown field (ignored, as Segmind does). */
function paddedBody(size: number): string {
  const head = JSON.stringify({ image, padding: '' });
  return head.replace('"padding":""', `"padding":"${'x'.repeat(size - head.length)}"`);
}

/** Starts an upload that declares `size` bytes, sends a little and keeps the rest back. */
async function slowUpload(size: number): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write(
    `POST /v2/veo-2-image2video HTTP/1.1\r\nHost: x\r\nx-api-key: ${ADMIN_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
  );
  socket.write(paddedBody(size).slice(0, 1024));
  socket.on('error', () => {}); // we end it ourselves
  return socket;
}

/** Sends `body` chunked and resolves with the status line of the answer (which may come before the body ends). */
async function chunkedStatus(body: string): Promise<string> {
  const socket = connect(server.port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const answer = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString('latin1').split('\r\n')[0] ?? '')));
  socket.write(
    `POST /v2/veo-2-image2video HTTP/1.1\r\nHost: x\r\nx-api-key: ${ADMIN_KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
  );
  for (let i = 0; i < body.length; i += 64 * 1024) {
    const part = body.slice(i, i + 64 * 1024);
    socket.write(`${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
  }
  socket.write('0\r\n\r\n');
  const status = await answer;
  socket.destroy();
  return status;
}

const submit = (body: string, headers: Record<string, string> = {}): Promise<Response> =>
  server.call('/v2/veo-2-image2video', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

/** The budget is free again once a full-size submit goes through (bounded by the test timeout). */
async function untilAccepted(size: number): Promise<Response> {
  for (;;) {
    const res = await submit(paddedBody(size));
    if (res.status !== 503) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the request-body budget', () => {
  it('accounts holds exactly: takes, refuses past the limit without taking, releases once', () => {
    const budget = new BodyBudget(100);
    const a = budget.hold();
    const b = budget.hold();
    a.take(60);
    expect(() => b.take(50)).toThrow(expect.objectContaining({ code: 'server_busy', data: { retryAfterSeconds: 1 } }));
    expect(budget.inUse).toBe(60);
    b.take(40);
    a.release();
    a.release();
    expect(budget.inUse).toBe(40);
    b.release();
    expect(budget.inUse).toBe(0);
  });

  it('past the budget a submit is 503 server_busy with Retry-After; after the holders end, submits go through', async () => {
    const holders = [await slowUpload(MB - 10), await slowUpload(MB - 10)];
    // Both holders have their declared size taken once the server reads their first bytes.
    let busy: Response;
    for (;;) {
      busy = await submit(paddedBody(64 * 1024));
      if (busy.status === 503) break;
      expect(busy.status).toBe(200); // the holders were not being read yet
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await busy.json()).toEqual({ error: expect.stringContaining('retry in a moment'), code: 'server_busy' });

    // A chunked body (no Content-Length) is stopped by the same budget as it arrives.
    expect(await chunkedStatus(paddedBody(512 * 1024))).toMatch(/^HTTP\/1\.1 503 /);

    for (const h of holders) h.destroy(); // clients that hang up give their bytes back
    expect((await untilAccepted(MB - 10)).status).toBe(200);
    // Both halves of the budget are free: two full-size bodies at once fit.
    const [x, y] = await Promise.all([submit(paddedBody(MB - 10)), submit(paddedBody(MB - 10))]);
    expect([x.status, y.status]).toEqual([200, 200]);
  });
});
