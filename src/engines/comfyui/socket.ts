import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { ComfyClient } from './client.js';

/** A text frame of ComfyUI's WebSocket: `{type, data}` (binary frames are previews and ignored). */
export interface ComfyMessage {
  type: string;
  data: Record<string, unknown>;
}

export type FeedEvent = ComfyMessage | 'closed';

/** What one prompt hears from its server's socket. */
export interface PromptFeed {
  /** When a message about this prompt last came (or the watch began); the watchdog reads history when it is old. */
  lastMessageAt: number;
  /** Whether the server's socket is open now (a closed one only costs progress: history decides). */
  readonly connected: boolean;
  /** Delivers this prompt's messages (those that came before the call first) and 'closed' when the socket drops. */
  listen(listener: (e: FeedEvent) => void): void;
  close(): void;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * One long-lived WebSocket per ComfyUI server for this Reelay process. ComfyUI sends a prompt's
 * messages to the socket registered under the `client_id` it was queued with, so every prompt is
 * queued with this socket's id and its messages are routed here by `prompt_id`. A socket that
 * drops is reopened (backing off to 5 s) under a NEW id: ComfyUI forgets an id when the old
 * socket's teardown runs, even if a reconnect took the id meanwhile, which would leave the new
 * socket open but deaf. Prompts queued under the old id hear nothing more and finish through the
 * watchdog's `/history` reads. It is only a progress feed: a socket that never opens, goes quiet
 * or drops is not an error (ComfyUI's socket is known to go silent while HTTP works).
 */
export class ServerSocket {
  /** The id to queue prompts under: the open socket's, or the one the next connection will use. */
  clientId = randomUUID();
  private ws: WebSocket | undefined;
  private readonly feeds = new Map<string, Set<Feed>>();
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private settle: Array<(open: boolean) => void> = [];

  constructor(
    private readonly client: ComfyClient,
    private readonly handshakeTimeoutMs: number,
  ) {}

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /**
   * Resolves true once the socket is open, false if the attempt under way fails or none is under
   * way (a server without a socket is not waited for). Opens it on first use. Never rejects.
   */
  ready(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (!this.ws && !this.retryTimer) this.connect();
    if (this.connected) return Promise.resolve(true);
    if (this.ws?.readyState !== WebSocket.CONNECTING) return Promise.resolve(false);
    return new Promise((resolve) => this.settle.push(resolve));
  }

  /** Starts routing `promptId`'s messages to a feed; call before the prompt is queued so none is missed. */
  watch(promptId: string): PromptFeed {
    if (!this.ws && !this.retryTimer && !this.closed) this.connect();
    const feed = new Feed(this, () => {
      const set = this.feeds.get(promptId);
      set?.delete(feed);
      if (set?.size === 0) this.feeds.delete(promptId);
    });
    const set = this.feeds.get(promptId) ?? new Set();
    set.add(feed);
    this.feeds.set(promptId, set);
    return feed;
  }

  /** Stops the socket for good (the engine is closing). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.ws?.terminate();
    this.ws = undefined;
    this.resolveSettle(false);
  }

  private connect(): void {
    this.retryTimer = undefined;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.client.wsUrl(this.clientId), { headers: this.client.server.headers, handshakeTimeout: this.handshakeTimeoutMs });
    } catch {
      return this.scheduleRetry();
    }
    this.ws = ws;
    let opened = false;
    ws.on('open', () => {
      opened = true;
      this.retryMs = RETRY_MIN_MS;
      this.resolveSettle(true);
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.route(String(data));
    });
    let gone = false;
    const drop = (): void => {
      if (gone) return;
      gone = true;
      ws.removeAllListeners();
      // A late error after close must not crash the process.
      ws.on('error', () => undefined);
      if (this.ws !== ws) return;
      this.ws = undefined;
      // An id the server registered is never reused (see above); one that never connected may be.
      if (opened) this.clientId = randomUUID();
      this.resolveSettle(false);
      for (const set of this.feeds.values()) for (const feed of set) feed.push('closed');
      if (!this.closed) this.scheduleRetry();
    };
    ws.on('close', drop);
    ws.on('error', drop);
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }

  private route(text: string): void {
    let msg: ComfyMessage;
    try {
      msg = JSON.parse(text) as ComfyMessage;
    } catch {
      return;
    }
    if (typeof msg?.type !== 'string' || !msg.data || typeof msg.data !== 'object') return;
    const id = msg.data.prompt_id;
    if (typeof id !== 'string') return;
    for (const feed of this.feeds.get(id) ?? []) feed.push(msg);
  }

  private resolveSettle(open: boolean): void {
    const settle = this.settle;
    this.settle = [];
    for (const s of settle) s(open);
  }
}

class Feed implements PromptFeed {
  lastMessageAt = Date.now();
  private listener: ((e: FeedEvent) => void) | undefined;
  private backlog: FeedEvent[] = [];

  constructor(
    private readonly socket: ServerSocket,
    private readonly unregister: () => void,
  ) {}

  get connected(): boolean {
    return this.socket.connected;
  }

  push(e: FeedEvent): void {
    if (e !== 'closed') this.lastMessageAt = Date.now();
    if (this.listener) this.listener(e);
    else this.backlog.push(e);
  }

  listen(listener: (e: FeedEvent) => void): void {
    this.listener = listener;
    const backlog = this.backlog;
    this.backlog = [];
    for (const e of backlog) listener(e);
  }

  close(): void {
    this.listener = undefined;
    this.backlog = [];
    this.unregister();
  }
}
