import { ApiError, ReelayError } from './errors.js';
import { apiErrorFrom, readJsonBody, type Transport } from './http.js';
import type { Job } from './job.js';
import { parseSse } from './sse.js';
import type { CompletedResult, StatusBody } from './types.js';
import { backoffMs, sleep } from './util.js';

export type WaitStrategy = 'sse' | 'longpoll' | 'poll';
export type WaitMode = 'auto' | WaitStrategy;

export interface WaitContext {
  signal: AbortSignal;
  intervalMs: number;
  mode: WaitMode;
  onProgress: ((status: StatusBody) => void) | undefined;
  onStrategy: (strategy: WaitStrategy) => void;
}

/** What a strategy answers when the server turns out not to offer it. */
const UNSUPPORTED = Symbol('unsupported');
type Outcome = CompletedResult | typeof UNSUPPORTED;

/** Long-poll length: well under the server's 60 s cap and typical proxy idle timeouts. */
const LONG_POLL_SECONDS = 25;
/** A reply faster than this that changed nothing means the server ignored ?wait. */
const FAST_REPLY_MS = 250;

/** Runs the strategies in order of preference, falling back when the server lacks one. */
export async function waitFor(job: Job, transport: Transport, ctx: WaitContext): Promise<CompletedResult> {
  const order: WaitStrategy[] = ctx.mode === 'auto' ? ['sse', 'longpoll', 'poll'] : [ctx.mode];
  const report = progressReporter(ctx.onProgress);
  for (const strategy of order) {
    ctx.onStrategy(strategy);
    const outcome =
      strategy === 'sse'
        ? await viaSse(job, transport, ctx, report)
        : strategy === 'longpoll'
          ? await viaLongPoll(job, ctx, report)
          : await viaPolling(job, ctx, report);
    if (outcome !== UNSUPPORTED) return outcome;
  }
  throw new ReelayError(`The server does not offer the "${ctx.mode}" wait mode`);
}

/** Calls onProgress only when something the user can see changed. */
function progressReporter(onProgress: ((s: StatusBody) => void) | undefined): (s: StatusBody) => void {
  let last = '';
  return (s) => {
    const key = JSON.stringify([s.status, s.progress, s.queue_position, s.eta_seconds]);
    if (key === last) return;
    last = key;
    onProgress?.(s);
  };
}

const isFinal = (s: StatusBody): boolean => s.status === 'COMPLETED' || s.status === 'FAILED';

/** docs/api.md §8 `/events`: status and progress events, then `completed` or `failed` with the result body. */
async function viaSse(job: Job, transport: Transport, ctx: WaitContext, report: (s: StatusBody) => void): Promise<Outcome> {
  let lastEventId: string | undefined;
  for (let reconnects = 0; ; reconnects++) {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const res = await transport.send({ method: 'GET', url: job.extensionUrl('events'), headers, signal: ctx.signal, idempotent: true });
    const isStream = res.ok && (res.headers.get('content-type') ?? '').includes('text/event-stream');
    if (!isStream) {
      const body = await readJsonBody(res);
      // Not offered (Segmind answers 404, others 400/405/406 or a JSON 200). A real error, such as
      // an unknown id or a bad key, surfaces again from the next strategy's status call.
      if (res.ok || [400, 404, 405, 406, 501].includes(res.status)) return UNSUPPORTED;
      throw apiErrorFrom(res, body);
    }
    try {
      for await (const event of parseSse(res.body ?? new ReadableStream())) {
        if (event.id !== undefined) lastEventId = event.id;
        const body = JSON.parse(event.data) as Record<string, unknown>;
        if (event.event === 'completed' || event.event === 'failed') return await job.settle(body, ctx.signal);
        if (event.event === 'status' || event.event === 'progress') report(body as unknown as StatusBody);
      }
    } catch (err) {
      if (ctx.signal.aborted || err instanceof ReelayError) throw err;
      // The stream broke (proxy, network): resume below with Last-Event-ID.
    }
    // Ended without a final event: it may have finished between streams, so look once.
    const status = await job.status({ signal: ctx.signal });
    report(status);
    if (isFinal(status)) return job.settle(status as unknown as Record<string, unknown>, ctx.signal);
    if (reconnects >= 5) return UNSUPPORTED; // a stream that keeps breaking: long-poll instead
    await sleep(backoffMs(reconnects, 200, 2000), ctx.signal);
  }
}

/** docs/api.md §8 `status?wait=N`: one request per change instead of one per interval. */
async function viaLongPoll(job: Job, ctx: WaitContext, report: (s: StatusBody) => void): Promise<Outcome> {
  let previous = '';
  let fastRepeats = 0;
  for (let first = true; ; first = false) {
    const started = Date.now();
    let status: StatusBody;
    try {
      status = await job.status({ signal: ctx.signal, waitSeconds: LONG_POLL_SECONDS });
    } catch (err) {
      if (first && err instanceof ApiError && err.status === 400) return UNSUPPORTED; // a strict server refusing ?wait
      throw err;
    }
    report(status);
    if (isFinal(status)) return job.settle(status as unknown as Record<string, unknown>, ctx.signal);
    const key = JSON.stringify([status.status, status.progress, status.queue_position]);
    // A server that ignores ?wait answers at once with nothing new; twice in a row means polling.
    fastRepeats = Date.now() - started < FAST_REPLY_MS && (first || key === previous) ? fastRepeats + 1 : 0;
    if (fastRepeats >= 2) return UNSUPPORTED;
    previous = key;
  }
}

/** Segmind's way: GET status_url every interval; on COMPLETED read response_url once. */
async function viaPolling(job: Job, ctx: WaitContext, report: (s: StatusBody) => void): Promise<Outcome> {
  for (;;) {
    const status = await job.status({ signal: ctx.signal });
    report(status);
    if (isFinal(status)) return job.settle(status as unknown as Record<string, unknown>, ctx.signal);
    await sleep(ctx.intervalMs, ctx.signal);
  }
}
