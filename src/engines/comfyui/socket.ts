import WebSocket from 'ws';
import type { ComfyClient } from './client.js';

/** A text frame of ComfyUI's WebSocket: `{type, data}` (binary frames are previews and ignored). */
export interface ComfyMessage {
  type: string;
  data: Record<string, unknown>;
}

/**
 * The WebSocket of one run, opened before the prompt is queued so no message is missed.
 * It is only a progress feed: a socket that never opens, goes quiet or drops is not an error
 * (ComfyUI's socket is known to go silent while HTTP works); `/history` decides the outcome.
 */
export class RunSocket {
  private ws: WebSocket | undefined;
  private listeners = new Set<(m: ComfyMessage | 'closed') => void>();
  lastMessageAt = Date.now();
  closed = false;

  constructor(client: ComfyClient, clientId: string, openTimeoutMs: number) {
    try {
      this.ws = new WebSocket(client.wsUrl(clientId), { headers: client.server.headers, handshakeTimeout: openTimeoutMs });
    } catch {
      this.closed = true;
      return;
    }
    this.ws.on('message', (data, isBinary) => {
      this.lastMessageAt = Date.now();
      if (isBinary) return;
      let msg: ComfyMessage;
      try {
        msg = JSON.parse(String(data)) as ComfyMessage;
      } catch {
        return;
      }
      if (typeof msg?.type === 'string' && msg.data && typeof msg.data === 'object') for (const l of this.listeners) l(msg);
    });
    const gone = (): void => {
      if (this.closed) return;
      this.closed = true;
      for (const l of this.listeners) l('closed');
    };
    this.ws.on('close', gone);
    this.ws.on('error', gone);
  }

  /** Resolves once the socket is open (true) or has failed (false); never rejects. */
  opened(): Promise<boolean> {
    const ws = this.ws;
    if (!ws || this.closed) return Promise.resolve(false);
    if (ws.readyState === WebSocket.OPEN) return Promise.resolve(true);
    return new Promise((resolve) => {
      ws.once('open', () => resolve(true));
      this.listeners.add(function once(m) {
        if (m === 'closed') resolve(false);
      });
    });
  }

  onMessage(listener: (m: ComfyMessage | 'closed') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.closed = true;
    if (this.ws && this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
  }
}
