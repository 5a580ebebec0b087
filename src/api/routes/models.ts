import { Hono } from 'hono';
import { MAX_PROMPT_CHARS, MAX_SEED, profileOf, videoParamsSchema, type ParamProfile } from '../../core/params.js';
import { parametersJsonSchema } from '../../core/params-schema.js';
import { engineDefinition, engineSection } from '../../engines/definitions.js';
import type { Config } from '../../config.js';
import type { AppEnv } from '../env.js';
import { requireScope } from '../middleware/auth.js';

export const modelRoutes = new Hono<AppEnv>();

/** A model's parameters as its profile allows them (docs/api.md §2's for veo-2-image2video). */
function parameters(p: ParamProfile) {
  return {
    image: {
      type: 'string',
      required: true,
      description: 'http(s) URL, data:image/...;base64, URI, or bare base64 of a JPEG, PNG or WebP image (at most 20 MB, 40 megapixels)',
    },
    prompt: { type: 'string', default: '', max_length: MAX_PROMPT_CHARS },
    duration: { type: 'integer', default: p.defaultDuration, enum: p.durations },
    aspect_ratio: { type: 'string', default: p.defaultAspectRatio, enum: p.aspectRatios },
    seed: { type: ['integer', 'null'], default: null, minimum: 0, maximum: MAX_SEED },
  };
}

/** docs/api.md §8: the models this server offers, their parameters and the engine behind each. */
modelRoutes.get('/v1/models', requireScope('read'), (c) => {
  const { config } = c.get('services');
  const data = Object.entries(config.models).map(([slug, m]) => {
    // Each engine describes itself (what it is, whether it creates content, whether a seed repeats a video).
    const def = engineDefinition(m.engine);
    return {
      slug,
      name: slug === 'veo-2-image2video' ? 'Google Veo 2 Image To Video' : slug,
      engine: m.engine,
      engine_note: def?.describe.note ?? null,
      generative: def?.describe.generative ?? null,
      seed_reproducible: def ? def.describe.seedReproducible(engineSection(def, config)) : null,
      output_type: 'video/mp4',
      price: { currency: 'credits', per_second: m.price.perSecond, per_request: m.price.perRequest },
      timeout_seconds: Math.round(m.timeout / 1000),
      parameters: parameters(profileOf(m.parameters)),
      // JSON Schema of the very zod schema this model's submits are validated with; the playground builds its form from it.
      parameters_schema: parametersJsonSchema(videoParamsSchema(profileOf(m.parameters))),
    };
  });
  return c.json({ models: data, doors: doorsView(config) });
});

/**
 * The other front doors (README "Using OpenAI's SDK", "Using Google's Gen AI SDK"): where each is
 * mounted and which Reelay model each of its model names runs.
 */
function doorsView(config: Config): Record<string, unknown> {
  const { openai, gemini } = config.doors;
  return {
    openai: {
      base_url_path: '/openai/v1',
      api: 'OpenAI Videos API (POST /videos, GET /videos, GET/DELETE /videos/{id}, GET /videos/{id}/content)',
      models: openai.models,
      other_models: openai.defaultModel,
    },
    gemini: {
      base_url_path: '/gemini',
      api: 'Gemini API v1beta Veo calls (models/{model}:predictLongRunning, operations, files download, models)',
      models: gemini.models,
    },
  };
}
