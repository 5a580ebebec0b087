import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, GoogleGenAI, type GenerateVideosOperation, type GenerateVideosParameters } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, createCustomer } from '../helpers/customer.js';
import { samplePng } from '../helpers/png.js';
import { startReceiver } from '../helpers/receiver.js';
import { startTestServer, submit, type TestServer } from '../helpers/server.js';
import { expectSpecVideo, probeBytes } from '../helpers/video.js';

const MODEL = 'veo-2.0-generate-001';
let server: TestServer;
let ai: GoogleGenAI;
let image: string;
let tmp: string;
/** Made first, so its retention has mostly run out by the time the expiry test looks. */
let expiring: Promise<GenerateVideosOperation>;

beforeAll(async () => {
  image = (await samplePng(160, 90)).toString('base64');
  tmp = await mkdtemp(join(tmpdir(), 'reelay-gemini-'));
  server = await startTestServer({
    emulatorFaults: true,
    slowFaultDuration: 60_000,
    retention: 8000,
    worker: { concurrency: 2 },
    webhooks: { allowList: ['127.0.0.1/32:*'], pollInterval: 100 },
  });
  ai = gemini(server.key);
  expiring = ai.models.generateVideos(params()).then((op) => done(ai, op));
  expiring.catch(() => {}); // awaited (and reported) by the retention test
});
afterAll(async () => {
  await server?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function gemini(apiKey: string, headers: Record<string, string> = {}): GoogleGenAI {
  return new GoogleGenAI({ apiKey, httpOptions: { baseUrl: `${server.url}/gemini`, headers } });
}

function params(config: GenerateVideosParameters['config'] = {}): GenerateVideosParameters {
  return { model: MODEL, source: { prompt: 'slow zoom', image: { imageBytes: image, mimeType: 'image/png' } }, config: { numberOfVideos: 1, ...config } };
}

async function done(client: GoogleGenAI, op: GenerateVideosOperation): Promise<GenerateVideosOperation> {
  while (!op.done) {
    await new Promise((r) => setTimeout(r, 100));
    op = await client.operations.getVideosOperation({ operation: op });
  }
  return op;
}

/** The SDK's ApiError carries the HTTP status and Google's JSON body as its message. */
async function apiError(promise: Promise<unknown>): Promise<{ status: number; error: { code: number; message: string; status: string } }> {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  const { status, message } = err as ApiError;
  return { status, error: (JSON.parse(message) as { error: { code: number; message: string; status: string } }).error };
}

describe('Veo through the Gemini API door, with the official SDK', () => {
  it('generateVideos, getVideosOperation until done, files.download', async () => {
    const started = await ai.models.generateVideos(
      params({ aspectRatio: '9:16', durationSeconds: 5, personGeneration: 'allow_adult', negativePrompt: 'blur', enhancePrompt: true }),
    );
    expect(started.name).toMatch(/^models\/veo-2\.0-generate-001\/operations\/[0-9a-f]{32}$/);
    expect(started.done).toBe(false);
    const op = await done(ai, started);
    expect(op.error).toBeUndefined();
    const generated = op.response?.generatedVideos ?? [];
    expect(generated).toHaveLength(1);
    expect(generated[0]!.video?.uri).toMatch(/\/gemini\/v1beta\/files\/[0-9a-f]{32}:download\?alt=media$/);
    const path = join(tmp, 'veo.mp4');
    await ai.files.download({ file: generated[0]!, downloadPath: path });
    expectSpecVideo(await probeBytes(await readFile(path)), { width: 720, height: 1280 }, 5);
  }, 120_000);

  it("a content block looks exactly like Veo's RAI filtering", async () => {
    const client = gemini(server.key, { 'x-reelay-fault': 'content_blocked' });
    const op = await done(client, await client.models.generateVideos(params()));
    expect(op.error).toBeUndefined();
    expect(op.response?.generatedVideos ?? []).toEqual([]);
    expect(op.response?.raiMediaFilteredCount).toBe(1);
    expect(op.response?.raiMediaFilteredReasons).toEqual([expect.stringMatching(/content filter/)]);
  });

  it('other failures are an operation error; cancel ends it CANCELLED and refunds it', async () => {
    const broken = gemini(server.key, { 'x-reelay-fault': 'engine_error' });
    const failed = await done(broken, await broken.models.generateVideos(params()));
    expect(failed.error).toEqual({ code: 13, message: expect.stringMatching(/engine failed/) });

    const { id: account, key } = await createCustomer(server, 'gemini-cancel', 100);
    const slow = gemini(key, { 'x-reelay-fault': 'slow' });
    const op = await slow.models.generateVideos(params());
    expect(await balanceOf(server, account)).toBe(50);
    const res = await fetch(`${server.url}/gemini/v1beta/${op.name}`, { method: 'DELETE', headers: { 'x-goog-api-key': key } });
    expect(res.status).toBe(200);
    expect((await done(slow, op)).error).toEqual({ code: 1, message: 'canceled by user' });
    expect(await balanceOf(server, account)).toBe(100);
  });

  it('posts the finished operation to webhookConfig.uris', async () => {
    const receiver = await startReceiver({ '/hook': (_req, res) => res.writeHead(204).end() });
    try {
      const blocked = gemini(server.key, { 'x-reelay-fault': 'content_blocked' });
      const op = await done(blocked, await blocked.models.generateVideos(params({ webhookConfig: { uris: [`${receiver.origin}/hook`] } })));
      while (receiver.requests.length < 1) await new Promise((r) => setTimeout(r, 50));
      expect(JSON.parse(receiver.requests[0]!.body)).toEqual({
        name: op.name,
        done: true,
        response: {
          '@type': expect.any(String),
          generateVideoResponse: { raiMediaFilteredCount: 1, raiMediaFilteredReasons: op.response?.raiMediaFilteredReasons },
        },
      });
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('lists the mapped models; ?key= works as well as the header', async () => {
    const names: string[] = [];
    for await (const m of await ai.models.list()) names.push(m.name ?? '');
    expect(names).toEqual([`models/${MODEL}`]);
    const res = await fetch(`${server.url}/gemini/v1beta/models/${MODEL}?key=${server.key}`);
    expect(await res.json()).toMatchObject({ name: `models/${MODEL}`, supportedGenerationMethods: ['predictLongRunning'] });
  });
});

describe("errors in Google's shape", () => {
  it('a wrong key is 400 "API key not valid", a missing one 403', async () => {
    expect(await apiError(gemini('rl_not_a_key_000000000000').models.generateVideos(params()))).toEqual({
      status: 400,
      error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' },
    });
    const res = await fetch(`${server.url}/gemini/v1beta/models`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
  });

  it.each([
    [{ numberOfVideos: 2 }, /parameters\.sampleCount: must be 1/],
    [{ durationSeconds: 10 }, /parameters\.durationSeconds: must be one of 5, 6, 7, 8/],
    [{ aspectRatio: '1:1' }, /parameters\.aspectRatio: must be "16:9" or "9:16"/],
    [{ resolution: '1080p' }, /parameters\.resolution: must be "720p"/],
  ])('INVALID_ARGUMENT naming the parameter: %o', async (config, message) => {
    expect(await apiError(ai.models.generateVideos(params(config)))).toEqual({
      status: 400,
      error: { code: 400, message: expect.stringMatching(message), status: 'INVALID_ARGUMENT' },
    });
  });

  it('a missing image, and an undecodable one, are INVALID_ARGUMENT', async () => {
    const noImage = apiError(ai.models.generateVideos({ model: MODEL, source: { prompt: 'x' } }));
    expect((await noImage).error.message).toMatch(/instances\[0\]\.image: is required/);
    const bad = apiError(ai.models.generateVideos({ model: MODEL, source: { prompt: 'x', image: { imageBytes: 'AAAA', mimeType: 'image/png' } } }));
    expect((await bad).error.message).toMatch(/instances\[0\]\.image: /);
  });

  it("unknown models, operations and other doors' requests are NOT_FOUND", async () => {
    expect((await apiError(ai.models.generateVideos({ ...params(), model: 'veo-9' }))).status).toBe(404);
    const v2 = (await (await submit(server, '/v2/veo-2-image2video', { image })).json()) as { request_id: string };
    const foreign = { name: `models/${MODEL}/operations/${v2.request_id.replace(/-/g, '')}` } as GenerateVideosOperation;
    expect(await apiError(ai.operations.getVideosOperation({ operation: foreign }))).toMatchObject({ status: 404, error: { status: 'NOT_FOUND' } });
  });

  it('credits run out as RESOURCE_EXHAUSTED', async () => {
    const { key } = await createCustomer(server, 'gemini-poor', 10);
    expect(await apiError(gemini(key).models.generateVideos(params()))).toEqual({
      status: 429,
      error: { code: 429, message: expect.stringMatching(/Insufficient credits/), status: 'RESOURCE_EXHAUSTED' },
    });
  });
});

describe('retention', () => {
  it('an expired operation and its file are NOT_FOUND', async () => {
    const op = await expiring;
    const uri = op.response?.generatedVideos?.[0]?.video?.uri ?? '';
    expect(uri).not.toBe('');
    // Retention is 8 s: the operation answers until then, and NOT_FOUND from then on.
    while ((await fetch(`${server.url}/gemini/v1beta/${op.name}`, { headers: { 'x-goog-api-key': server.key } })).status === 200) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const poll = await fetch(`${server.url}/gemini/v1beta/${op.name}`, { headers: { 'x-goog-api-key': server.key } });
    expect(await poll.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    expect((await fetch(uri, { headers: { 'x-goog-api-key': server.key } })).status).toBe(404);
  });
});
