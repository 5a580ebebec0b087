import { z } from 'zod';
import { duration } from '../../config-values.js';
import { defineEngine } from '../engine.js';

/** `veo`: Google Veo 2 with a Gemini API key, or a Vertex AI project (then the seed is honoured). */
export const veoConfigSchema = z
  .strictObject({
    apiKey: z.string().min(1).optional(),
    /** The Gemini API's endpoint (default `https://generativelanguage.googleapis.com`); every call goes there, cancels included. */
    baseUrl: z.string().url().optional(),
    model: z.string().default('veo-2.0-generate-001'),
    personGeneration: z.enum(['allow_adult', 'dont_allow']).optional(),
    negativePrompt: z.string().optional(),
    vertex: z
      .strictObject({
        project: z.string().min(1),
        location: z.string().default('us-central1'),
        accessToken: z.string().optional(),
        storageUri: z
          .string()
          .regex(/^gs:\/\//, 'must be a gs:// URI')
          .optional(),
        /** Vertex AI's endpoint (default `https://{location}-aiplatform.googleapis.com`); a proxy or a test fake. */
        baseUrl: z.string().url().optional(),
        /** Cloud Storage's endpoint for gs:// outputs (default `https://storage.googleapis.com`). */
        storageBaseUrl: z.string().url().optional(),
      })
      .optional(),
    /** Operations in flight per worker (the work runs at Google; Vertex allows about 10 requests/min per project). */
    concurrency: z.coerce.number().int().min(1).max(256).default(4),
    pollInterval: duration.default(2_000),
    pollMaxInterval: duration.default(10_000),
    /** How long 429s are retried before the request fails with rate_limited (keep under the model timeout). */
    rateLimitBudget: duration.default(120_000),
  })
  .refine((v) => v.apiKey !== undefined || v.vertex !== undefined, { error: 'needs apiKey (GEMINI_API_KEY) or vertex.project (REELAY_VEO_VERTEX_PROJECT)' });

/** Real Veo 2 at Google (config section `veo`); with it configured, it serves `veo-2-image2video` by default. */
export const veoDefinition = defineEngine({
  name: 'veo',
  config: {
    key: 'veo',
    schema: veoConfigSchema,
    env: [
      ['GEMINI_API_KEY', ['apiKey']],
      ['REELAY_VEO_API_KEY', ['apiKey']],
      ['REELAY_VEO_BASE_URL', ['baseUrl']],
      ['REELAY_VEO_MODEL', ['model']],
      ['REELAY_VEO_PERSON_GENERATION', ['personGeneration']],
      ['REELAY_VEO_NEGATIVE_PROMPT', ['negativePrompt']],
      ['REELAY_VEO_CONCURRENCY', ['concurrency']],
      ['REELAY_VEO_RATE_LIMIT_BUDGET', ['rateLimitBudget']],
      ['REELAY_VEO_POLL_INTERVAL', ['pollInterval']],
      ['REELAY_VEO_POLL_MAX_INTERVAL', ['pollMaxInterval']],
      ['REELAY_VEO_VERTEX_PROJECT', ['vertex', 'project']],
      ['REELAY_VEO_VERTEX_LOCATION', ['vertex', 'location']],
      ['REELAY_VEO_VERTEX_ACCESS_TOKEN', ['vertex', 'accessToken']],
      ['REELAY_VEO_VERTEX_STORAGE_URI', ['vertex', 'storageUri']],
      ['REELAY_VEO_VERTEX_BASE_URL', ['vertex', 'baseUrl']],
      ['REELAY_VEO_VERTEX_STORAGE_BASE_URL', ['vertex', 'storageBaseUrl']],
    ],
  },
  needs: 'GEMINI_API_KEY or veo.vertex.project',
  claimsDefaultModel: 'veo-2-image2video',
  describe: {
    generative: true,
    note: "Google Veo 2 (veo-2.0-generate-001), run at Google with the operator's account. A generative model.",
    // Only Vertex AI takes a seed; the Gemini API has none.
    seedReproducible: (section) => Boolean(section?.vertex),
  },
  concurrency: (section) => section.concurrency,
  async create(v) {
    const { createVeoEngine } = await import('./index.js');
    const common = {
      model: v.model,
      ...(v.personGeneration ? { personGeneration: v.personGeneration } : {}),
      ...(v.negativePrompt ? { negativePrompt: v.negativePrompt } : {}),
      poll: { initialMs: v.pollInterval, maxMs: v.pollMaxInterval },
      retry: { budgetMs: v.rateLimitBudget },
    };
    // Vertex wins when both are set: it honours the seed.
    return v.vertex
      ? createVeoEngine({ ...common, vertex: withoutUndefined(v.vertex) })
      : createVeoEngine({ ...common, gemini: { apiKey: v.apiKey ?? '', ...(v.baseUrl ? { baseUrl: v.baseUrl } : {}) } });
  },
});

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
