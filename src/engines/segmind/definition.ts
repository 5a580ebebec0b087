import { z } from 'zod';
import { duration } from '../../config-values.js';
import { defineEngine } from '../engine.js';

/** `segmind`: Segmind's own API as an engine, with the operator's key. */
export const segmindConfigSchema = z.strictObject({
  apiKey: z.string().min(1),
  baseUrl: z.string().url().default('https://api.segmind.com'),
  pollInterval: duration.default(2_000),
  concurrency: z.coerce.number().int().min(1).max(256).default(8),
  /** How long 429s and 5xx are retried within one attempt. */
  retryBudget: duration.default(120_000),
});

/** Forwards requests to Segmind (config section `segmind`); each model may name its Segmind slug in `upstreamModel`. */
export const segmindDefinition = defineEngine({
  name: 'segmind',
  config: {
    key: 'segmind',
    schema: segmindConfigSchema,
    env: [
      ['SEGMIND_API_KEY', ['apiKey']],
      ['REELAY_SEGMIND_BASE_URL', ['baseUrl']],
      ['REELAY_SEGMIND_RETRY_BUDGET', ['retryBudget']],
    ],
  },
  needs: 'SEGMIND_API_KEY (segmind.apiKey)',
  describe: {
    generative: true,
    note: "Forwarded to Segmind's own API with the operator's key.",
    // Whether Segmind's model honours the seed is Segmind's business.
    seedReproducible: () => null,
  },
  concurrency: (section) => section.concurrency,
  async create(section, setup) {
    const { createSegmindEngine } = await import('./index.js');
    const models = Object.fromEntries(
      Object.entries(setup.models)
        .filter(([, m]) => m.engine === 'segmind')
        .map(([slug, m]) => [slug, m.upstreamModel ?? slug]),
    );
    const { apiKey, baseUrl, pollInterval, retryBudget } = section;
    return createSegmindEngine({ apiKey, baseUrl, pollIntervalMs: pollInterval, models, retry: { budgetMs: retryBudget } });
  },
});
