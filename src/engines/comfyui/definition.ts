import { z } from 'zod';
import { duration } from '../../config-values.js';
import { defineEngine } from '../engine.js';
import { silentLogger } from '../../logger.js';
import { DEFAULT_NEGATIVE } from './models.js';
import { TEMPLATE_NAMES } from './templates.js';

const serverSchema = z.strictObject({
  url: z.string().url(),
  /** Prompts this server gets at once; ComfyUI runs one at a time, so more only queue in its memory. */
  concurrency: z.coerce.number().int().min(1).max(64).default(1),
  /** Sent on every call, e.g. `Authorization: Bearer …` for a reverse proxy. */
  headers: z.record(z.string(), z.string()).default({}),
});

const modelSchema = z
  .strictObject({
    /** A built-in workflow, or `workflow` + `bindings`: a graph saved with "Save (API)" and which inputs take the request's values. */
    template: z.enum(TEMPLATE_NAMES).optional(),
    workflow: z.string().min(1).optional(),
    bindings: z.string().min(1).optional(),
    /** Template model files by role (highNoise, lowNoise, model, checkpoint, textEncoder, vae). */
    files: z.record(z.string(), z.string().min(1)).default({}),
    /** Generation size for 16:9 (9:16 swaps them). */
    width: z.coerce.number().int().min(64).max(4096).optional(),
    height: z.coerce.number().int().min(64).max(4096).optional(),
    steps: z.coerce.number().int().min(1).max(200).optional(),
    cfg: z.coerce.number().min(0).max(30).optional(),
    /** The model's native frame rate and its frame-count step (frames = step·k + 1). */
    fps: z.coerce.number().int().min(1).max(120).optional(),
    frameStep: z.coerce.number().int().min(1).max(64).optional(),
    negativePrompt: z.string().default(DEFAULT_NEGATIVE),
    /** conform: docs/api.md §2's 24 fps 1280×720 H.264 (required for veo-2-image2video); native: the model's own frames. */
    output: z.enum(['conform', 'native']).default('conform'),
  })
  .refine((m) => (m.template !== undefined) !== (m.workflow !== undefined), { error: 'needs exactly one of template and workflow' })
  .refine((m) => m.workflow === undefined || m.bindings !== undefined, { error: 'workflow needs a bindings file' });

/** `comfyui`: self-hosted ComfyUI servers running open image-to-video models (Wan 2.2, LTX-Video). */
export const comfyuiConfigSchema = z.strictObject({
  servers: z.array(serverSchema).min(1),
  /** Per Reelay model slug served by this engine. */
  models: z.record(z.string(), modelSchema).default({}),
  /** How often each server is probed (a dead one leaves the pool, an answering one returns). */
  healthInterval: duration.default(10_000),
  /** When the WebSocket has been silent this long, /history is read (it is the source of truth). */
  quietInterval: duration.default(5_000),
  /** Limit for one HTTP call to a server (uploads, /view downloads included). */
  callTimeout: duration.default(60_000),
});

export const comfyuiDefinition = defineEngine({
  name: 'comfyui',
  config: {
    key: 'comfyui',
    schema: comfyuiConfigSchema,
    env: [
      ['REELAY_COMFYUI_HEALTH_INTERVAL', ['healthInterval']],
      ['REELAY_COMFYUI_QUIET_INTERVAL', ['quietInterval']],
    ],
  },
  needs: 'comfyui.servers',
  describe: {
    generative: true,
    note: "An open image-to-video model (Wan 2.2, LTX-Video) run by the operator's own ComfyUI servers.",
    // The seed goes into every sampler; ComfyUI on the same GPU and files repeats the video.
    seedReproducible: () => true,
  },
  // One slot per server prompt: the rest of the work waits in Reelay's queue.
  concurrency: (section) => section.servers.reduce((n, s) => n + s.concurrency, 0),
  async create(section, setup) {
    const { createComfyEngine } = await import('./index.js');
    const { loadModel } = await import('./models.js');
    const slugs = Object.entries(setup.models).filter(([, m]) => m.engine === 'comfyui');
    const models = [];
    for (const [slug] of slugs) {
      const settings = section.models[slug];
      if (!settings) throw new Error(`model ${slug} is served by comfyui but has no comfyui.models.${slug} (a template or a workflow)`);
      models.push(await loadModel(slug, settings));
    }
    const engine = createComfyEngine({
      servers: section.servers,
      models,
      quietMs: section.quietInterval,
      healthIntervalMs: section.healthInterval,
      callTimeoutMs: section.callTimeout,
      ffmpegPath: setup.ffmpegPath,
      log: setup.log ?? silentLogger(),
    });
    await engine.checkModels();
    return engine;
  },
});
