import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, submit, waitFinished, type TestServer } from '../helpers/server.js';
import { expectSpecVideo, probeBytes } from '../helpers/video.js';

const MODEL = 'veo-2-image2video';
let server: TestServer;
let image: string;

beforeAll(async () => {
  server = await startTestServer();
  image = await sampleDataUri(400, 300);
});
afterAll(async () => server?.stop());

const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe('v2 asynchronous flow (SPEC 4, 5)', () => {
  let id: string;
  let output: string;

  it('submit answers 200 with absolute URLs and QUEUED', async () => {
    const res = await submit(server, `/v2/${MODEL}`, { image, prompt: 'slow zoom in', duration: 5, extra_field: 'ignored' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    id = body.request_id!;
    expect(body).toEqual({
      request_id: id,
      status: 'QUEUED',
      status_url: `${server.url}/v2/requests/${id}/status`,
      response_url: `${server.url}/v2/requests/${id}`,
      poll_url: `${server.url}/v1/requests/${id}`,
    });
    expect(res.headers.get('x-request-id')).toBe(id);
  });

  it('status goes to COMPLETED with exactly the SPEC fields', async () => {
    const body = await waitFinished(server, id);
    expect(body).toEqual({ request_id: id, status: 'COMPLETED', created_at: iso, started_at: iso, completed_at: iso, expires_at: iso });
  });

  it('result is 200 with output, metrics, seed and the honest engine label', async () => {
    const res = await server.call(`/v2/requests/${id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      request_id: id,
      status: 'COMPLETED',
      error: null,
      output: expect.stringMatching(new RegExp(`^${server.url}/v2/files/[\\w-]+/${id}\\.mp4$`)),
      metrics: { inference_time: expect.any(Number), queue_time: expect.any(Number) },
      output_type: 'video/mp4',
      seed: expect.any(Number),
      seed_honoured: true,
      engine: 'motion',
      expires_at: iso,
    });
    expect((body.metrics as { inference_time: number }).inference_time).toBeGreaterThan(0);
    output = body.output as string;
    // GET /v1/requests/{id} answers exactly like v2.
    const v1 = await server.call(`/v1/requests/${id}`);
    expect(v1.status).toBe(200);
    expect(await v1.json()).toEqual(body);
  });

  it('the output URL serves a SPEC video without the API key', async () => {
    const res = await fetch(output);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expectSpecVideo(await probeBytes(bytes), { width: 1280, height: 720 }, 5);
  });

  it('answers Range requests with 206, suffix ranges, HEAD and 416', async () => {
    const whole = new Uint8Array(await (await fetch(output)).arrayBuffer());
    const part = await fetch(output, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(whole.slice(100, 200));
    const tail = await fetch(output, { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(whole.slice(-10));
    const head = await fetch(output, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(whole.length)]);
    const bad = await fetch(output, { headers: { range: `bytes=${whole.length}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    expect(bad.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await bad.json()).toMatchObject({ code: 'range_not_satisfiable', error: expect.stringContaining(`${whole.length} bytes`) });
  });

  it('a forged or foreign file token is 404', async () => {
    const forged = output.replace(/files\/[\w-]+\//, 'files/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/');
    const res = await fetch(forged);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Request not found', code: 'not_found' });
  });
});

describe('v1 synchronous flow (SPEC 3)', () => {
  it('returns the video bytes for 9:16 and a non-default duration', async () => {
    const res = await submit(server, `/v1/${MODEL}`, { image, duration: '6', aspect_ratio: '9:16', seed: 42 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('x-seed')).toBe('42');
    expect(res.headers.get('x-engine')).toBe('motion');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expectSpecVideo(await probeBytes(new Uint8Array(await res.arrayBuffer())), { width: 720, height: 1280 }, 6);
  });

  it('is deterministic: same seed, same bytes; other seed, other bytes', async () => {
    const render = async (seed: number): Promise<Buffer> => {
      const res = await submit(server, `/v1/${MODEL}`, { image, seed });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const [a, b, c] = [await render(7), await render(7), await render(8)];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });
});

describe('GET /v1/models', () => {
  it('lists veo-2-image2video with its parameters and engine', async () => {
    const res = await server.call('/v1/models');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { models: Array<Record<string, unknown>> };
    expect(body.models).toEqual([
      expect.objectContaining({
        slug: MODEL,
        engine: 'motion',
        engine_note: expect.stringContaining('Not a generative model'),
        price: { currency: 'credits', per_second: 10, per_request: 0 },
      }),
    ]);
    expect(Object.keys(body.models[0]!.parameters as object)).toEqual(['image', 'prompt', 'duration', 'aspect_ratio', 'seed']);
  });
});
