import { ApiError, ConnectionError } from './errors.js';
import { isRecord } from './types.js';
import { backoffMs, parseRetryAfter, sleep } from './util.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  apiKey: string | undefined;
  fetch: FetchLike;
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the 429 is thrown instead. */
  maxRetryAfterMs: number;
}

export interface CallInit {
  method: 'GET' | 'POST';
  url: string;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /**
   * Whether sending the call twice is harmless: GETs, and submits carrying an Idempotency-Key.
   * Only those are retried after a connection error or a 502/503, where the first attempt may
   * have reached the server. A 429 is always retried: the server refused it before doing anything.
   */
  idempotent: boolean;
}

/** Sends API calls with the key, retrying what is safe to retry. */
export class Transport {
  constructor(readonly options: TransportOptions) {}

  async send(init: CallInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.options.apiKey && !headers.has('x-api-key')) headers.set('x-api-key', this.options.apiKey);
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < this.options.maxRetries;
      let res: Response;
      try {
        res = await this.options.fetch(init.url, { method: init.method, headers, body: init.body ?? null, signal: init.signal ?? null });
      } catch (err) {
        if (init.signal?.aborted) throw init.signal.reason;
        if (!canRetry || !init.idempotent) throw new ConnectionError(`Cannot reach ${new URL(init.url).origin}: ${describe(err)}`, err);
        await sleep(backoffMs(attempt), init.signal);
        continue;
      }
      const retryable = res.status === 429 || (init.idempotent && (res.status === 502 || res.status === 503));
      if (!retryable || !canRetry) return res;
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
      if (retryAfter !== undefined && retryAfter > this.options.maxRetryAfterMs) return res;
      await res.body?.cancel().catch(() => undefined);
      await sleep(retryAfter ?? backoffMs(attempt), init.signal);
    }
  }

  /** Sends and parses a JSON answer; a non-2xx answer becomes an ApiError unless `accept` takes it. */
  async json(
    init: CallInit,
    accept: (status: number, body: Record<string, unknown>) => boolean = () => false,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const res = await this.send(init);
    const body = await readJsonBody(res);
    if (res.ok || accept(res.status, body)) return { status: res.status, body, headers: res.headers };
    throw apiErrorFrom(res, body);
  }
}

export async function readJsonBody(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    // Proxies and foreign servers answer HTML or plain text; keep the first words as the message.
    return { error: text.trim().slice(0, 200) || `HTTP ${res.status}` };
  }
}

export function apiErrorFrom(res: Response, body: Record<string, unknown>): ApiError {
  const message = typeof body.error === 'string' && body.error ? body.error : typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
  const code = typeof body.code === 'string' ? body.code : `http_${res.status}`;
  const requestId = typeof body.request_id === 'string' ? body.request_id : res.headers.get('x-request-id');
  return new ApiError(res.status, code, message, requestId, body);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
