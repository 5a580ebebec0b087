import type { z } from 'zod';
import type { Logger } from '../logger.js';
import type { VideoParams } from '../core/types.js';

/** What an engine is asked to render. The input image has been validated and decoded once at submit. */
export interface EngineJob {
  requestId: string;
  model: string;
  params: VideoParams;
  image: { bytes: Buffer; mime: string };
  /** A private, empty directory for this attempt; removed by the worker afterwards. */
  workDir: string;
}

export interface EngineContext {
  /** Fires when the work must stop (shutdown past the grace period, lost lease, cancel). */
  signal: AbortSignal;
  /** Reports progress 0..100; values that go backwards are ignored by the worker. */
  progress(percent: number): void;
  log: Logger;
  /** When the attempt will be aborted (epoch ms), so an engine never starts a retry wait it cannot finish. */
  deadline?: number;
}

export interface EngineResult {
  /** Path of the finished MP4 inside `job.workDir`. */
  videoPath: string;
  contentType: 'video/mp4';
  /** False when the engine could not apply the client's seed (Veo through the Gemini API has none). */
  seedHonoured?: boolean;
}

export interface Engine {
  readonly name: string;
  run(job: EngineJob, ctx: EngineContext): Promise<EngineResult>;
  /**
   * For `/readyz`: what this engine depends on and whether it is usable, as name → "ok" or the
   * reason (e.g. a ComfyUI server unreachable, a model file missing). Absent: nothing to report.
   */
  readiness?(): Promise<Record<string, string>>;
  /** Stops background work (health checks); called when the worker stops. */
  close?(): void;
}

export type EngineErrorCode = 'content_blocked' | 'invalid_input' | 'upstream_unavailable' | 'rate_limited' | 'timeout' | 'engine_error';

/** A classified engine failure. `retryable` failures may be tried again by the worker within the attempt cap. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly retryable: boolean;

  constructor(code: EngineErrorCode, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'EngineError';
    this.code = code;
    this.retryable = opts.retryable ?? (code === 'upstream_unavailable' || code === 'rate_limited');
  }
}

/** What a definition's hooks learn about the whole config, without depending on config.ts. */
export interface EngineSetup {
  /** Every model of the config: slug → the engine serving it (and, for forwarding engines, the upstream slug). */
  models: Record<string, { engine: string; upstreamModel?: string | undefined }>;
  /** `ffmpegPath` from config, unresolved. */
  ffmpegPath?: string | undefined;
  /** Attempts a CPU-bound engine may run at once on this worker (worker.concurrency or its default). */
  localConcurrency: number;
  /** The process logger, for engines that report in the background (health checks, start-up checks). */
  log?: Logger | undefined;
}

/** The config section an engine reads: a top-level key of the config file, its schema and its environment variables. */
export interface EngineConfigSection<K extends string, S extends z.ZodType> {
  key: K;
  /** Validated when the section is present; an absent section means "not configured". */
  schema: S;
  /** Environment variable → path inside the section (GEMINI_API_KEY → ['apiKey']); later entries win. */
  env?: Array<[string, string[]]>;
}

/**
 * Everything Reelay needs to know about one engine, declared next to the engine in its folder
 * and listed once in `engines/definitions.ts`: config, the worker and `/v1/models` read only this.
 * Hooks are methods (not function properties) so definitions with different sections fit one list.
 */
export interface EngineDefinition<N extends string = string, K extends string = never, S extends z.ZodType = z.ZodType> {
  /** The name models refer to (`models.<slug>.engine`). */
  name: N;
  /** The default models' engine when none is configured; exactly one definition says so. */
  isDefault?: boolean;
  config?: EngineConfigSection<K, S>;
  /**
   * Why a model cannot use this engine while its config section is absent, e.g.
   * "GEMINI_API_KEY or veo.vertex.project" (shown as `"veo" needs …`). Unset: usable without a section.
   */
  needs?: string;
  /** When its section is configured and the config has no `models` table, this engine serves this default model. */
  claimsDefaultModel?: string;
  /** How `/v1/models` describes models served by this engine. */
  describe: {
    /** Does it create new content (false for camera motion over the still). */
    generative: boolean;
    note: string;
    /** Same seed, same video? null when Reelay cannot know. */
    seedReproducible(section: z.output<S> | undefined): boolean | null;
  };
  /** Attempts that may run at once per worker. */
  concurrency(section: z.output<S>, setup: EngineSetup): number;
  /** Builds the engine; implementations import the engine module lazily, so an unused SDK is never loaded. */
  create(section: z.output<S>, setup: EngineSetup): Promise<Engine>;
}

/** A definition of any engine, as the registry, config and routes see them. */
export type AnyEngineDefinition = EngineDefinition<string, string, z.ZodType>;

/**
 * Declares an engine with its types inferred (the section type flows into the hooks).
 *
 * @example
 * export const replayDefinition = defineEngine({ name: 'replay', config: { key: 'replay', schema }, ... });
 */
export function defineEngine<N extends string, S extends z.ZodType, K extends string = never>(def: EngineDefinition<N, K, S>): EngineDefinition<N, K, S> {
  return def;
}
