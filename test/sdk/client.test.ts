import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, InferenceFailed, InferenceTimeout, Reelay, type StatusBody, type WaitMode } from '@reelay/sdk';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { expectSpecVideo, probeBytes } from '../helpers/video.js';

const MODEL = 'veo-2-image2video';
let server: TestServer;
let client: Reelay;
let image: string;
let dir: string;

beforeAll(async () => {
  // A long slow fault keeps a request PROCESSING (with progress) until a test cancels it.
  server = await startTestServer({ emulatorFaults: true, slowFaultDuration: 20_000 });
  client = new Reelay({ apiKey: server.key, baseUrl: server.url });
  image = await sampleDataUri();
  dir = await mkdtemp(join(tmpdir(), 'reelay-sdk-'));
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const fault = (kind: string) => ({ headers: { 'x-reelay-fault': kind } });

describe('run, runSync and downloadOutput on a real render', () => {
  it('run() streams progress over SSE and returns the COMPLETED body; the video downloads three ways', async () => {
    const seen: StatusBody[] = [];
    const job = await client.submitAsync(MODEL, { image, prompt: 'slow zoom in', duration: 5, seed: 7 });
    expect(job.statusUrl).toBe(`${server.url}/v2/requests/${job.requestId}/status`);
    const result = await job.wait({ onProgress: (s) => seen.push(s), timeoutMs: 60_000 });
    expect(job.waitStrategy).toBe('sse');
    expect(result).toMatchObject({ request_id: job.requestId, status: 'COMPLETED', error: null, seed: 7, engine: 'motion', output_type: 'video/mp4' });
    expect(seen.some((s) => s.status === 'PROCESSING')).toBe(true);

    const path = join(dir, 'run.mp4');
    await client.downloadOutput(result, path);
    const bytes = await readFile(path);
    expectSpecVideo(await probeBytes(bytes), { width: 1280, height: 720 }, 5);

    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await client.downloadOutput(result.output, sink);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);

    const blob = await client.downloadOutput(result);
    expect(blob.size).toBe(bytes.length);
  });

  it('runSync() returns the video bytes with request id, seed and engine', async () => {
    const out = await client.runSync(MODEL, { image, duration: 5, seed: 42 });
    expect(out).toMatchObject({ seed: 42, engine: 'motion', contentType: 'video/mp4' });
    expect(out.requestId).toMatch(/\S+/);
    expectSpecVideo(await probeBytes(out.video), { width: 1280, height: 720 }, 5);
  });

  it('runSync() throws InferenceFailed with the FAILED body', async () => {
    const err = await client.runSync(MODEL, { image }, fault('engine_error')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceFailed);
    expect(err).toMatchObject({ code: 'engine_error', result: { status: 'FAILED' } });
  });
});

describe('waiting', () => {
  it.each<WaitMode>(['sse', 'longpoll', 'poll'])('wait({ mode: %s }) follows progress and ends with the cancel', async (mode) => {
    const job = await client.submitAsync(MODEL, { image }, fault('slow'));
    const seen: StatusBody[] = [];
    let canceled = false;
    const err = await job
      .wait({
        mode,
        intervalMs: 100,
        onProgress: (s) => {
          seen.push(s);
          // Cancel once the request is visibly moving, from inside the wait.
          if (!canceled && s.status === 'PROCESSING' && (s.progress ?? 0) > 0) {
            canceled = true;
            void job.cancel();
          }
        },
      })
      .catch((e: unknown) => e);
    expect(job.waitStrategy).toBe(mode);
    expect(err).toBeInstanceOf(InferenceFailed);
    expect(err).toMatchObject({ code: 'canceled', requestId: job.requestId });
    expect(seen.filter((s) => s.status === 'PROCESSING').length).toBeGreaterThan(0);
  });

  it('InferenceTimeout after timeoutMs; the request goes on, cancel() ends it, a second cancel is a 409', async () => {
    const job = await client.submitAsync(MODEL, { image }, fault('slow'));
    const started = Date.now();
    const err = await job.wait({ timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceTimeout);
    expect((err as InferenceTimeout).requestId).toBe(job.requestId);
    expect((err as InferenceTimeout).elapsedMs).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(['QUEUED', 'PROCESSING']).toContain((await job.status()).status);

    const failed = await job.cancel();
    expect(failed).toMatchObject({ request_id: job.requestId, status: 'FAILED', code: 'canceled' });
    const again = await job.cancel().catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ApiError);
    expect(again).toMatchObject({ status: 409, requestId: job.requestId });
  });

  it('an aborted signal rejects wait() with its reason', async () => {
    const job = await client.submitAsync(MODEL, { image }, fault('slow'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user gave up')), 200);
    await expect(job.wait({ signal: controller.signal })).rejects.toThrow('user gave up');
    await job.cancel();
  });

  it('status() and result() of a FAILED request; a Job by id; run() throws InferenceFailed', async () => {
    const err = await client.run(MODEL, { image }, { ...fault('content_blocked'), mode: 'poll', intervalMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceFailed);
    const failed = err as InferenceFailed;
    expect(failed.code).toBe('content_blocked');
    expect(failed.result.error).toMatch(/content filter/);
    const job = client.job(failed.requestId);
    expect(await job.status()).toMatchObject({ status: 'FAILED', code: 'content_blocked' });
    await expect(job.result()).rejects.toBeInstanceOf(InferenceFailed);
  });

  it('submitAsync() with the same idempotency key returns the same request', async () => {
    const a = await client.submitAsync(MODEL, { image }, { idempotencyKey: 'sdk-test-key-1', ...fault('content_blocked') });
    const b = await client.submitAsync(MODEL, { image }, { idempotencyKey: 'sdk-test-key-1', ...fault('content_blocked') });
    expect(b.requestId).toBe(a.requestId);
  });
});

describe('ApiError', () => {
  it('a bad key is 401 unauthorized', async () => {
    const bad = new Reelay({ apiKey: 'rl_wrong', baseUrl: server.url });
    await expect(bad.submitAsync(MODEL, { image })).rejects.toMatchObject({ name: 'ApiError', status: 401, code: 'unauthorized' });
  });

  it('bad parameters are 400 with every field listed', async () => {
    const params = { image, duration: 9, aspect_ratio: '4:3' } as unknown as { image: string };
    const err = (await client.submitAsync(MODEL, params).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_request' });
    expect((err.body.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(['aspect_ratio', 'duration']);
  });

  it('an unknown model and an unknown request are 404s', async () => {
    await expect(client.submitAsync('no-such-model', { image })).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    await expect(client.job('req_does_not_exist').status()).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(client.job('req_does_not_exist').wait()).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('reads the key from REELAY_API_KEY, then SEGMIND_API_KEY', async () => {
    const saved = { r: process.env.REELAY_API_KEY, s: process.env.SEGMIND_API_KEY };
    try {
      delete process.env.REELAY_API_KEY;
      process.env.SEGMIND_API_KEY = server.key;
      const job = await new Reelay({ baseUrl: server.url }).submitAsync(MODEL, { image }, fault('content_blocked'));
      process.env.REELAY_API_KEY = 'rl_wrong';
      await expect(new Reelay({ baseUrl: server.url }).job(job.requestId).status()).rejects.toMatchObject({ status: 401 });
    } finally {
      for (const [name, value] of [
        ['REELAY_API_KEY', saved.r],
        ['SEGMIND_API_KEY', saved.s],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
