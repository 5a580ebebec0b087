import OpenAI, { APIError, AuthenticationError, BadRequestError, NotFoundError, RateLimitError, toFile } from 'openai';
import type { Video, VideoCreateParams } from 'openai/resources/videos';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, createCustomer } from '../helpers/customer.js';
import { sampleDataUri, samplePng } from '../helpers/png.js';
import { startReceiver } from '../helpers/receiver.js';
import { startTestServer, submit, type TestServer } from '../helpers/server.js';
import { probeBytes, expectSpecVideo } from '../helpers/video.js';

let server: TestServer;
let client: OpenAI;
let png: Buffer;
let dataUri: string;
/** Made first, so its retention has mostly run out by the time the expiry test looks. */
let expiring: Promise<Video>;

beforeAll(async () => {
  png = await samplePng(160, 90);
  dataUri = await sampleDataUri(160, 90);
  server = await startTestServer({
    emulatorFaults: true,
    slowFaultDuration: 60_000,
    retention: 8000,
    worker: { concurrency: 2 },
    webhooks: { allowList: ['127.0.0.1/32:*'], pollInterval: 100 },
  });
  client = openAi(server.key);
  // Followed from the start, so the test sees it completed before it expires.
  expiring = client.videos.create({ prompt: 'x', input_reference: { image_url: dataUri } }).then((v) => finished(client, v.id));
  expiring.catch(() => {}); // awaited (and reported) by the retention test
});
afterAll(async () => server?.stop());

function openAi(apiKey: string): OpenAI {
  // No retries: a test must see each answer as the server gave it.
  return new OpenAI({ baseURL: `${server.url}/openai/v1`, apiKey, maxRetries: 0 });
}

async function finished(c: OpenAI, id: string): Promise<Video> {
  for (;;) {
    const video = await c.videos.retrieve(id);
    if (video.status === 'completed' || video.status === 'failed') return video;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const asSeconds = (s: string): '8' => s as '8';

describe('OpenAI Videos API through the official SDK', () => {
  it('creates from an uploaded file, polls, downloads the MP4 and its thumbnail', async () => {
    const created = await client.videos.create({
      model: 'sora-2',
      prompt: 'slow zoom',
      seconds: asSeconds('5'),
      size: '720x1280',
      input_reference: await toFile(png, 'start.png', { type: 'image/png' }),
    });
    // A free worker may already have taken it.
    expect(created).toMatchObject({
      object: 'video',
      model: 'sora-2',
      status: expect.stringMatching(/^(queued|in_progress)$/),
      seconds: '5',
      size: '720x1280',
      prompt: 'slow zoom',
      error: null,
    });
    expect(created.id).toMatch(/^video_[0-9a-f]{32}$/);
    expect(created.created_at).toBeCloseTo(Date.now() / 1000, -1);
    const done = await finished(client, created.id);
    expect(done).toMatchObject({ id: created.id, status: 'completed', progress: 100, error: null });
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);
    expect(done.expires_at).toBeGreaterThan(done.completed_at!);

    const content = await client.videos.downloadContent(created.id);
    expect(content.headers.get('content-type')).toBe('video/mp4');
    expectSpecVideo(await probeBytes(new Uint8Array(await content.arrayBuffer())), { width: 720, height: 1280 }, 5);

    const thumb = Buffer.from(await (await client.videos.downloadContent(created.id, { variant: 'thumbnail' })).arrayBuffer());
    expect(await sharp(thumb).metadata()).toMatchObject({ format: 'jpeg', width: 720, height: 1280 });
    await expect(client.videos.downloadContent(created.id, { variant: 'spritesheet' })).rejects.toThrow(/spritesheet is not available/);
  }, 120_000);

  it('takes input_reference[image_url] and defaults; lists newest first with cursor paging; deletes', async () => {
    const { key } = await createCustomer(server, 'openai-list', 10_000);
    const own = openAi(key);
    const ids: string[] = [];
    for (const prompt of ['one', 'two', 'three']) ids.push((await own.videos.create({ prompt, input_reference: { image_url: dataUri } })).id);
    const first = await own.videos.retrieve(ids[0]!);
    expect(first).toMatchObject({ model: 'sora-2', seconds: '5', size: '1280x720' });

    const page = await own.videos.list({ limit: 2 });
    expect(page.data.map((v) => v.id)).toEqual([ids[2], ids[1]]);
    expect(page.has_more).toBe(true);
    const all: string[] = [];
    for await (const v of own.videos.list({ limit: 2, order: 'asc' })) all.push(v.id);
    expect(all).toEqual(ids);

    // An unfinished video is canceled (and refunded) before it is deleted.
    for (const id of ids) {
      expect(await own.videos.delete(id)).toEqual({ id, object: 'video.deleted', deleted: true });
      await expect(own.videos.retrieve(id)).rejects.toBeInstanceOf(NotFoundError);
    }
    expect((await own.videos.list()).data).toEqual([]);
  });

  it("sends OpenAI's video.completed / video.failed events to a webhook (Reelay extension field)", async () => {
    const receiver = await startReceiver({ '/hook': (_req, res) => res.writeHead(204).end() });
    try {
      const params = { prompt: 'x', input_reference: { image_url: dataUri }, webhook: `${receiver.origin}/hook` } as VideoCreateParams;
      const ok = await client.videos.create(params);
      const failed = await client.videos.create(params, { headers: { 'x-reelay-fault': 'engine_error' } });
      while (receiver.requests.length < 2) await new Promise((r) => setTimeout(r, 50));
      const events = receiver.requests.map((r) => JSON.parse(r.body) as { data: { id: string } });
      const byVideo = Object.fromEntries(events.map((e) => [e.data.id, e]));
      expect(byVideo[ok.id]).toEqual({
        id: expect.stringMatching(/^evt_/),
        object: 'event',
        created_at: expect.any(Number),
        type: 'video.completed',
        data: { id: ok.id },
      });
      expect(byVideo[failed.id]).toMatchObject({ type: 'video.failed', data: { id: failed.id } });
      expect(receiver.requests[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('takes a JSON body too, with input_reference.image_url', async () => {
    const res = await fetch(`${server.url}/openai/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'my-model', prompt: 'tilt up', seconds: 6, size: '720x1280', input_reference: { image_url: dataUri } }),
    });
    expect(res.status).toBe(200);
    const video = (await res.json()) as Video;
    expect(video).toMatchObject({ object: 'video', model: 'my-model', seconds: '6', size: '720x1280', prompt: 'tilt up' });
    expect(await client.videos.delete(video.id)).toMatchObject({ deleted: true });
  });

  it('/v1/models describes both doors and their model mapping', async () => {
    const body = (await (await server.call('/v1/models')).json()) as { doors: Record<string, unknown> };
    expect(body.doors).toMatchObject({
      openai: { base_url_path: '/openai/v1', models: {}, other_models: 'veo-2-image2video' },
      gemini: { base_url_path: '/gemini', models: { 'veo-2.0-generate-001': 'veo-2-image2video' } },
    });
  });

  it('refunds a video deleted before it finished', async () => {
    const { id: account, key } = await createCustomer(server, 'openai-delete', 100);
    const own = openAi(key);
    const video = await own.videos.create({ prompt: 'x', input_reference: { image_url: dataUri } }, { headers: { 'x-reelay-fault': 'slow' } });
    expect(await balanceOf(server, account)).toBe(50);
    await own.videos.delete(video.id);
    expect(await balanceOf(server, account)).toBe(100);
  });

  it('shows emulator faults as a failed video with error {code, message}', async () => {
    const blocked = await client.videos.create({ prompt: 'x', input_reference: { image_url: dataUri } }, { headers: { 'x-reelay-fault': 'content_blocked' } });
    expect(await finished(client, blocked.id)).toMatchObject({
      status: 'failed',
      error: { code: 'moderation_blocked', message: expect.stringMatching(/content filter/) },
    });
    const broken = await client.videos.create({ prompt: 'x', input_reference: { image_url: dataUri } }, { headers: { 'x-reelay-fault': 'engine_error' } });
    expect(await finished(client, broken.id)).toMatchObject({
      status: 'failed',
      error: { code: 'engine_error', message: expect.stringMatching(/engine failed/) },
    });
    await expect(client.videos.downloadContent(broken.id)).rejects.toThrow(/is failed/);
  });
});

describe("errors in OpenAI's shape, as the SDK's classes", () => {
  it('AuthenticationError for a bad key', async () => {
    const err = await openAi('rl_not_a_key_000000000000')
      .videos.list()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).error).toEqual({
      message: 'Missing or invalid API key',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    });
  });

  it("NotFoundError for unknown ids, other doors' ids and unknown paths", async () => {
    await expect(client.videos.retrieve('video_00000000000000000000000000000000')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.videos.retrieve('nonsense')).rejects.toBeInstanceOf(NotFoundError);
    const v2 = (await (await submit(server, '/v2/veo-2-image2video', { image: dataUri })).json()) as { request_id: string };
    await expect(client.videos.retrieve(`video_${v2.request_id.replace(/-/g, '')}`)).rejects.toBeInstanceOf(NotFoundError);
    const mine = await client.videos.create({ prompt: 'x', input_reference: { image_url: dataUri } });
    const uuid = mine.id.slice('video_'.length).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    expect((await server.call(`/v2/requests/${uuid}`)).status).toBe(404);
    const res = await fetch(`${server.url}/openai/v1/images/generations`, { headers: { authorization: `Bearer ${server.key}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'not_found' } });
  });

  it.each([
    [{ seconds: asSeconds('12') }, 'seconds', /seconds: must be one of 5, 6, 7, 8/],
    [{ size: '1792x1024' as const }, 'size', /size: must be "1280x720" or "720x1280"/],
    [{ input_reference: undefined }, 'input_reference', /input_reference: is required/],
    [{ input_reference: { file_id: 'file_1' } }, 'input_reference[file_id]', /not supported/],
    [{ input_reference: { image_url: 'data:image/png;base64,AAAA' } }, 'input_reference', /input_reference: /],
  ])('BadRequestError naming the field: %o', async (override, param, message) => {
    const err = await client.videos.create({ prompt: 'x', input_reference: { image_url: dataUri }, ...override }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).error).toMatchObject({ type: 'invalid_request_error', param, message: expect.stringMatching(message) });
  });

  it("RateLimitError with retry-after past the key's rate", async () => {
    const { key } = await createCustomer(server, 'openai-rpm', 10_000, { rpm_limit: 1 });
    const own = openAi(key);
    await own.videos.create({ prompt: 'x', input_reference: { image_url: dataUri } }, { headers: { 'x-reelay-fault': 'engine_error' } });
    // The window is a fixed minute: it may roll over between two calls, never twice within three.
    let err: unknown;
    for (let call = 0; call < 2 && !(err instanceof RateLimitError); call++) {
      err = await own.videos.create({ prompt: 'x', input_reference: { image_url: dataUri } }).catch((e: unknown) => e);
    }
    expect(err).toBeInstanceOf(RateLimitError);
    expect(Number((err as RateLimitError).headers?.get('retry-after'))).toBeGreaterThan(0);
    expect((err as RateLimitError).error).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it('402 insufficient_quota when the account cannot pay', async () => {
    const { key } = await createCustomer(server, 'openai-poor', 10);
    const err = await openAi(key)
      .videos.create({ prompt: 'x', input_reference: { image_url: dataUri } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(402);
    expect((err as APIError).error).toMatchObject({
      type: 'insufficient_quota',
      code: 'insufficient_quota',
      message: expect.stringMatching(/costs 50 credits/),
    });
  });

  it('refuses a bad list query', async () => {
    await expect(client.videos.list({ limit: 1000 })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.videos.list({ after: 'video_00000000000000000000000000000000' })).rejects.toThrow(/no video/);
  });
});

describe('retention', () => {
  it("a video expires into the door's 404", async () => {
    const done = await expiring;
    expect(done.status).toBe('completed');
    while (Date.now() / 1000 <= done.expires_at! + 1) await new Promise((r) => setTimeout(r, 200));
    await expect(client.videos.retrieve(done.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
