import { ApiError, InferenceFailed, InferenceTimeout, ReelayError } from './errors.js';
import { apiErrorFrom, readJsonBody, Transport, type FetchLike } from './http.js';
import { Job, type WaitOptions } from './job.js';
import type { ParamsFor } from './models/index.js';
import { downloadTo, type Destination } from './download.js';
import type { CompletedResult, FailedResult, SubmitResponse, SyncResult } from './types.js';
import { randomKey, readEnv } from './util.js';

export interface ReelayOptions {
  /** Default: REELAY_API_KEY, then SEGMIND_API_KEY, from the environment (Node only). */
  apiKey?: string;
  /** Default: https://api.segmind.com; a Reelay server is e.g. http://127.0.0.1:8080. */
  baseUrl?: string;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Retries of a 429 (after Retry-After) and of safe calls after connection errors. Default 3. */
  maxRetries?: number;
}

export interface SubmitOptions {
  /** Makes the submit safe to retry: the server answers the same request for the same key. Generated when absent. */
  idempotencyKey?: string;
  /** URL the server POSTs the result to when the request finishes (Reelay extension). */
  webhook?: string;
  /** Extra request headers, e.g. `x-reelay-fault` against an emulator. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export type RunOptions = SubmitOptions & WaitOptions;

export const DEFAULT_BASE_URL = 'https://api.segmind.com';

/** A client of Segmind's serverless API, and of Reelay with its extensions (push, cancel). */
export class Reelay {
  readonly baseUrl: string;
  private readonly transport: Transport;

  constructor(options: ReelayOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.transport = new Transport({
      apiKey: options.apiKey ?? readEnv('REELAY_API_KEY') ?? readEnv('SEGMIND_API_KEY'),
      fetch: fetchImpl,
      maxRetries: options.maxRetries ?? 3,
      maxRetryAfterMs: 60_000,
    });
  }

  /** POST /v2/{model}: queues the request and returns its Job at once. */
  async submitAsync<M extends string>(model: M, params: ParamsFor<M>, options: SubmitOptions = {}): Promise<Job> {
    const body = options.webhook ? { ...params, webhook: options.webhook } : params;
    const { body: answer } = await this.transport.json({
      method: 'POST',
      url: `${this.baseUrl}/v2/${encodeURIComponent(model)}`,
      headers: { 'content-type': 'application/json', 'idempotency-key': options.idempotencyKey ?? randomKey(), ...options.headers },
      body: JSON.stringify(body),
      signal: options.signal,
      idempotent: true, // it carries an Idempotency-Key, so a resend returns the same request
    });
    const submitted = answer as unknown as SubmitResponse;
    if (typeof submitted.request_id !== 'string') throw new ReelayError('The submit answer has no request_id');
    const id = submitted.request_id;
    return new Job(
      this.transport,
      id,
      submitted.status_url ?? `${this.baseUrl}/v2/requests/${id}/status`,
      submitted.response_url ?? `${this.baseUrl}/v2/requests/${id}`,
    );
  }

  /** A Job for a request submitted earlier (by this or another process). */
  job(requestId: string): Job {
    const base = `${this.baseUrl}/v2/requests/${encodeURIComponent(requestId)}`;
    return new Job(this.transport, requestId, `${base}/status`, base);
  }

  /** Submits and waits: the COMPLETED body, or InferenceFailed / InferenceTimeout. */
  async run<M extends string>(model: M, params: ParamsFor<M>, options: RunOptions = {}): Promise<CompletedResult> {
    const job = await this.submitAsync(model, params, options);
    return job.wait(options);
  }

  /** POST /v1/{model}: waits on the server and returns the video bytes with the request id, seed and engine. */
  async runSync<M extends string>(
    model: M,
    params: ParamsFor<M>,
    options: { headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<SyncResult> {
    const started = Date.now();
    const res = await this.transport.send({
      method: 'POST',
      url: `${this.baseUrl}/v1/${encodeURIComponent(model)}`,
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(params),
      signal: options.signal,
      idempotent: false, // no idempotency on v1: a resend could render (and charge) twice
    });
    if (res.ok) {
      const seed = res.headers.get('x-seed');
      return {
        video: new Uint8Array(await res.arrayBuffer()),
        requestId: res.headers.get('x-request-id'),
        seed: seed === null ? null : Number(seed),
        engine: res.headers.get('x-engine'),
        contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      };
    }
    const body = await readJsonBody(res);
    if (body.status === 'FAILED') throw new InferenceFailed(body as unknown as FailedResult);
    if (res.status === 504 && typeof body.request_id === 'string') throw new InferenceTimeout(body.request_id, Date.now() - started);
    throw apiErrorFrom(res, body);
  }

  /**
   * Downloads a result's video (the output URL needs no key). With a file path (Node) or a
   * writable stream it writes there and resolves when done; without, it returns a Blob (browsers).
   */
  downloadOutput(result: CompletedResult | string): Promise<Blob>;
  downloadOutput(result: CompletedResult | string, destination: Destination): Promise<void>;
  async downloadOutput(result: CompletedResult | string, destination?: Destination): Promise<Blob | void> {
    const url = typeof result === 'string' ? result : result.output;
    const res = await this.transport.send({ method: 'GET', url, idempotent: true });
    if (!res.ok) throw apiErrorFrom(res, await readJsonBody(res));
    if (destination === undefined) return res.blob();
    if (!res.body) throw new ApiError(res.status, 'empty_body', 'The output has no body', null);
    await downloadTo(res.body, destination);
  }
}
