import type { Engine, EngineContext, EngineJob, EngineResult } from '../engine.js';
import { EngineError } from '../engine.js';
import { writeVideo } from '../remote/outcome.js';
import { createProgressClock, pollUntil } from '../remote/polling.js';
import { DEFAULT_RETRY, httpError, withRetry, type RetryPolicy } from '../remote/upstream.js';
import { failedBody, segmindFatal } from './errors.js';

export interface SegmindEngineOptions {
  /** The operator's SEGMIND_API_KEY (sent as `x-api-key`, only to `baseUrl`'s origin). */
  apiKey: string;
  baseUrl?: string;
  /** Delay between status polls (Segmind's own SDK polls every 1 s). */
  pollIntervalMs?: number;
  /** Reelay model slug → Segmind slug; a model not listed is forwarded under its own slug. */
  models?: Record<string, string>;
  retry?: Partial<RetryPolicy>;
  /** Typical generation time, for progress (default 60 s). */
  typicalMs?: number;
}

interface SubmitBody {
  request_id?: string;
  status_url?: string;
  response_url?: string;
}
interface StatusBody {
  status?: string;
  error?: string;
  output?: unknown;
}

/**
 * The `segmind` engine forwards a request to Segmind's own v2 async API: `POST /v2/{slug}`,
 * poll `status_url` to COMPLETED/FAILED, GET `response_url`, download `output` into the work
 * dir, so Reelay serves (and retains) the video itself. Stateless per run: safe concurrently.
 */
export function createSegmindEngine(opts: SegmindEngineOptions): Engine {
  const base = (opts.baseUrl ?? 'https://api.segmind.com').replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const policy = { ...DEFAULT_RETRY, ...opts.retry };
  const interval = opts.pollIntervalMs ?? 2_000;

  /** GET/POST JSON; terminal bodies count whatever the HTTP code (Segmind serves FAILED as 422). */
  async function call(url: string, signal: AbortSignal, body?: unknown): Promise<StatusBody & SubmitBody> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (new URL(url).origin === origin) headers['x-api-key'] = opts.apiKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    if (res.ok) return (await res.json()) as StatusBody & SubmitBody;
    const text = await res.text();
    try {
      const parsed = JSON.parse(text) as StatusBody;
      if (parsed.status === 'FAILED' || parsed.status === 'COMPLETED') return parsed;
    } catch {
      // not JSON: an ordinary HTTP error
    }
    throw await httpError(new Response(text, { status: res.status }));
  }

  return {
    name: 'segmind',
    async run(job: EngineJob, ctx: EngineContext & { deadline?: number }): Promise<EngineResult> {
      const { signal } = ctx;
      const retry = { signal, policy, fatal: segmindFatal, ...(ctx.deadline !== undefined ? { deadline: ctx.deadline } : {}) };
      const slug = opts.models?.[job.model] ?? job.model;
      const clock = createProgressClock((p) => ctx.progress(p), opts.typicalMs ?? 60_000);
      const params = {
        image: job.image.bytes.toString('base64'),
        prompt: job.params.prompt,
        duration: job.params.duration,
        aspect_ratio: job.params.aspect_ratio,
        seed: job.params.seed,
      };
      const submitted = await withRetry('Segmind submit', () => call(`${base}/v2/${encodeURIComponent(slug)}`, signal, params), retry);
      if (!submitted.status_url || !submitted.response_url) throw new EngineError('engine_error', 'Segmind submit returned no status_url/response_url');
      const { status_url: statusUrl, response_url: responseUrl } = submitted;

      const status = await pollUntil(
        async () => {
          const s = await withRetry('Segmind status', () => call(statusUrl, signal), retry);
          return s.status === 'COMPLETED' || s.status === 'FAILED' ? s : null;
        },
        { signal, schedule: { initialMs: interval, maxMs: interval, factor: 1 }, onTick: () => clock.tick() },
      );
      if (status.status === 'FAILED') throw failedBody(status.error);
      const result = await withRetry('Segmind result', () => call(responseUrl, signal), retry);
      if (result.status === 'FAILED') throw failedBody(result.error);
      if (typeof result.output !== 'string' || !/^https?:\/\//.test(result.output)) {
        throw new EngineError('engine_error', 'Segmind result has no output URL');
      }
      const outputUrl = result.output;
      const bytes = await withRetry(
        'Segmind output download',
        async () => {
          const res = await fetch(outputUrl, { signal });
          if (!res.ok) throw await httpError(res);
          return new Uint8Array(await res.arrayBuffer());
        },
        retry,
      );
      const videoPath = await writeVideo(job.workDir, bytes);
      ctx.progress(100);
      return { videoPath, contentType: 'video/mp4' };
    },
  };
}
