import sharp from 'sharp';
import type { EngineJob } from '../engine.js';

/** Operator settings that shape every Veo request (not client parameters). */
export interface VeoGenerationOptions {
  /** `veo-2.0-generate-001` unless the operator pins another Veo model. */
  model?: string;
  /** `allow_adult` or `dont_allow` for image-to-video; omitted means Google's default. */
  personGeneration?: 'allow_adult' | 'dont_allow' | 'allow_all';
  negativePrompt?: string;
  enhancePrompt?: boolean;
}

export const DEFAULT_VEO_MODEL = 'veo-2.0-generate-001';

/** The `instances[0]` / `parameters` body both Google APIs take for predictLongRunning. */
export interface VeoPredictBody {
  instances: Array<{ prompt?: string; image: VeoImage }>;
  parameters: {
    sampleCount: 1;
    durationSeconds: number;
    aspectRatio: string;
    seed?: number;
    personGeneration?: string;
    negativePrompt?: string;
    enhancePrompt?: boolean;
  };
}

/**
 * Reelay params → Veo's request. Reelay already validated duration (5–8) and aspect ratio
 * (16:9 | 9:16), which are exactly Veo 2's ranges. The seed is only sent where the API takes it
 * (Vertex); the Gemini API has no seed field.
 */
export function predictBody(job: EngineJob, image: VeoImage, gen: VeoGenerationOptions, withSeed: boolean): VeoPredictBody {
  const parameters: VeoPredictBody['parameters'] = {
    sampleCount: 1,
    durationSeconds: job.params.duration,
    aspectRatio: job.params.aspect_ratio,
  };
  if (withSeed) parameters.seed = job.params.seed;
  if (gen.personGeneration) parameters.personGeneration = gen.personGeneration;
  if (gen.negativePrompt) parameters.negativePrompt = gen.negativePrompt;
  if (gen.enhancePrompt !== undefined) parameters.enhancePrompt = gen.enhancePrompt;
  // The prompt is optional for image-to-video; an empty string is left out rather than sent.
  const instance: VeoPredictBody['instances'][number] = { image };
  if (job.params.prompt) instance.prompt = job.params.prompt;
  return { instances: [instance], parameters };
}

export interface VeoImage {
  bytesBase64Encoded: string;
  mimeType: 'image/png' | 'image/jpeg';
}

/** Veo takes JPEG or PNG only; Reelay also accepts WebP, which is re-encoded losslessly as PNG. */
export async function veoImage(image: EngineJob['image']): Promise<VeoImage> {
  if (image.mime === 'image/png' || image.mime === 'image/jpeg') {
    return { bytesBase64Encoded: image.bytes.toString('base64'), mimeType: image.mime };
  }
  const png = await sharp(image.bytes).png().toBuffer();
  return { bytesBase64Encoded: png.toString('base64'), mimeType: 'image/png' };
}
