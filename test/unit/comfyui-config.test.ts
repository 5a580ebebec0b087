import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { parseVideoParams, profileOf, videoParamsSchema } from '../../src/core/params.js';
import { checkWorkflow, comboOptions } from '../../src/engines/comfyui/check.js';
import { samplerOrder } from '../../src/engines/comfyui/graph.js';
import { frameCount, loadModel } from '../../src/engines/comfyui/models.js';
import { videoOf } from '../../src/engines/comfyui/outcome.js';
import { ServerPool } from '../../src/engines/comfyui/pool.js';
import { silentLogger } from '../../src/logger.js';
import { listenLoopback } from '../helpers/loopback.js';
import { TEMPLATES } from '../../src/engines/comfyui/templates.js';
import { objectInfo } from '../fakes/comfyui-nodes.js';

const server = { servers: [{ url: 'http://gpu-0:8188' }] };

describe('comfyui config', () => {
  it('takes servers and per-model templates, with defaults', () => {
    const config = parseConfig({
      models: { 'veo-2-image2video': { engine: 'comfyui' } },
      comfyui: { ...server, models: { 'veo-2-image2video': { template: 'wan2.2-14b-i2v' } } },
    });
    expect(config.comfyui).toMatchObject({
      servers: [{ url: 'http://gpu-0:8188', concurrency: 1, headers: {} }],
      healthInterval: 10_000,
      quietInterval: 5_000,
    });
    expect(config.comfyui?.models['veo-2-image2video']).toMatchObject({ output: 'conform' });
  });

  it.each([
    [{ comfyui: { servers: [] } }, 'comfyui.servers'],
    [{ comfyui: { ...server, models: { m: { template: 'wan2.2-14b-i2v', workflow: 'x.json', bindings: 'b.json' } } } }, 'exactly one of template and workflow'],
    [{ comfyui: { ...server, models: { m: { workflow: 'x.json' } } } }, 'workflow needs a bindings file'],
    [{ comfyui: { ...server, models: { m: { template: 'sora' } } } }, 'comfyui.models.m.template'],
    [{ comfyui: { ...server, gpu: 1 } }, '"comfyui.gpu"'],
    [{ models: { m: { engine: 'comfyui' } } }, '"comfyui" needs comfyui.servers'],
    [{ models: { m: { parameters: { durations: [5], defaultDuration: 6 } } } }, 'defaultDuration must be one of durations'],
    [{ models: { m: { parameters: { durations: [4] } } } }, 'models.m.parameters.durations.0'],
  ])('refuses %j naming the problem', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });
});

describe('per-model parameter profile', () => {
  it('narrows durations and aspect ratios; docs/api.md §2 by default', () => {
    const wan = profileOf({ durations: [5], aspectRatios: ['16:9'] });
    expect(parseVideoParams({ duration: 6, aspect_ratio: '9:16' }, wan).problems).toEqual([
      { field: 'duration', message: 'must be one of 5' },
      { field: 'aspect_ratio', message: 'must be "16:9"' },
    ]);
    expect(parseVideoParams({ duration: 'six' }, wan).problems).toEqual([{ field: 'duration', message: 'must be one of 5' }]);
    expect(parseVideoParams({}, profileOf({ durations: [6, 8] })).params).toMatchObject({ duration: 6, aspect_ratio: '16:9' });
    expect(parseVideoParams({ duration: 8 }).params?.duration).toBe(8);
  });

  it('builds the schema of each distinct profile once (a submit no longer builds one), and keeps profiles apart', () => {
    const wan = (): ReturnType<typeof profileOf> => profileOf({ durations: [5], aspectRatios: ['16:9'] });
    expect(videoParamsSchema(wan())).toBe(videoParamsSchema(wan()));
    expect(videoParamsSchema()).toBe(videoParamsSchema(profileOf(undefined)));
    expect(videoParamsSchema(wan())).not.toBe(videoParamsSchema());
    expect(videoParamsSchema(profileOf({ durations: [5, 6], defaultDuration: 6 }))).not.toBe(videoParamsSchema(profileOf({ durations: [5, 6] })));
    // The cached schema still refuses by its own profile after another profile's schema was built.
    expect(parseVideoParams({ duration: 6 }, wan()).problems).toEqual([{ field: 'duration', message: 'must be one of 5' }]);
  });
});

describe('comfyui workflows', () => {
  it('frame counts follow the model grid: Wan 5 s at 16 fps is 81, LTX 5 s at 25 fps is 129', () => {
    expect(frameCount(5, 16, 4)).toBe(81);
    expect(frameCount(8, 16, 4)).toBe(129);
    expect(frameCount(5, 25, 8)).toBe(129);
  });

  it('orders the two Wan passes high noise first, and reads both combo forms', () => {
    const t = TEMPLATES['wan2.2-14b-i2v'];
    expect(samplerOrder(t.build({ files: t.files, steps: 20, cfg: 3.5 }))).toEqual(['3', '4']);
    expect(comboOptions([['a.safetensors']])).toEqual(['a.safetensors']);
    expect(comboOptions(['COMBO', { options: ['b.safetensors'] }])).toEqual(['b.safetensors']);
    expect(comboOptions(['INT', {}])).toBeUndefined();
  });

  it('the check names a missing node class, a missing file and a bad binding', () => {
    const t = TEMPLATES['wan2.2-14b-i2v'];
    const graph = t.build({ files: { ...t.files, textEncoder: 'nope.safetensors' }, steps: 20, cfg: 3.5 });
    const info = objectInfo();
    delete (info as Record<string, unknown>).WanImageToVideo;
    const problems = checkWorkflow(graph, { ...t.bindings, seed: [{ node: '3', input: 'sead' }] }, info);
    expect(problems).toEqual([
      'node 38 (CLIPLoader): model file "nope.safetensors" is not on the server (input clip_name)',
      'node 50: node type WanImageToVideo is not installed',
      'binding seed: node 3 (KSamplerAdvanced) has no input "sead"',
    ]);
  });

  it('loads an operator graph with a bindings file, and says which key of a bad bindings file is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reelay-comfy-wf-'));
    try {
      const t = TEMPLATES['ltxv-i2v'];
      await writeFile(join(dir, 'g.json'), JSON.stringify(t.build({ files: t.files, steps: 10, cfg: 3 })));
      await writeFile(join(dir, 'b.json'), JSON.stringify({ image: '52.image', prompt: '6.text', seed: ['72.noise_seed'], frames: '77.length' }));
      const model = await loadModel('m', {
        workflow: join(dir, 'g.json'),
        bindings: join(dir, 'b.json'),
        files: {},
        negativePrompt: '',
        output: 'native',
        fps: 25,
        frameStep: 8,
      });
      expect(model.bindings.seed).toEqual([{ node: '72', input: 'noise_seed' }]);
      expect(checkWorkflow(model.graph, model.bindings, objectInfo())).toEqual([]);
      await writeFile(join(dir, 'b.json'), JSON.stringify({ image: 'image', prompt: '6.text', seed: '72.noise_seed' }));
      await expect(
        loadModel('m', { workflow: join(dir, 'g.json'), bindings: join(dir, 'b.json'), files: {}, negativePrompt: '', output: 'native' }),
      ).rejects.toThrow('"image" must be "<node id>.<input name>"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('comfyui outputs and pool', () => {
  it('finds the video in SaveVideo’s images and in VideoHelperSuite’s gifs, preferring MP4', () => {
    const saved = { filename: 'ComfyUI_00001_.mp4', subfolder: 'video', type: 'output' };
    expect(videoOf({ status: { status_str: 'success', completed: true }, outputs: { '9': { images: [saved], animated: [true] } } }, 's', false)).toEqual(saved);
    const vhs = { filename: 'AnimateDiff_00001.mp4', subfolder: '', type: 'output' };
    const still = { filename: 'AnimateDiff_00001.png', subfolder: '', type: 'output' };
    expect(videoOf({ outputs: { '3': { images: [still] }, '4': { gifs: [vhs] } } }, 's', false)).toEqual(vhs);
    expect(() => videoOf({ outputs: { '3': { images: [still] } } }, 's', false)).toThrow('saved no video (outputs: AnimateDiff_00001.png)');
  });

  it('a server taken out comes back when a probe answers', async () => {
    const site = await listenLoopback((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"exec_info":{"queue_remaining":0}}'));
    try {
      const pool = new ServerPool([{ url: site.url, concurrency: 1, headers: {} }], 1_000, silentLogger());
      const client = pool.clients[0]!;
      pool.markDown(client, 'test');
      await expect(pool.acquire(new AbortController().signal)).rejects.toThrow('no ComfyUI server is reachable');
      await pool.probe();
      expect(pool.healthOf(client)).toBe(true);
      const lease = await pool.acquire(new AbortController().signal);
      expect(lease.client).toBe(client);
      lease.release();
    } finally {
      await site.close();
    }
  });
});
