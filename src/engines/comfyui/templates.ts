import type { Bindings, Graph, InputRef } from './graph.js';

/**
 * Built-in API-format workflows, written from the node facts of ComfyUI's own examples
 * (shared/reference/upstream-apis.md §5–6). Each names the model files it loads by role, so an
 * operator can point a role at another file name without editing a graph.
 */

export interface TemplateSettings {
  files: Record<string, string>;
  steps: number;
  cfg: number;
}

export interface Template {
  name: TemplateName;
  /** Model files by role (the defaults are the names of Comfy-Org's repackaged files). */
  files: Record<string, string>;
  /** Generation size for 16:9 (swapped for 9:16), native fps, frames come in steps of `frameStep` plus one. */
  width: number;
  height: number;
  /** Width and height must be multiples of this (the latent's stride). */
  sizeStep: number;
  fps: number;
  frameStep: number;
  /**
   * The node that takes the start image cover-crops it to the generation size itself (ComfyUI's
   * `common_upscale(…, "bilinear", "center")`), so an image that only needs enlarging is uploaded as it is.
   */
  graphFramesImage: boolean;
  steps: number;
  cfg: number;
  build(s: TemplateSettings): Graph;
  bindings: Bindings;
}

export const TEMPLATE_NAMES = ['wan2.2-14b-i2v', 'wan2.2-ti2v-5b', 'ltxv-i2v'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

const ref = (node: string, input: string): InputRef[] => [{ node, input }];

/** Text encoder, VAE, image and the two prompts: the head every Wan graph shares. */
function wanHead(s: TemplateSettings, vaeRole: string): Graph {
  return {
    '38': { class_type: 'CLIPLoader', inputs: { clip_name: s.files.textEncoder!, type: 'wan', device: 'default' } },
    '39': { class_type: 'VAELoader', inputs: { vae_name: s.files[vaeRole]! } },
    '52': { class_type: 'LoadImage', inputs: { image: 'input.png' } },
    '6': { class_type: 'CLIPTextEncode', inputs: { clip: ['38', 0], text: '' } },
    '7': { class_type: 'CLIPTextEncode', inputs: { clip: ['38', 0], text: '' } },
  };
}

/** Decode, wrap as a video at the model's fps, save as MP4 (the core SaveVideo, combos "auto"). */
function videoTail(samples: string, vae: string, fps: number): Graph {
  return {
    '8': { class_type: 'VAEDecode', inputs: { samples: [samples, 0], vae: [vae, 0] } },
    '55': { class_type: 'CreateVideo', inputs: { images: ['8', 0], fps } },
    '56': { class_type: 'SaveVideo', inputs: { video: ['55', 0], filename_prefix: 'video/reelay', format: 'auto', codec: 'auto' } },
  };
}

const WAN_BINDINGS = (seed: InputRef[], size: string): Bindings => ({
  image: ref('52', 'image'),
  prompt: ref('6', 'text'),
  negativePrompt: ref('7', 'text'),
  seed,
  width: ref(size, 'width'),
  height: ref(size, 'height'),
  frames: ref(size, 'length'),
  fps: ref('55', 'fps'),
});

/** Wan 2.2 14B image-to-video: high-noise pass for the first half of the steps, low-noise for the rest. */
const wan22_14b: Template = {
  name: 'wan2.2-14b-i2v',
  files: {
    highNoise: 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors',
    lowNoise: 'wan2.2_i2v_low_noise_14B_fp8_scaled.safetensors',
    textEncoder: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors',
    vae: 'wan_2.1_vae.safetensors',
  },
  width: 832,
  height: 480,
  sizeStep: 16,
  fps: 16,
  frameStep: 4,
  graphFramesImage: true,
  steps: 20,
  cfg: 3.5,
  build(s) {
    const half = Math.floor(s.steps / 2);
    const sampler = { steps: s.steps, cfg: s.cfg, sampler_name: 'euler', scheduler: 'simple', noise_seed: 0 };
    return {
      '37': { class_type: 'UNETLoader', inputs: { unet_name: s.files.highNoise!, weight_dtype: 'default' } },
      '57': { class_type: 'UNETLoader', inputs: { unet_name: s.files.lowNoise!, weight_dtype: 'default' } },
      ...wanHead(s, 'vae'),
      '50': {
        class_type: 'WanImageToVideo',
        inputs: { positive: ['6', 0], negative: ['7', 0], vae: ['39', 0], start_image: ['52', 0], width: 832, height: 480, length: 81, batch_size: 1 },
      },
      '54': { class_type: 'ModelSamplingSD3', inputs: { model: ['37', 0], shift: 8 } },
      '58': { class_type: 'ModelSamplingSD3', inputs: { model: ['57', 0], shift: 8 } },
      '3': {
        class_type: 'KSamplerAdvanced',
        inputs: {
          model: ['54', 0],
          positive: ['50', 0],
          negative: ['50', 1],
          latent_image: ['50', 2],
          add_noise: 'enable',
          ...sampler,
          start_at_step: 0,
          end_at_step: half,
          return_with_leftover_noise: 'enable',
        },
      },
      '4': {
        class_type: 'KSamplerAdvanced',
        inputs: {
          model: ['58', 0],
          positive: ['50', 0],
          negative: ['50', 1],
          latent_image: ['3', 0],
          add_noise: 'disable',
          ...sampler,
          start_at_step: half,
          end_at_step: 10000,
          return_with_leftover_noise: 'disable',
        },
      },
      ...videoTail('4', '39', 16),
    };
  },
  bindings: WAN_BINDINGS([...ref('3', 'noise_seed'), ...ref('4', 'noise_seed')], '50'),
};

/** Wan 2.2 TI2V 5B: one model, its own VAE, the start image encoded straight into the latent, 24 fps. */
const wan22_5b: Template = {
  name: 'wan2.2-ti2v-5b',
  files: { model: 'wan2.2_ti2v_5B_fp16.safetensors', textEncoder: 'umt5_xxl_fp8_e4m3fn_scaled.safetensors', vae: 'wan2.2_vae.safetensors' },
  width: 1280,
  height: 704,
  sizeStep: 32,
  fps: 24,
  frameStep: 4,
  graphFramesImage: true,
  steps: 30,
  cfg: 5,
  build(s) {
    return {
      '37': { class_type: 'UNETLoader', inputs: { unet_name: s.files.model!, weight_dtype: 'default' } },
      ...wanHead(s, 'vae'),
      '50': { class_type: 'Wan22ImageToVideoLatent', inputs: { vae: ['39', 0], start_image: ['52', 0], width: 1280, height: 704, length: 121, batch_size: 1 } },
      '54': { class_type: 'ModelSamplingSD3', inputs: { model: ['37', 0], shift: 8 } },
      '3': {
        class_type: 'KSampler',
        inputs: {
          model: ['54', 0],
          positive: ['6', 0],
          negative: ['7', 0],
          latent_image: ['50', 0],
          seed: 0,
          steps: s.steps,
          cfg: s.cfg,
          sampler_name: 'uni_pc',
          scheduler: 'simple',
          denoise: 1,
        },
      },
      ...videoTail('3', '39', 24),
    };
  },
  bindings: WAN_BINDINGS(ref('3', 'seed'), '50'),
};

/** LTX-Video image-to-video (the 0.9.5 example): SamplerCustom with LTXV's scheduler, 25 fps, 8k+1 frames. */
const ltxv: Template = {
  name: 'ltxv-i2v',
  files: { checkpoint: 'ltx-video-2b-v0.9.5.safetensors', textEncoder: 't5xxl_fp16.safetensors' },
  width: 768,
  height: 512,
  sizeStep: 32,
  fps: 25,
  frameStep: 8,
  graphFramesImage: true,
  steps: 30,
  cfg: 3,
  build(s) {
    return {
      '44': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: s.files.checkpoint! } },
      '38': { class_type: 'CLIPLoader', inputs: { clip_name: s.files.textEncoder!, type: 'ltxv', device: 'default' } },
      '52': { class_type: 'LoadImage', inputs: { image: 'input.png' } },
      '6': { class_type: 'CLIPTextEncode', inputs: { clip: ['38', 0], text: '' } },
      '7': { class_type: 'CLIPTextEncode', inputs: { clip: ['38', 0], text: '' } },
      '78': { class_type: 'LTXVPreprocess', inputs: { image: ['52', 0], img_compression: 40 } },
      '77': {
        class_type: 'LTXVImgToVideo',
        inputs: { positive: ['6', 0], negative: ['7', 0], vae: ['44', 2], image: ['78', 0], width: 768, height: 512, length: 97, batch_size: 1, strength: 1 },
      },
      '69': { class_type: 'LTXVConditioning', inputs: { positive: ['77', 0], negative: ['77', 1], frame_rate: 25 } },
      '73': { class_type: 'KSamplerSelect', inputs: { sampler_name: 'euler' } },
      '71': { class_type: 'LTXVScheduler', inputs: { steps: s.steps, max_shift: 2.05, base_shift: 0.95, stretch: true, terminal: 0.1, latent: ['77', 2] } },
      '72': {
        class_type: 'SamplerCustom',
        inputs: {
          model: ['44', 0],
          add_noise: true,
          noise_seed: 0,
          cfg: s.cfg,
          positive: ['69', 0],
          negative: ['69', 1],
          sampler: ['73', 0],
          sigmas: ['71', 0],
          latent_image: ['77', 2],
        },
      },
      ...videoTail('72', '44', 25),
      '8': { class_type: 'VAEDecode', inputs: { samples: ['72', 0], vae: ['44', 2] } },
    };
  },
  bindings: {
    image: ref('52', 'image'),
    prompt: ref('6', 'text'),
    negativePrompt: ref('7', 'text'),
    seed: ref('72', 'noise_seed'),
    width: ref('77', 'width'),
    height: ref('77', 'height'),
    frames: ref('77', 'length'),
    fps: [...ref('69', 'frame_rate'), ...ref('55', 'fps')],
  },
};

export const TEMPLATES: Record<TemplateName, Template> = { 'wan2.2-14b-i2v': wan22_14b, 'wan2.2-ti2v-5b': wan22_5b, 'ltxv-i2v': ltxv };
