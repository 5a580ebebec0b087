import { defaultConcurrency, type Config } from '../config.js';
import { ffmpegPath } from '../media/binaries.js';
import type { Engine } from './engine.js';

export interface WorkerEngines {
  engines: Map<string, Engine>;
  /** Attempts that may run at once, per engine. */
  limits: Map<string, number>;
}

/**
 * The engines this process can run, by name, with their concurrency; models map to these names
 * in config. Engines are loaded on demand, so a process never loads an SDK it does not use.
 */
export async function createEngines(config: Config): Promise<WorkerEngines> {
  const wanted = new Set(Object.values(config.models).map((m) => m.engine));
  const engines = new Map<string, Engine>();
  const limits = new Map<string, number>();
  const local = config.worker.concurrency ?? defaultConcurrency();
  if (wanted.has('motion')) {
    const { createMotionEngine } = await import('./motion/index.js');
    engines.set('motion', createMotionEngine({ ffmpegPath: ffmpegPath(config.ffmpegPath) }));
    limits.set('motion', local);
  }
  if (wanted.has('replay') && config.replay) {
    const { createReplayEngine } = await import('./replay.js');
    engines.set('replay', createReplayEngine({ videoPath: config.replay.video, delayMs: config.replay.delay }));
    limits.set('replay', local);
  }
  if (wanted.has('veo') && config.veo) {
    const { createVeoEngine } = await import('./veo/index.js');
    const v = config.veo;
    const common = {
      model: v.model,
      ...(v.personGeneration ? { personGeneration: v.personGeneration } : {}),
      ...(v.negativePrompt ? { negativePrompt: v.negativePrompt } : {}),
      poll: { initialMs: v.pollInterval, maxMs: v.pollMaxInterval },
      retry: { budgetMs: v.rateLimitBudget },
    };
    // Vertex wins when both are set: it honours the seed.
    const engine = v.vertex
      ? createVeoEngine({ ...common, vertex: withoutUndefined(v.vertex) })
      : createVeoEngine({ ...common, gemini: { apiKey: v.apiKey ?? '', ...(v.baseUrl ? { baseUrl: v.baseUrl } : {}) } });
    engines.set('veo', engine);
    limits.set('veo', v.concurrency);
  }
  if (wanted.has('segmind') && config.segmind) {
    const { createSegmindEngine } = await import('./segmind/index.js');
    const models = Object.fromEntries(
      Object.entries(config.models)
        .filter(([, m]) => m.engine === 'segmind')
        .map(([slug, m]) => [slug, m.upstreamModel ?? slug]),
    );
    const { apiKey, baseUrl, pollInterval, retryBudget } = config.segmind;
    engines.set('segmind', createSegmindEngine({ apiKey, baseUrl, pollIntervalMs: pollInterval, models, retry: { budgetMs: retryBudget } }));
    limits.set('segmind', config.segmind.concurrency);
  }
  return { engines, limits };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
