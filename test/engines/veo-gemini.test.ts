import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVeoEngine, type VeoEngineOptions } from '../../src/engines/veo/index.js';
import { probeVideo } from '../../src/media/probe.js';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini.js';
import { defaultScenario } from '../fakes/scenario.js';
import { cleanup, FAST, makeContext, makeJob, rejection } from '../fakes/job.js';
import { fakeVideo } from '../fakes/video.js';

let fake: GeminiFake;
beforeAll(async () => {
  fake = await startGeminiFake();
  await fakeVideo();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.scenario = defaultScenario();
  fake.requests = [];
  fake.polls = 0;
  fake.deletes = [];
});

function engine(extra: Partial<VeoEngineOptions> = {}) {
  return createVeoEngine({ gemini: { apiKey: fake.apiKey, baseUrl: fake.url }, ...FAST, ...extra });
}

type Body = { instances: Array<{ prompt?: string; image: { bytesBase64Encoded: string; mimeType: string } }>; parameters: Record<string, unknown> };
const submits = () => fake.requests.filter((r) => r.path.endsWith(':predictLongRunning'));

describe('veo engine, Gemini API mode (real @google/genai SDK against a fake)', () => {
  it('generates: the MP4 lands in the work dir, ffprobe-valid; body has the mapped fields and no seed', async () => {
    fake.scenario.pollsBeforeDone = 2;
    const job = await makeJob({ duration: 7, aspect_ratio: '9:16' });
    const ctx = makeContext();
    const result = await engine({ personGeneration: 'allow_adult', negativePrompt: 'blurry' }).run(job, ctx);
    expect(result.videoPath).toBe(`${job.workDir}/output.mp4`);
    expect(result.seedHonoured).toBe(false);
    const probe = await probeVideo(result.videoPath);
    expect(probe.codec).toBe('h264');
    expect(probe.width).toBe(1280);
    const body = submits()[0]!.body as Body;
    expect(body.instances[0]!.prompt).toBe('a red square drifts');
    expect(body.instances[0]!.image.mimeType).toBe('image/png');
    expect(Buffer.from(body.instances[0]!.image.bytesBase64Encoded, 'base64').equals(job.image.bytes)).toBe(true);
    expect(body.parameters).toEqual({ sampleCount: 1, durationSeconds: 7, aspectRatio: '9:16', personGeneration: 'allow_adult', negativePrompt: 'blurry' });
    expect(submits()[0]!.headers['x-goog-api-key']).toBe(fake.apiKey);
    expect(fake.polls).toBe(3);
    // progress rises monotonically and reaches 100 only at the end
    expect(ctx.reported.at(-1)).toBe(100);
    expect(ctx.reported.slice(0, -1).every((p, i, a) => p < 100 && (i === 0 || p > a[i - 1]!))).toBe(true);
    await cleanup(job);
  });

  it('writes inline video bytes when the operation carries them', async () => {
    fake.scenario.delivery = 'inline';
    const job = await makeJob();
    const result = await engine().run(job, makeContext());
    expect((await probeVideo(result.videoPath)).codec).toBe('h264');
    await cleanup(job);
  });

  it('the fake refuses a seed the way the Gemini API refuses unsupported parameters', async () => {
    const job = await makeJob();
    const res = await fetch(`${fake.url}/v1beta/models/veo-2.0-generate-001:predictLongRunning`, {
      method: 'POST',
      headers: { 'x-goog-api-key': fake.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        instances: [{ image: { bytesBase64Encoded: job.image.bytes.toString('base64'), mimeType: 'image/png' } }],
        parameters: { seed: 1 },
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
    await cleanup(job);
  });

  it('429 until the retry budget is spent is rate_limited and not retryable (fail + refund, no re-queue)', async () => {
    fake.scenario.fail = { status: 429, times: Infinity };
    const job = await makeJob();
    const err = await rejection(engine({ retry: { ...FAST.retry, maxAttempts: 100, budgetMs: 300 } }).run(job, makeContext()));
    expect(err.code).toBe('rate_limited');
    expect(err.retryable).toBe(false);
    await cleanup(job);
  });

  it('a 400 is invalid_input with Google’s message', async () => {
    const job = await makeJob();
    const err = await rejection(engine({ personGeneration: 'allow_all' }).run(job, makeContext()));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('personGeneration allow_all is not allowed');
    await cleanup(job);
  });

  it('cancel during a hung HTTP call rejects promptly', async () => {
    fake.scenario.hang = true;
    const job = await makeJob();
    const ctx = makeContext();
    const run = rejection(engine().run(job, ctx));
    await sleep(100);
    ctx.controller.abort(new Error('deadline'));
    const t0 = Date.now();
    expect((await run).message).toBe('deadline');
    expect(Date.now() - t0).toBeLessThan(250);
    await cleanup(job);
  });

  it('serves 20 concurrent runs from one engine', async () => {
    const e = engine();
    const jobs = await Promise.all(Array.from({ length: 20 }, (_, i) => makeJob({ seed: i })));
    const results = await Promise.all(jobs.map((j) => e.run(j, makeContext())));
    expect(new Set(results.map((r) => r.videoPath)).size).toBe(20);
    expect(submits().length).toBe(20);
    await Promise.all(jobs.map(cleanup));
  });
});
