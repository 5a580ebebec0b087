import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, submit, waitFinished, type TestServer } from '../helpers/server.js';

const MODEL = 'veo-2-image2video';
let server: TestServer;
let image: string;

beforeAll(async () => {
  image = await sampleDataUri(160, 90);
  server = await startTestServer({ emulatorFaults: true, slowFaultDuration: 1500, syncTimeout: 400, retention: 1500, worker: { concurrency: 2 } });
});
afterAll(async () => server?.stop());

async function submitWithFault(fault: string): Promise<string> {
  const res = await submit(server, `/v2/${MODEL}`, { image, duration: 5 }, { 'x-reelay-fault': fault });
  expect(res.status).toBe(200);
  return ((await res.json()) as { request_id: string }).request_id;
}

describe('emulator faults end requests as FAILED with a code (SPEC 5.1, 5.3)', () => {
  it.each([
    ['content_blocked', /content filter/],
    ['engine_error', /engine failed/],
    ['timeout', /time limit/],
  ])('%s', async (fault, message) => {
    const id = await submitWithFault(fault);
    await waitFinished(server, id);
    const status = await server.call(`/v2/requests/${id}/status`);
    const expected = {
      request_id: id,
      status: 'FAILED',
      error: expect.stringMatching(message),
      code: fault,
      metrics: { inference_time: expect.any(Number) },
      seed: expect.any(Number),
      engine: 'motion',
    };
    expect(status.status).toBe(422);
    expect(await status.json()).toEqual(expected);
    const result = await server.call(`/v2/requests/${id}`);
    expect(result.status).toBe(422);
    expect(await result.json()).toEqual(expected);
  });

  it('slow stays PROCESSING with growing progress, then completes', async () => {
    const id = await submitWithFault('slow');
    const seen: Array<{ status: string; progress?: number }> = [];
    for (;;) {
      const body = (await (await server.call(`/v2/requests/${id}/status`)).json()) as { status: string; progress?: number };
      seen.push(body);
      if (body.status === 'COMPLETED' || body.status === 'FAILED') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const processing = seen.filter((s) => s.status === 'PROCESSING').map((s) => s.progress ?? 0);
    expect(seen.at(-1)?.status).toBe('COMPLETED');
    expect(processing.length).toBeGreaterThan(3);
    expect(Math.max(...processing)).toBeGreaterThan(20);
    expect(processing).toEqual([...processing].sort((a, b) => a - b));
  });

  it('result is 202 while the request is unfinished', async () => {
    const id = await submitWithFault('slow');
    const res = await server.call(`/v2/requests/${id}`);
    expect(res.status).toBe(202);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ request_id: id, status: expect.stringMatching(/^(QUEUED|PROCESSING)$/), progress: expect.any(Number) });
    expect(Object.keys(body).every((k) => ['request_id', 'status', 'progress', 'queue_position', 'eta_seconds'].includes(k))).toBe(true);
    await waitFinished(server, id);
  });
});

describe('v1 past sync_timeout and on failure (SPEC 3)', () => {
  it('is 504 with the request_id, and the work goes on', async () => {
    const res = await submit(server, `/v1/${MODEL}`, { image }, { 'x-reelay-fault': 'slow' });
    expect(res.status).toBe(504);
    const body = (await res.json()) as { request_id: string };
    expect(body).toEqual({ error: 'Request timed out', code: 'timeout', request_id: expect.any(String) });
    expect(res.headers.get('x-request-id')).toBe(body.request_id);
    expect((await waitFinished(server, body.request_id)).status).toBe('COMPLETED');
  });

  it('a failed generation is 422 with the FAILED body', async () => {
    const res = await submit(server, `/v1/${MODEL}`, { image }, { 'x-reelay-fault': 'engine_error' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ status: 'FAILED', code: 'engine_error', error: expect.any(String) });
  });
});

describe('retention (SPEC 5.4)', () => {
  it('after expiry every call about the id is 404 and the files are gone', async () => {
    const res = await submit(server, `/v2/${MODEL}`, { image });
    const { request_id: id } = (await res.json()) as { request_id: string };
    await waitFinished(server, id);
    const result = (await (await server.call(`/v2/requests/${id}`)).json()) as { output: string; expires_at: string };
    const row = await server.services.store.getRequest(id);
    const keys = [row!.inputKey, row!.outputKey!];
    for (const key of keys) expect(await server.services.blobs.stat(key)).toBeDefined();
    expect((await fetch(result.output)).status).toBe(200);
    const wait = Date.parse(result.expires_at) - Date.now() + 800; // expiry plus a few sweeps
    await new Promise((r) => setTimeout(r, Math.max(wait, 0)));
    for (const path of [`/v2/requests/${id}/status`, `/v2/requests/${id}`, `/v1/requests/${id}`]) {
      const gone = await server.call(path);
      expect(gone.status).toBe(404);
      expect(await gone.json()).toEqual({ error: 'Request not found', code: 'not_found' });
    }
    expect((await fetch(result.output)).status).toBe(404);
    for (const key of keys) expect(await server.services.blobs.stat(key)).toBeUndefined();
    expect(await server.services.store.getRequest(id)).toBeUndefined();
  });
});
