import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { EngineError } from '../engine.js';
import { httpError, UpstreamHttpError } from '../remote/upstream.js';
import type { Graph } from './graph.js';

/** One configured ComfyUI server. */
export interface ServerConfig {
  url: string;
  /** Prompts sent to it at once (ComfyUI runs one at a time per process, so 1 unless it is a proxy). */
  concurrency: number;
  /** Extra headers on every call, e.g. a bearer token for a reverse proxy in front of ComfyUI. */
  headers: Record<string, string>;
}

/** A file entry of a history output: SaveVideo's `images`, VHS's `gifs`. */
export interface SavedFile {
  filename: string;
  subfolder: string;
  type: string;
}

export interface HistoryEntry {
  outputs?: Record<string, { images?: SavedFile[]; gifs?: SavedFile[]; animated?: boolean[] }>;
  status?: { status_str?: string; completed?: boolean; messages?: Array<[string, Record<string, unknown>]> };
}

/** `POST /prompt`'s 400: the graph failed validation. */
export interface PromptRejection {
  error?: { type?: string; message?: string; details?: string } | string;
  node_errors?: Record<string, { errors?: Array<{ type?: string; message?: string; details?: string }>; class_type?: string }>;
}

export type ObjectInfo = Record<string, { input?: { required?: Record<string, unknown>; optional?: Record<string, unknown> } }>;

/**
 * ComfyUI's HTTP API for one server (server.py routes), with the operator's headers and a
 * per-call time limit. Network failures and 5xx surface as UpstreamHttpError / fetch errors,
 * which the engine turns into `upstream_unavailable`.
 */
export class ComfyClient {
  readonly base: string;
  constructor(
    readonly server: ServerConfig,
    private readonly callTimeoutMs: number,
  ) {
    this.base = server.url.replace(/\/+$/, '');
  }

  /** The WebSocket URL for `clientId`, with the same headers. */
  wsUrl(clientId: string): string {
    return `${this.base.replace(/^http/, 'ws')}/ws?clientId=${encodeURIComponent(clientId)}`;
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const signals = [AbortSignal.timeout(this.callTimeoutMs), ...(init.signal ? [init.signal] : [])];
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.server.headers)) headers.set(k, v);
    return fetch(`${this.base}${path}`, { ...init, headers, signal: AbortSignal.any(signals) });
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.call(path, init);
    if (!res.ok) throw await httpError(res);
    return (await res.json()) as T;
  }

  private async post(path: string, body: unknown, signal?: AbortSignal): Promise<void> {
    const res = await this.call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal });
    if (!res.ok) throw await httpError(res);
    await res.arrayBuffer();
  }

  /** Uploads the start image under a name unique to this attempt; returns the name LoadImage takes. */
  async uploadImage(name: string, image: { bytes: Buffer; mime: string }, signal: AbortSignal): Promise<string> {
    const form = new FormData();
    form.set('image', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), name);
    form.set('type', 'input');
    form.set('overwrite', 'true');
    const body = await this.json<{ name: string; subfolder?: string }>('/upload/image', { method: 'POST', body: form, signal });
    return body.subfolder ? `${body.subfolder}/${body.name}` : body.name;
  }

  /** Queues the graph; a 400 (validation) becomes engine_error naming each bad node and why. */
  async submit(graph: Graph, clientId: string, promptId: string, signal: AbortSignal): Promise<void> {
    const res = await this.call('/prompt', {
      method: 'POST',
      body: JSON.stringify({ prompt: graph, client_id: clientId, prompt_id: promptId }),
      headers: { 'content-type': 'application/json' },
      signal,
    });
    if (res.status === 400) throw rejected(await res.text());
    if (!res.ok) throw await httpError(res);
    await res.arrayBuffer();
  }

  /** `{}` while the prompt is pending, running or unknown; its entry once finished. */
  async history(promptId: string, signal?: AbortSignal): Promise<HistoryEntry | undefined> {
    const body = await this.json<Record<string, HistoryEntry>>(`/history/${encodeURIComponent(promptId)}`, signal ? { signal } : {});
    return body[promptId];
  }

  async queue(): Promise<{ running: string[]; pending: string[] }> {
    const body = await this.json<{ queue_running?: unknown[][]; queue_pending?: unknown[][] }>('/queue');
    const ids = (items: unknown[][] | undefined) => (items ?? []).map((item) => String(item[1]));
    return { running: ids(body.queue_running), pending: ids(body.queue_pending) };
  }

  /** Streams the output file (`/view` serves it raw) into `path`, without holding it in memory. */
  async download(file: SavedFile, path: string, signal: AbortSignal): Promise<void> {
    const q = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder, type: file.type || 'output' });
    const res = await this.call(`/view?${q}`, { signal });
    if (!res.ok) throw await httpError(res);
    if (!res.body) throw new UpstreamHttpError(502, `ComfyUI at ${this.base} answered /view without a body`);
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(path));
  }

  /**
   * Stops `promptId` on this server: interrupt it if it is the one running, or take it out of
   * the pending queue. Older servers ignore /interrupt's prompt_id and stop whatever runs, so
   * the queue is read first and /interrupt is sent only when our prompt is the running one.
   */
  async stop(promptId: string): Promise<'interrupted' | 'dequeued' | 'not_found'> {
    const { running, pending } = await this.queue();
    if (running.includes(promptId)) {
      await this.post('/interrupt', { prompt_id: promptId });
      return 'interrupted';
    }
    if (pending.includes(promptId)) {
      await this.post('/queue', { delete: [promptId] });
      return 'dequeued';
    }
    return 'not_found';
  }

  /** Forgets the prompt (history is held in ComfyUI's memory, capped, and otherwise grows). */
  async deleteHistory(promptId: string): Promise<void> {
    await this.post('/history', { delete: [promptId] });
  }

  objectInfo(): Promise<ObjectInfo> {
    return this.json<ObjectInfo>('/object_info');
  }

  /** A cheap liveness probe: `/prompt` GET answers the queue length. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.json<unknown>('/prompt', signal ? { signal } : {});
  }
}

/** The operator's view of a rejected graph: `node 52 (LoadImage): Value not in list: …`. */
export function rejected(text: string): EngineError {
  let body: PromptRejection = {};
  try {
    body = JSON.parse(text) as PromptRejection;
  } catch {
    return new EngineError('engine_error', `ComfyUI rejected the workflow: ${text.slice(0, 300)}`);
  }
  const nodes = Object.entries(body.node_errors ?? {}).map(([id, n]) => {
    const errs = (n.errors ?? []).map((e) => [e.message, e.details].filter(Boolean).join(': ')).join('; ');
    return `node ${id} (${n.class_type ?? '?'}): ${errs}`;
  });
  const top = typeof body.error === 'string' ? body.error : [body.error?.message, body.error?.details].filter(Boolean).join(': ');
  return new EngineError('engine_error', `ComfyUI rejected the workflow: ${[top, ...nodes].filter(Boolean).join('; ')}`);
}

export { UpstreamHttpError };
