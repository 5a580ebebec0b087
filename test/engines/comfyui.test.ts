import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createComfyEngine, type ComfyEngine } from '../../src/engines/comfyui/index.js';
import { loadModel, type ComfyModelSettings } from '../../src/engines/comfyui/models.js';
import { silentLogger } from '../../src/logger.js';
import { startComfyEngine } from '../helpers/comfy-engine.js';
import { probeVideo } from '../../src/media/probe.js';
import { defaultComfyScenario, startComfyFake, type ComfyFake } from '../fakes/comfyui.js';
import { cleanup, makeContext, makeJob, rejection } from '../fakes/job.js';

let fakes: ComfyFake[] = [];
beforeAll(async () => {
  fakes = await Promise.all([startComfyFake(), startComfyFake()]);
});
afterAll(() => Promise.all(fakes.map((f) => f.close())));
// Each engine keeps a socket open to its servers: closed after each test.
let engines: ComfyEngine[] = [];
afterEach(() => {
  for (const e of engines) e.close();
  engines = [];
});
beforeEach(() => {
  for (const f of fakes) {
    f.scenario = defaultComfyScenario();
    f.requests = [];
    f.interrupts = [];
    f.prompts = [];
  }
});

const WAN: ComfyModelSettings = { template: 'wan2.2-14b-i2v', files: {}, steps: 8, negativePrompt: 'blurry', output: 'conform' };

async function engine(settings: Partial<ComfyModelSettings> = {}, servers = [fakes[0]!], slug = 'veo-2-image2video'): Promise<ComfyEngine> {
  const model = await loadModel(slug, { ...WAN, ...settings });
  return startComfyEngine(
    engines,
    model,
    servers.map((f) => ({ url: f.url, headers: { authorization: 'Bearer gpu-token' } })),
  );
}

describe('comfyui engine against a fake ComfyUI', () => {
  it('runs the Wan 2.2 14B graph with the request values and conforms the video to SPEC §2', async () => {
    const e = await engine();
    const job = await makeJob({ duration: 5, seed: 4242, prompt: 'a fox runs' });
    const ctx = makeContext();
    const result = await e.run(job, ctx);
    const probe = await probeVideo(result.videoPath);
    expect(probe).toMatchObject({ codec: 'h264', profile: 'High', pixFmt: 'yuv420p', width: 1280, height: 720, fps: 24, frames: 120, hasAudio: false });
    const graph = fakes[0]!.prompts[0]!;
    expect(graph['3']!.inputs).toMatchObject({ noise_seed: 4242, start_at_step: 0, end_at_step: 4, add_noise: 'enable' });
    expect(graph['4']!.inputs).toMatchObject({ noise_seed: 4242, start_at_step: 4, add_noise: 'disable' });
    expect(graph['50']!.inputs).toMatchObject({ width: 832, height: 480, length: 81 });
    expect(graph['6']!.inputs.text).toBe('a fox runs');
    expect(graph['7']!.inputs.text).toBe('blurry');
    expect(String(graph['52']!.inputs.image)).toMatch(new RegExp(`^reelay-${job.requestId}-.+\\.png$`));
    // 64×36 only needs enlarging, which WanImageToVideo does itself: the client's file goes as it came.
    expect(fakes[0]!.uploads.get(String(graph['52']!.inputs.image))?.equals(job.image.bytes)).toBe(true);
    // progress across both passes only moves forward, and ends at 100
    expect(ctx.reported).toEqual([...ctx.reported].sort((a, b) => a - b));
    expect(ctx.reported.filter((p) => p > 5 && p < 90).length).toBeGreaterThanOrEqual(6);
    expect(ctx.reported.at(-1)).toBe(100);
    // operator headers on every call, history deleted after the copy
    expect(fakes[0]!.requests.every((r) => r.headers.authorization === 'Bearer gpu-token')).toBe(true);
    await expect.poll(() => fakes[0]!.requests.some((r) => r.method === 'POST' && r.path === '/history')).toBe(true);
    await cleanup(job);
  });

  it('9:16 swaps the generation size and conforms to 720×1280; native output keeps 16 fps', async () => {
    const e = await engine({ output: 'native' });
    const job = await makeJob({ duration: 5, aspect_ratio: '9:16' });
    const probe = await probeVideo((await e.run(job, makeContext())).videoPath);
    expect(probe).toMatchObject({ width: 480, height: 832, fps: 16, frames: 81, codec: 'h264' });
    await cleanup(job);
  });

  it('a graph the server refuses (node_errors) is engine_error naming node and file', async () => {
    // The start-up check is bypassed here (no checkModels) to reach the run-time 400.
    const model = await loadModel('m', { ...WAN, files: { vae: 'missing_vae.safetensors' } });
    const e = createComfyEngine({
      servers: [{ url: fakes[0]!.url, concurrency: 1, headers: {} }],
      models: [model],
      quietMs: 150,
      healthIntervalMs: 0,
      log: silentLogger(),
    });
    engines.push(e);
    const job = await makeJob({}, 'm');
    const err = await rejection(e.run(job, makeContext()));
    expect(err.code).toBe('engine_error');
    expect(err.message).toContain('node 39 (VAELoader)');
    expect(err.message).toContain('missing_vae.safetensors');
    await cleanup(job);
  });

  it('execution_error out of memory is engine_error that says so', async () => {
    fakes[0]!.scenario.failWith = 'oom';
    const e = await engine();
    const job = await makeJob();
    const err = await rejection(e.run(job, makeContext()));
    expect(err.code).toBe('engine_error');
    expect(err.message).toMatch(/ran out of GPU memory in node 3 \(KSamplerAdvanced\): torch.OutOfMemoryError: Allocation on device 0/);
    await cleanup(job);
  });

  it('cancel while running interrupts that prompt on the server', async () => {
    fakes[0]!.scenario.stepMs = 100;
    const e = await engine();
    const job = await makeJob();
    const ctx = makeContext();
    const started = fakes[0]!.started();
    const running = rejection(e.run(job, ctx));
    const promptId = await started;
    ctx.controller.abort(new Error('canceled'));
    expect((await running).message).toBe('canceled');
    expect(fakes[0]!.interrupts).toEqual([promptId]);
    await cleanup(job);
  });

  it.each([
    ['a silent socket', { silentSocket: true }],
    ['no socket at all (history only)', { historyOnly: true }],
  ])('completes from /history with %s', async (_name, scenario) => {
    Object.assign(fakes[0]!.scenario, scenario);
    const e = await engine({ output: 'native' });
    const job = await makeJob({ duration: 5 });
    const probe = await probeVideo((await e.run(job, makeContext())).videoPath);
    expect(probe.frames).toBe(81);
    expect(fakes[0]!.requests.filter((r) => r.path.startsWith('/history/')).length).toBeGreaterThan(0);
    await cleanup(job);
  });

  it('a missing model file makes the model unavailable at start, naming server, node and file', async () => {
    fakes[1]!.scenario.files.diffusion = fakes[1]!.scenario.files.diffusion.filter((f) => !f.includes('low_noise'));
    const e = await engine({}, [fakes[1]!]);
    const ready = await e.readiness();
    expect(ready['model veo-2-image2video']).toContain(
      `unavailable: ${fakes[1]!.url}: node 57 (UNETLoader): model file "wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors"`,
    );
    const job = await makeJob();
    const err = await rejection(e.run(job, makeContext()));
    expect(err.code).toBe('upstream_unavailable');
    expect(err.retryable).toBe(false);
    expect(fakes[1]!.prompts).toHaveLength(0);
    await cleanup(job);
  });

  it.each(['ltxv-i2v', 'wan2.2-ti2v-5b'] as const)('template %s passes the check and runs', async (template) => {
    const e = await engine({ template, steps: 4, output: 'native' });
    expect((await e.readiness())['model veo-2-image2video']).toBe('ok');
    const job = await makeJob({ duration: 5 });
    // 5 s on the model's own grid: LTX 25 fps in steps of 8 → 129 frames, TI2V 24 fps in steps of 4 → 121.
    expect((await probeVideo((await e.run(job, makeContext())).videoPath)).frames).toBe(template === 'ltxv-i2v' ? 129 : 121);
    await cleanup(job);
  });
});

describe('comfyui engine: queue and pool edges', () => {
  it('cancel while the prompt waits in the server’s queue deletes it there instead of interrupting', async () => {
    fakes[0]!.scenario.stepMs = 150;
    const otherStarted = fakes[0]!.started();
    const other = await fetch(`${fakes[0]!.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt: minimalGraph(), client_id: 'someone-else' }) });
    expect(other.status).toBe(200);
    await otherStarted;
    try {
      const e = await engine();
      const job = await makeJob();
      const ctx = makeContext();
      const running = rejection(e.run(job, ctx));
      const ours = (r: { method: string; path: string; body: unknown }) =>
        r.method === 'POST' && r.path === '/prompt' && (r.body as { client_id?: string }).client_id !== 'someone-else';
      await expect.poll(() => fakes[0]!.requests.some(ours), { timeout: 30_000 }).toBe(true);
      ctx.controller.abort(new Error('canceled'));
      await running;
      const deleted = fakes[0]!.requests.find((r) => r.method === 'POST' && r.path === '/queue');
      expect(deleted?.body).toMatchObject({ delete: [expect.any(String)] });
      expect(fakes[0]!.interrupts).toEqual([]);
      await cleanup(job);
    } finally {
      // Free the fake for the next test: stop the other client's prompt.
      await fetch(`${fakes[0]!.url}/interrupt`, { method: 'POST', body: '{}' });
    }
  });

  it('an interrupt Reelay did not send is engine_error', async () => {
    fakes[0]!.scenario.stepMs = 100;
    const e = await engine();
    const job = await makeJob();
    const started = fakes[0]!.started();
    const running = rejection(e.run(job, makeContext()));
    await started;
    await fetch(`${fakes[0]!.url}/interrupt`, { method: 'POST', body: '{}' });
    const err = await running;
    expect(err.code).toBe('engine_error');
    expect(err.message).toContain('interrupted by someone else');
    await cleanup(job);
  });
});

/** Another client’s prompt that keeps the fake busy for 100 steps, until interrupted (the fake does not type-check links). */
function minimalGraph(): Record<string, unknown> {
  const l = ['1', 0];
  return {
    '1': { class_type: 'VAELoader', inputs: { vae_name: 'wan_2.1_vae.safetensors' } },
    '2': {
      class_type: 'KSampler',
      inputs: { model: l, seed: 1, steps: 100, cfg: 1, sampler_name: 'euler', scheduler: 'simple', positive: l, negative: l, latent_image: l, denoise: 1 },
    },
    '3': { class_type: 'SaveVideo', inputs: { video: ['2', 0], filename_prefix: 'x', format: 'auto', codec: 'auto' } },
  };
}
