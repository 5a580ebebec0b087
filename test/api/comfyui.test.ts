import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultComfyScenario, startComfyFake, type ComfyFake } from '../fakes/comfyui.js';
import { sampleDataUri } from '../helpers/png.js';
import { startTestServer, waitFinished, type TestServer } from '../helpers/server.js';
import { readSse } from '../helpers/sse.js';
import { expectSpecVideo, probeBytes } from '../helpers/video.js';

/** The comfyui engine end to end through Reelay's HTTP API, against fake ComfyUI servers on loopback. */
let image: string;
beforeAll(async () => {
  image = await sampleDataUri(320, 180);
});

function comfyConfig(fakes: ComfyFake[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    models: {
      'veo-2-image2video': { engine: 'comfyui', timeout: '60s' },
      'wan-2.2-i2v': { engine: 'comfyui', parameters: { durations: [5] }, price: { perRequest: 25, perSecond: 0 } },
    },
    comfyui: {
      servers: fakes.map((f) => ({ url: f.url })),
      models: { 'veo-2-image2video': { template: 'wan2.2-14b-i2v', steps: 8 }, 'wan-2.2-i2v': { template: 'wan2.2-14b-i2v', steps: 8, output: 'native' } },
      quietInterval: '200ms',
      healthInterval: '100ms',
    },
    ...extra,
  };
}

async function submit(server: TestServer, model = 'veo-2-image2video', body: Record<string, unknown> = {}, key?: string): Promise<Response> {
  return server.call(`/v2/${model}`, {
    method: 'POST',
    body: JSON.stringify({ image, seed: 7, ...body }),
    headers: { 'content-type': 'application/json' },
    ...(key ? { key } : {}),
  });
}
async function submitted(server: TestServer, model?: string, body?: Record<string, unknown>, key?: string): Promise<string> {
  const res = await submit(server, model, body, key);
  expect(res.status).toBe(200);
  return ((await res.json()) as { request_id: string }).request_id;
}
async function video(server: TestServer, id: string): Promise<Uint8Array> {
  const result = (await (await server.call(`/v2/requests/${id}`)).json()) as { output: string; engine: string };
  expect(result.engine).toBe('comfyui');
  return new Uint8Array(await (await fetch(result.output)).arrayBuffer());
}

describe('comfyui engine, one server', () => {
  let fake: ComfyFake;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startComfyFake();
    server = await startTestServer(comfyConfig([fake]));
  });
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  it('serves veo-2-image2video with a SPEC video, progress over SSE only moving forward', async () => {
    // 8 steps of 200 ms: long enough for several of the worker's throttled progress writes.
    fake.scenario = { ...defaultComfyScenario(), stepMs: 200 };
    const id = await submitted(server, 'veo-2-image2video', { duration: 5 });
    const events = await readSse(await server.call(`/v2/requests/${id}/events`));
    const progress = events.map((e) => (JSON.parse(e.data) as { progress?: number }).progress).filter((p): p is number => typeof p === 'number');
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.filter((p) => p > 5 && p < 90).length).toBeGreaterThanOrEqual(2);
    expect(await waitFinished(server, id)).toMatchObject({ status: 'COMPLETED' });
    expectSpecVideo(await probeBytes(await video(server, id)), { width: 1280, height: 720 }, 5);
  });

  it('a new slug has its own parameters and price in /v1/models, and keeps the model’s native 16 fps', async () => {
    const models = (await (await server.call('/v1/models')).json()) as {
      models: Array<{ slug: string; engine: string; price: unknown; parameters: { duration: unknown } }>;
    };
    const wan = models.models.find((m) => m.slug === 'wan-2.2-i2v')!;
    expect(wan).toMatchObject({ engine: 'comfyui', price: { per_request: 25, per_second: 0 }, parameters: { duration: { enum: [5], default: 5 } } });
    expect(models.models.find((m) => m.slug === 'veo-2-image2video')!.parameters.duration).toEqual({ type: 'integer', default: 5, enum: [5, 6, 7, 8] });
    const bad = await submit(server, 'wan-2.2-i2v', { duration: 6 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid_request', details: [{ field: 'duration', message: 'must be one of 5' }] });
    const id = await submitted(server, 'wan-2.2-i2v', { aspect_ratio: '9:16' });
    expect(await waitFinished(server, id)).toMatchObject({ status: 'COMPLETED' });
    expect(await probeBytes(await video(server, id))).toMatchObject({ width: 480, height: 832, fps: 16, frames: 81, codec: 'h264' });
  });

  it('cancel while running interrupts that prompt on the server and refunds', async () => {
    fake.scenario = { ...defaultComfyScenario(), stepMs: 300 };
    const started = fake.started();
    const id = await submitted(server);
    const promptId = await started;
    const res = await server.call(`/v2/requests/${id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(200);
    await expect.poll(() => fake.interrupts, { timeout: 20_000 }).toContain(promptId);
    expect(await waitFinished(server, id)).toMatchObject({ status: 'FAILED', code: 'canceled' });
  });

  it('execution_error is FAILED engine_error with the exception; a silent socket still completes from /history', async () => {
    fake.scenario = { ...defaultComfyScenario(), failWith: 'execution_error' };
    const failed = await waitFinished(server, await submitted(server));
    expect(failed).toMatchObject({ status: 'FAILED', code: 'engine_error' });
    expect(String(failed.error)).toContain('RuntimeError: mat1 and mat2 shapes cannot be multiplied');
    fake.scenario = { ...defaultComfyScenario(), silentSocket: true };
    expect(await waitFinished(server, await submitted(server, 'wan-2.2-i2v'))).toMatchObject({ status: 'COMPLETED' });
  });
});

describe('comfyui engine, start-up check', () => {
  it('a server missing a model file: readyz names server, node and file; requests fail fast, refunded, nothing queued on the GPU', async () => {
    const fake = await startComfyFake();
    fake.scenario.files.vae = [];
    const server = await startTestServer(comfyConfig([fake]));
    try {
      const ready = (await (await server.call('/readyz')).json()) as { status: string; engines: Record<string, string> };
      expect(ready.status).toBe('ready');
      expect(ready.engines[`comfyui ${fake.url}`]).toBe('ok');
      expect(ready.engines['model veo-2-image2video']).toBe(
        `unavailable: ${fake.url}: node 39 (VAELoader): model file "wan_2.1_vae.safetensors" is not on the server (input vae_name)`,
      );
      const failed = await waitFinished(server, await submitted(server));
      expect(failed).toMatchObject({ status: 'FAILED', code: 'upstream_unavailable' });
      expect(String(failed.error)).toContain('VAELoader');
      expect(fake.prompts).toHaveLength(0);
    } finally {
      await server.stop();
      await fake.close();
    }
  });
});

describe('comfyui engine, a pool of three', () => {
  it('a server dying mid-run fails that attempt upstream_unavailable; it is retried on another server and charged once', async () => {
    const fakes = await Promise.all([startComfyFake(), startComfyFake(), startComfyFake()]);
    for (const f of fakes) f.scenario.stepMs = 60;
    fakes[0]!.scenario.dieAtStep = 2;
    const server = await startTestServer(comfyConfig(fakes));
    try {
      const account = (await (
        await server.call('/admin/accounts', {
          method: 'POST',
          body: JSON.stringify({ name: 'pool', credits: 1000 }),
          headers: { 'content-type': 'application/json' },
        })
      ).json()) as { id: string };
      const keyRes = (await (
        await server.call(`/admin/accounts/${account.id}/keys`, {
          method: 'POST',
          body: JSON.stringify({ scopes: ['generate', 'read'] }),
          headers: { 'content-type': 'application/json' },
        })
      ).json()) as { key: string };
      const ids = await Promise.all([1, 2, 3].map(() => submitted(server, 'wan-2.2-i2v', {}, keyRes.key)));
      for (const id of ids) expect(await waitFinished(server, id)).toMatchObject({ status: 'COMPLETED' });
      // each server ran at most one prompt at a time; the dead one got exactly one
      expect(fakes[0]!.prompts).toHaveLength(1);
      expect(fakes[1]!.prompts.length + fakes[2]!.prompts.length).toBe(3);
      const balance = (await (await server.call(`/admin/accounts/${account.id}`)).json()) as { balance: number };
      expect(balance.balance).toBe(1000 - 3 * 25);
      const ready = (await (await server.call('/readyz')).json()) as { engines: Record<string, string> };
      expect(ready.engines[`comfyui ${fakes[0]!.url}`]).toMatch(/^unreachable/);
    } finally {
      await server.stop();
      await Promise.all(fakes.map((f) => f.close()));
    }
  });
});
