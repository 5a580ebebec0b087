import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVeoEngine, type VeoEngineOptions } from '../../src/engines/veo/index.js';
import { probeVideo } from '../../src/media/probe.js';
import { startVertexFake, type VertexFake } from '../fakes/vertex.js';
import { defaultScenario } from '../fakes/scenario.js';
import { cleanup, FAST, makeContext, makeJob, rejection } from '../fakes/job.js';
import { fakeVideo } from '../fakes/video.js';

let fake: VertexFake;
beforeAll(async () => {
  fake = await startVertexFake();
  await fakeVideo();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.scenario = defaultScenario();
  fake.requests = [];
  fake.polls = 0;
});

function engine(extra: Partial<VeoEngineOptions> = {}, vertex: Partial<NonNullable<VeoEngineOptions['vertex']>> = {}) {
  return createVeoEngine({
    vertex: {
      project: 'my-proj',
      location: 'us-central1',
      baseUrl: fake.url,
      storageBaseUrl: fake.url,
      getAccessToken: async () => fake.token,
      ...vertex,
    },
    ...FAST,
    ...extra,
  });
}

type Body = { instances: Array<{ prompt?: string; image: { bytesBase64Encoded: string; mimeType: string } }>; parameters: Record<string, unknown> };
const submits = () => fake.requests.filter((r) => r.path.endsWith(':predictLongRunning'));
const PREFIX = '/v1/projects/my-proj/locations/us-central1/publishers/google/models/veo-2.0-generate-001';

describe('veo engine, Vertex AI mode (HTTP against a fake)', () => {
  it('generates with inline bytes; the seed is passed; polls use fetchPredictOperation', async () => {
    fake.scenario.pollsBeforeDone = 2;
    const job = await makeJob({ seed: 4_294_967_295, duration: 5 });
    const ctx = makeContext();
    const e = engine({ negativePrompt: 'text' });
    const result = await e.run(job, ctx);
    expect(result.seedHonoured).toBe(true);
    const probe = await probeVideo(result.videoPath);
    expect(probe.codec).toBe('h264');
    const submit = submits()[0]!;
    expect(submit.path).toBe(`${PREFIX}:predictLongRunning`);
    expect(submit.headers.authorization).toBe(`Bearer ${fake.token}`);
    const body = submit.body as Body;
    expect(body.parameters).toEqual({ sampleCount: 1, durationSeconds: 5, aspectRatio: '16:9', seed: 4_294_967_295, negativePrompt: 'text' });
    expect(Buffer.from(body.instances[0]!.image.bytesBase64Encoded, 'base64').equals(job.image.bytes)).toBe(true);
    const polls = fake.requests.filter((r) => r.path === `${PREFIX}:fetchPredictOperation`);
    expect(polls.length).toBe(3);
    expect((polls[0]!.body as { operationName: string }).operationName).toMatch(/^projects\/my-proj\/.*\/operations\/[0-9a-f-]{36}$/);
    expect(ctx.reported.at(-1)).toBe(100);
    await cleanup(job);
  });

  it('downloads a gs:// result through the Cloud Storage JSON API with the same token', async () => {
    const job = await makeJob();
    const result = await engine({}, { storageUri: 'gs://reelay-out/veo/' }).run(job, makeContext());
    expect((await probeVideo(result.videoPath)).codec).toBe('h264');
    expect((submits()[0]!.body as Body).parameters.storageUri).toBe('gs://reelay-out/veo/');
    const download = fake.requests.find((r) => r.path.startsWith('/storage/v1/b/reelay-out/o/'))!;
    expect(download.path).toMatch(/\/o\/veo%2F[0-9a-f-]+%2Fsample_0\.mp4$/);
    expect(download.headers.authorization).toBe(`Bearer ${fake.token}`);
    await cleanup(job);
  });

  it('WebP input is re-encoded as PNG (Veo takes JPEG or PNG only)', async () => {
    const job = await makeJob();
    const sharp = (await import('sharp')).default;
    job.image = { bytes: await sharp(job.image.bytes).webp().toBuffer(), mime: 'image/webp' };
    await engine().run(job, makeContext());
    expect((submits()[0]!.body as Body).instances[0]!.image.mimeType).toBe('image/png');
    await cleanup(job);
  });

  it('a refused connection is retried, then upstream_unavailable', async () => {
    const job = await makeJob();
    const err = await rejection(engine({}, { baseUrl: 'http://127.0.0.1:9' }).run(job, makeContext()));
    expect(err.code).toBe('upstream_unavailable');
    await cleanup(job);
  });

  it('a 400 is invalid_input with Google’s message', async () => {
    const job = await makeJob();
    const err = await rejection(engine({ personGeneration: 'allow_all' }).run(job, makeContext()));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('not allowed for image-to-video');
    await cleanup(job);
  });

  it('serves 20 concurrent runs from one engine, each with its own seed', async () => {
    const e = engine();
    const jobs = await Promise.all(Array.from({ length: 20 }, (_, i) => makeJob({ seed: 1000 + i })));
    await Promise.all(jobs.map((j) => e.run(j, makeContext())));
    const seeds = submits()
      .map((r) => (r.body as Body).parameters.seed)
      .sort();
    expect(seeds).toEqual(jobs.map((j) => j.params.seed).sort());
    await Promise.all(jobs.map(cleanup));
  });
});
