import type { Engine, EngineContext, EngineJob, EngineResult } from '../engine.js';
import { adcTokenProvider, staticTokenProvider, type AccessTokenProvider } from './auth.js';
import { createGeminiCall, type GeminiModeOptions } from './gemini.js';
import { DEFAULT_VEO_MODEL, type VeoGenerationOptions } from './params.js';
import { DEFAULT_POLL, type PollSchedule } from '../remote/polling.js';
import { runVeo, type VeoCall } from './run.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../remote/upstream.js';
import { createVertexCall, type VertexModeOptions } from './vertex.js';

export type { GeminiModeOptions } from './gemini.js';
export type { VertexModeOptions } from './vertex.js';
export type { AccessTokenProvider } from './auth.js';
export type { RetryPolicy } from '../remote/upstream.js';
export type { PollSchedule } from '../remote/polling.js';

/** Vertex options as config gives them: a token provider, a fixed token, or neither (then ADC). */
export type VertexEngineOptions = Omit<VertexModeOptions, 'getAccessToken'> & {
  getAccessToken?: AccessTokenProvider;
  accessToken?: string;
};

export interface VeoEngineOptions extends VeoGenerationOptions {
  /** Exactly one of `gemini` and `vertex`. */
  gemini?: GeminiModeOptions;
  vertex?: VertexEngineOptions;
  retry?: Partial<RetryPolicy>;
  poll?: Partial<PollSchedule>;
  /** Typical Veo 2 generation time, for progress (default 40 s). */
  typicalMs?: number;
}

/** What `veo` returns: the usual result plus whether the client's seed reached Google. */
export interface VeoEngineResult extends EngineResult {
  seedHonoured: boolean;
}

export interface VeoEngine extends Engine {
  readonly name: 'veo';
  readonly mode: 'gemini' | 'vertex';
  /** false in Gemini API mode: the API has no seed, so a repeat with the same seed gives a different video. */
  readonly seedHonoured: boolean;
  run(job: EngineJob, ctx: EngineContext): Promise<VeoEngineResult>;
}

/**
 * The `veo` engine: real Veo 2 through Google, either the Gemini API (API key) or Vertex AI
 * (project + OAuth token). Each run keeps its state in locals, so one engine serves many
 * concurrent requests; the worker's per-engine concurrency limit bounds how many.
 */
export function createVeoEngine(opts: VeoEngineOptions): VeoEngine {
  if (!!opts.gemini === !!opts.vertex) throw new Error('veo engine: configure exactly one of gemini (API key) or vertex (project)');
  const gen = { ...opts, model: opts.model ?? DEFAULT_VEO_MODEL };
  const call: VeoCall = opts.gemini ? createGeminiCall(opts.gemini, gen) : createVertexCall(vertexOptions(opts.vertex!), gen);
  const settings = {
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    poll: { ...DEFAULT_POLL, ...opts.poll },
    typicalMs: opts.typicalMs ?? 40_000,
  };
  return {
    name: 'veo',
    mode: opts.gemini ? 'gemini' : 'vertex',
    seedHonoured: call.seedHonoured,
    async run(job, ctx) {
      const videoPath = await runVeo(call, job, ctx, settings);
      return { videoPath, contentType: 'video/mp4', seedHonoured: call.seedHonoured };
    },
  };
}

function vertexOptions(v: VertexEngineOptions): VertexModeOptions {
  const { accessToken, getAccessToken, ...rest } = v;
  const provider = getAccessToken ?? (accessToken ? staticTokenProvider(accessToken) : adcTokenProvider());
  return { ...rest, getAccessToken: provider };
}
