import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSegmindFake, type SegmindFake } from '../fakes/segmind.js';
import { startVertexFake, type VertexFake } from '../fakes/vertex.js';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, waitFinished, type TestServer } from '../helpers/server.js';
import { expectSpecVideo, probeBytes } from '../helpers/video.js';

/** Veo through Vertex AI and the Segmind pass-through, end to end through Reelay's HTTP API, against loopback fakes. */
const MODEL = 'veo-2-image2video';
let image: string;

beforeAll(async () => {
  image = await sampleDataUri(320, 180);
});

async function submit(server: TestServer, body: Record<string, unknown> = {}): Promise<string> {
  const res = await server.call(`/v2/${MODEL}`, {
    method: 'POST',
    body: JSON.stringify({ image, seed: 99, ...body }),
    headers: { 'content-type': 'application/json' },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { request_id: string }).request_id;
}

async function expectServedVideo(server: TestServer, id: string, engine: string): Promise<Record<string, unknown>> {
  expect(await waitFinished(server, id)).toMatchObject({ status: 'COMPLETED' });
  const result = (await (await server.call(`/v2/requests/${id}`)).json()) as Record<string, unknown>;
  expect(result.engine).toBe(engine);
  expect(String(result.output).startsWith(server.url)).toBe(true);
  expectSpecVideo(await probeBytes(new Uint8Array(await (await fetch(String(result.output))).arrayBuffer())), { width: 1280, height: 720 }, 5);
  return result;
}

describe('Veo through Vertex AI', () => {
  let fake: VertexFake;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startVertexFake();
    server = await startTestServer({
      veo: {
        vertex: { project: 'demo', location: 'us-central1', accessToken: fake.token, baseUrl: fake.url, storageBaseUrl: fake.url },
        pollInterval: 50,
        pollMaxInterval: 100,
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  it('passes the seed, completes with the video stored by Reelay, and says the seed was honoured', async () => {
    const result = await expectServedVideo(server, await submit(server), 'veo');
    expect(result).toMatchObject({ seed: 99, seed_honoured: true });
    const sent = fake.requests.find((r) => r.path.endsWith(':predictLongRunning'))!;
    expect((sent.body as { parameters: { seed: number } }).parameters.seed).toBe(99);
    const models = (await (await server.call('/v1/models')).json()) as { models: Array<Record<string, unknown>> };
    expect(models.models[0]).toMatchObject({ engine: 'veo', seed_reproducible: true });
  });

  it('a content block FAILS content_blocked', async () => {
    fake.scenario.outcome = 'blocked';
    expect(await waitFinished(server, await submit(server))).toMatchObject({ status: 'FAILED', code: 'content_blocked' });
    fake.scenario.outcome = 'success';
  });
});

describe('Segmind pass-through', () => {
  let fake: SegmindFake;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startSegmindFake();
    server = await startTestServer({
      segmind: { apiKey: fake.apiKey, baseUrl: fake.url, pollInterval: 50, retryBudget: 1500 },
      worker: { maxAttempts: 1 },
      models: { [MODEL]: { engine: 'segmind', price: { perSecond: 10, perRequest: 0 } } },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  it('forwards with the operator key and serves the downloaded video', async () => {
    await expectServedVideo(server, await submit(server), 'segmind');
    expect(fake.requests.some((r) => r.headers['x-api-key'] === fake.apiKey)).toBe(true);
  });

  it('an upstream outage FAILS upstream_unavailable and is refunded', async () => {
    fake.scenario.fail = { status: 500, times: Infinity };
    const before = (await server.services.store.getAccount('admin'))!.balance;
    const status = await waitFinished(server, await submit(server), 60_000);
    expect(status).toMatchObject({ status: 'FAILED', code: 'upstream_unavailable' });
    expect((await server.services.store.getAccount('admin'))!.balance).toBe(before);
    fake.scenario.fail = undefined;
  });
});
