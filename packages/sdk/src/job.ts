import { InferenceFailed, InferenceTimeout } from './errors.js';
import type { Transport } from './http.js';
import { isRecord, type CompletedResult, type FailedResult, type StatusBody } from './types.js';
import { waitFor, type WaitMode, type WaitStrategy } from './wait.js';

export interface WaitOptions {
  /** Give up waiting (InferenceTimeout) after this long; the request itself goes on. Default: no limit. */
  timeoutMs?: number;
  /** Aborting rejects with the signal's reason; the request goes on (call cancel() to stop it). */
  signal?: AbortSignal;
  /** Called with each new status body: status, and on Reelay progress, queue_position, eta_seconds. */
  onProgress?: (status: StatusBody) => void;
  /** Pause between status polls when the server offers neither SSE nor long-poll. Default 1000 ms. */
  intervalMs?: number;
  /** 'auto' (default) tries SSE, then long-poll, then polling; any other value uses only that. */
  mode?: WaitMode;
}

/** A finished request's body is accepted whatever its HTTP code, as Segmind's own client does (docs/api.md §5). */
export function isFinished(body: Record<string, unknown>): boolean {
  return body.status === 'COMPLETED' || body.status === 'FAILED';
}

/** One submitted request. Its URLs are followed verbatim, so it works against Segmind as well. */
export class Job {
  /** The strategy the last wait() settled on: useful to see whether push worked. */
  waitStrategy: WaitStrategy | undefined;

  constructor(
    private readonly transport: Transport,
    readonly requestId: string,
    readonly statusUrl: string,
    readonly responseUrl: string,
  ) {}

  /** Reelay extension URLs sit next to status_url (…/requests/{id}/events, …/cancel). */
  extensionUrl(name: 'events' | 'cancel'): string {
    const url = new URL(this.statusUrl);
    url.search = '';
    url.pathname = /\/status$/.test(url.pathname) ? url.pathname.replace(/\/status$/, `/${name}`) : `${url.pathname.replace(/\/$/, '')}/${name}`;
    return url.href;
  }

  /** The status body (docs/api.md §5.1); a FAILED request's body is returned, not thrown. */
  async status(options: { signal?: AbortSignal; waitSeconds?: number } = {}): Promise<StatusBody> {
    const url = new URL(this.statusUrl);
    if (options.waitSeconds) url.searchParams.set('wait', String(options.waitSeconds));
    const { body } = await this.transport.json({ method: 'GET', url: url.href, signal: options.signal, idempotent: true }, (_s, b) => isFinished(b));
    return body as unknown as StatusBody;
  }

  /** The result (docs/api.md §5.2/§5.3): the COMPLETED body, null while unfinished; FAILED throws InferenceFailed. */
  async result(options: { signal?: AbortSignal } = {}): Promise<CompletedResult | null> {
    const { status, body } = await this.transport.json(
      { method: 'GET', url: this.responseUrl, signal: options.signal, idempotent: true },
      (s, b) => isFinished(b) || s === 202,
    );
    if (body.status === 'FAILED') throw new InferenceFailed(body as unknown as FailedResult);
    if (body.status === 'COMPLETED') return body as unknown as CompletedResult;
    if (status === 202 || body.status === 'QUEUED' || body.status === 'PROCESSING') return null;
    return body as unknown as CompletedResult; // a foreign server without a status field: trust the 200
  }

  /** Cancels a QUEUED or PROCESSING request (Reelay extension); returns its FAILED body (code "canceled"). */
  async cancel(options: { signal?: AbortSignal } = {}): Promise<FailedResult> {
    const { body } = await this.transport.json({ method: 'POST', url: this.extensionUrl('cancel'), signal: options.signal, idempotent: false });
    return body as unknown as FailedResult;
  }

  /** Waits until the request finishes: the COMPLETED body, or InferenceFailed / InferenceTimeout. */
  async wait(options: WaitOptions = {}): Promise<CompletedResult> {
    const started = Date.now();
    const controller = new AbortController();
    const timedOut = new Error('wait timed out');
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(timedOut), options.timeoutMs);
    const forward = (): void => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) forward();
    options.signal?.addEventListener('abort', forward, { once: true });
    try {
      return await waitFor(this, this.transport, {
        signal: controller.signal,
        intervalMs: options.intervalMs ?? 1000,
        mode: options.mode ?? 'auto',
        onProgress: options.onProgress,
        onStrategy: (s) => (this.waitStrategy = s),
      });
    } catch (err) {
      if (controller.signal.reason === timedOut) throw new InferenceTimeout(this.requestId, Date.now() - started);
      throw err;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', forward);
    }
  }

  /** Turns a final status body into the outcome: fetch the COMPLETED result once, or throw the failure. */
  async settle(body: Record<string, unknown>, signal: AbortSignal): Promise<CompletedResult> {
    if (body.status === 'FAILED') throw new InferenceFailed(body as unknown as FailedResult);
    if (isRecord(body) && typeof body.output === 'string') return body as unknown as CompletedResult;
    const result = await this.result({ signal });
    if (!result) throw new Error(`Request ${this.requestId} is COMPLETED but its result is not ready`);
    return result;
  }
}
