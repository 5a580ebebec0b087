import { availableParallelism } from 'node:os';
import { ENGINES, engineSection } from './definitions.js';
import type { Engine, EngineSetup } from './engine.js';
import type { Logger } from '../logger.js';

export interface WorkerEngines {
  engines: Map<string, Engine>;
  /** Attempts that may run at once, per engine. */
  limits: Map<string, number>;
}

/**
 * The part of the parsed config the registry reads: the models, the worker's own limit, the
 * ffmpeg path and, by each definition's key, the engines' sections. (A structural type, so
 * engines never import config.ts.)
 */
export interface EnginesConfig {
  models: EngineSetup['models'];
  worker: { concurrency?: number | undefined };
  ffmpegPath?: string | undefined;
}

/** How many renders run at once when not configured: motion renders use about two cores each (warp + x264). */
export function defaultConcurrency(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/**
 * The engines this process can run, by name, with their concurrency; models map to these names
 * in config. Engines are loaded on demand, so a process never loads an SDK it does not use.
 */
export async function createEngines(config: EnginesConfig, log?: Logger): Promise<WorkerEngines> {
  const wanted = new Set(Object.values(config.models).map((m) => m.engine));
  const engines = new Map<string, Engine>();
  const limits = new Map<string, number>();
  const setup: EngineSetup = { models: config.models, ffmpegPath: config.ffmpegPath, localConcurrency: config.worker.concurrency ?? defaultConcurrency(), log };
  for (const def of ENGINES) {
    const section = engineSection(def, config);
    // Config validation refuses a model whose engine lacks its section; skip rather than crash here.
    if (!wanted.has(def.name) || (def.config && section === undefined)) continue;
    engines.set(def.name, await def.create(section, setup));
    limits.set(def.name, def.concurrency(section, setup));
  }
  return { engines, limits };
}
