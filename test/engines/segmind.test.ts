import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VideoParams } from '../../src/core/types.js';
import { createSegmindEngine, type SegmindEngineOptions } from '../../src/engines/segmind/index.js';
import { probeVideo } from '../../src/media/probe.js';
import { startSegmindFake, type SegmindFake } from '../fakes/segmind.js';
import { defaultScenario } from '../fakes/scenario.js';
import { cleanup, FAST, makeContext, makeJob, rejection } from '../fakes/job.js';
import { fakeVideo } from '../fakes/video.js';

let fake: SegmindFake;
beforeAll(async () => {
  fake = await startSegmindFake();
  await fakeVideo();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.scenario = defaultScenario();
  fake.requests = [];
  fake.polls = 0;
});

function engine(extra: Partial<SegmindEngineOptions> = {}) {
  return createSegmindEngine({ apiKey: fake.apiKey, baseUrl: fake.url, pollIntervalMs: 30, retry: FAST.retry, typicalMs: 200, ...extra });
}
const submits = () => fake.requests.filter((r) => r.method === 'POST');

describe('segmind engine (HTTP against a fake Segmind v2 API)', () => {
  it('submits, polls status_url, reads response_url and downloads the output MP4', async () => {
    fake.scenario.pollsBeforeDone = 2;
    const job = await makeJob({ duration: 8 }, 'wan-i2v');
    const ctx = makeContext();
    const result = await engine({ models: { 'wan-i2v': 'wan2.1-image2video' } }).run(job, ctx);
    expect((await probeVideo(result.videoPath)).codec).toBe('h264');
    const submit = submits()[0]!;
    expect(submit.path).toBe('/v2/wan2.1-image2video');
    expect(submit.headers['x-api-key']).toBe(fake.apiKey);
    expect(submit.body).toEqual({ image: job.image.bytes.toString('base64'), prompt: 'a red square drifts', duration: 8, aspect_ratio: '16:9', seed: 12345 });
    expect(fake.polls).toBe(3);
    // the key goes to Segmind's API only; the output link is fetched without it
    expect(fake.requests.find((r) => r.path.startsWith('/files/'))!.headers['x-api-key']).toBeUndefined();
    expect(ctx.reported.at(-1)).toBe(100);
    await cleanup(job);
  });

  it('406 is engine_error: the operator’s Segmind account has insufficient credits', async () => {
    fake.scenario.credits = false;
    const job = await makeJob();
    const err = await rejection(engine().run(job, makeContext()));
    expect(err.code).toBe('engine_error');
    expect(err.message).toContain('insufficient credits');
    await cleanup(job);
  });

  it('400 is invalid_input with Segmind’s message', async () => {
    const job = await makeJob({ aspect_ratio: '1:1' as VideoParams['aspect_ratio'] });
    const err = await rejection(engine().run(job, makeContext()));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('aspect_ratio');
    await cleanup(job);
  });

  it('serves 20 concurrent runs from one engine', async () => {
    const e = engine();
    const jobs = await Promise.all(Array.from({ length: 20 }, () => makeJob()));
    const results = await Promise.all(jobs.map((j) => e.run(j, makeContext())));
    expect(results.length).toBe(20);
    expect(submits().length).toBe(20);
    await Promise.all(jobs.map(cleanup));
  });
});
