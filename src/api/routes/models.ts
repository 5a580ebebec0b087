import { Hono } from 'hono';
import { ASPECT_RATIOS, DURATIONS, MAX_PROMPT_CHARS, MAX_SEED } from '../../core/params.js';
import type { AppEnv } from '../env.js';
import { requireScope } from '../middleware/auth.js';

export const modelRoutes = new Hono<AppEnv>();

/** What each engine is, said plainly: `motion` is camera motion over the still, not a generative model. */
const ENGINE_NOTES: Record<string, string> = {
  motion: 'Built-in CPU engine: smooth camera motion (zoom, pan, tilt) over the input image. Not a generative model; no new content is created.',
  replay: 'Load-test engine: answers every request with the same pre-rendered video after a fixed delay. Not a generative model.',
  veo: 'Google Veo 2 (veo-2.0-generate-001), run at Google with the operator\'s account. A generative model.',
  segmind: "Forwarded to Segmind's own API with the operator's key.",
};

const GENERATIVE: Record<string, boolean> = { motion: false, replay: false, veo: true, segmind: true };

const PARAMETERS = {
  image: { type: 'string', required: true, description: 'http(s) URL, data:image/...;base64, URI, or bare base64 of a JPEG, PNG or WebP image (at most 20 MB, 40 megapixels)' },
  prompt: { type: 'string', default: '', max_length: MAX_PROMPT_CHARS },
  duration: { type: 'integer', default: 5, enum: DURATIONS },
  aspect_ratio: { type: 'string', default: '16:9', enum: ASPECT_RATIOS },
  seed: { type: ['integer', 'null'], default: null, minimum: 0, maximum: MAX_SEED },
};

/** SPEC 8: the models this server offers, their parameters and the engine behind each. */
modelRoutes.get('/v1/models', requireScope('read'), (c) => {
  const { models, veo } = c.get('services').config;
  // Same seed, same video? Motion is deterministic; Veo only through Vertex AI (the Gemini API has no seed).
  const seedReproducible = (engine: string): boolean | null =>
    engine === 'motion' || engine === 'replay' ? true : engine === 'veo' ? Boolean(veo?.vertex) : null;
  const data = Object.entries(models).map(([slug, m]) => ({
    slug,
    name: slug === 'veo-2-image2video' ? 'Google Veo 2 Image To Video' : slug,
    engine: m.engine,
    engine_note: ENGINE_NOTES[m.engine] ?? null,
    generative: GENERATIVE[m.engine] ?? null,
    seed_reproducible: seedReproducible(m.engine),
    output_type: 'video/mp4',
    price: { currency: 'credits', per_second: m.price.perSecond, per_request: m.price.perRequest },
    timeout_seconds: Math.round(m.timeout / 1000),
    parameters: PARAMETERS,
  }));
  return c.json({ models: data });
});
