import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini.js';
import { defaultScenario } from '../fakes/scenario.js';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, waitFinished, type TestServer } from '../helpers/server.js';
import { expectSpecVideo, probeBytes } from '../helpers/video.js';

/** Real Veo 2 through the Gemini API, end to end through Reelay's HTTP API, against a fake Gemini on loopback. */
const MODEL = 'veo-2-image2video';
let fake: GeminiFake;
let server: TestServer;
let image: string;

beforeAll(async () => {
  fake = await startGeminiFake();
  image = await sampleDataUri(320, 180);
  server = await startTestServer({
    veo: { apiKey: fake.apiKey, baseUrl: fake.url, pollInterval: 50, pollMaxInterval: 100, rateLimitBudget: 2000, concurrency: 20 },
  });
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});
beforeEach(() => {
  fake.scenario = defaultScenario();
});

const balance = async (): Promise<number> => (await server.services.store.getAccount('admin'))!.balance;

async function submit(body: Record<string, unknown> = {}): Promise<string> {
  const res = await server.call(`/v2/${MODEL}`, {
    method: 'POST',
    body: JSON.stringify({ image, prompt: 'a cat', seed: 7, ...body }),
    headers: { 'content-type': 'application/json' },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { request_id: string }).request_id;
}

describe('veo-2-image2video served by Veo (Gemini API mode)', () => {
  it('routes the model to veo when a Gemini key is configured, and says the seed is not reproducible', async () => {
    const body = (await (await server.call('/v1/models')).json()) as { models: Array<Record<string, unknown>> };
    expect(body.models[0]).toMatchObject({ slug: MODEL, engine: 'veo', generative: true, seed_reproducible: false });
  });

  it('completes with the MP4 stored and served by Reelay, labelled veo, seed not honoured', async () => {
    fake.scenario.pollsBeforeDone = 2;
    const id = await submit({ duration: 6, aspect_ratio: '9:16' });
    expect(await waitFinished(server, id)).toMatchObject({ status: 'COMPLETED' });
    const result = (await (await server.call(`/v2/requests/${id}`)).json()) as Record<string, unknown>;
    expect(result).toMatchObject({ engine: 'veo', seed: 7, seed_honoured: false, output: expect.stringContaining(server.url) });
    const video = new Uint8Array(await (await fetch(String(result.output))).arrayBuffer());
    expectSpecVideo(await probeBytes(video), { width: 1280, height: 720 }, 5); // the fake's clip, byte for byte
    const sent = fake.requests.find((r) => r.path.endsWith(':predictLongRunning'))!.body as {
      parameters: Record<string, unknown>;
      instances: Array<Record<string, unknown>>;
    };
    expect(sent.parameters).toMatchObject({ aspectRatio: '9:16', durationSeconds: 6 });
    expect(sent.parameters.seed).toBeUndefined();
    expect(sent.instances[0]).toMatchObject({ prompt: 'a cat' });
  });

  it('a content block FAILS content_blocked with Google reasons and is not refunded', async () => {
    fake.scenario.outcome = 'blocked';
    const before = await balance();
    const id = await submit();
    const status = await waitFinished(server, id);
    expect(status).toMatchObject({ status: 'FAILED', code: 'content_blocked' });
    expect(await balance()).toBe(before - 50);
  });

  it('rate limited until the budget runs out FAILS rate_limited and is refunded', async () => {
    fake.scenario.fail = { status: 429, times: Infinity };
    const before = await balance();
    const id = await submit();
    expect(await waitFinished(server, id, 30_000)).toMatchObject({ status: 'FAILED', code: 'rate_limited' });
    expect(await balance()).toBe(before);
  });

  it('cancel while polling stops the work and refunds', async () => {
    fake.scenario.outcome = 'pending';
    const before = await balance();
    const id = await submit();
    for (;;) {
      if (((await (await server.call(`/v2/requests/${id}/status`)).json()) as { status: string }).status === 'PROCESSING') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await server.call(`/v2/requests/${id}/cancel`, { method: 'POST' })).status).toBe(200);
    // Once the worker's attempt has ended (it learns of the cancel by notification), no poll may follow.
    while ((server.worker?.activeCount ?? 0) > 0) await new Promise((r) => setTimeout(r, 20));
    const polls = fake.polls;
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.polls).toBe(polls);
    expect(await balance()).toBe(before);
  });

  it('holds many operations in flight on one worker', async () => {
    fake.scenario.pollsBeforeDone = 6;
    const timed = async (n: number): Promise<number> => {
      const started = Date.now();
      const ids = await Promise.all(Array.from({ length: n }, (_, i) => submit({ seed: i })));
      for (const id of ids) expect(await waitFinished(server, id)).toMatchObject({ status: 'COMPLETED' });
      return Date.now() - started;
    };
    await timed(1); // warm up: the fake makes its clip on first use
    const one = await timed(1);
    const ten = await timed(10);
    // One at a time, ten would take about ten times as long as one.
    expect(ten).toBeLessThan(one * 4);
  });
});
