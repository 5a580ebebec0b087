import { EngineError } from '../engine.js';
import type { ComfyClient, HistoryEntry } from './client.js';
import type { ComfyMessage, PromptFeed } from './socket.js';

export interface FollowOptions {
  signal: AbortSignal;
  /** Poll `/history` when the socket has said nothing for this long (the watchdog). */
  quietMs: number;
  /** Sampler node ids in run order; their step progress is weighted into one forward-only fraction. */
  samplers: string[];
  onProgress(fraction: number): void;
  /** A node's output from the socket's `executed` message (the video can be fetched before the prompt ends). */
  onOutput?(output: unknown): void;
}

/**
 * Waits for a queued prompt to finish and returns its history entry. The socket gives progress
 * and a prompt hint that the end has come; `/history` is the source of truth: it is read when
 * the socket reports the end, whenever nothing has come about this prompt for `quietMs`, and
 * when the socket drops (and every `quietMs` while it is down). A prompt that is neither queued, running nor in history was lost (a restart): that
 * and an unreachable server are `upstream_unavailable`, so the worker retries elsewhere.
 */
export async function followPrompt(client: ComfyClient, feed: PromptFeed, promptId: string, opts: FollowOptions): Promise<HistoryEntry> {
  let best = 0;
  const progress = (m: ComfyMessage): void => {
    const { node, value, max } = m.data as { node?: unknown; value?: unknown; max?: unknown };
    const i = opts.samplers.indexOf(String(node));
    if (i < 0 || typeof value !== 'number' || typeof max !== 'number' || max <= 0) return;
    const fraction = (i + Math.min(1, value / max)) / opts.samplers.length;
    if (fraction > best) opts.onProgress((best = fraction));
  };

  let wake: (() => void) | undefined;
  // End signals heard, and how many a history read has answered: one that comes during a read is not lost.
  let ends = 0;
  let answered = 0;
  feed.listen((m) => {
    if (m === 'closed') return wake?.();
    if (m.type === 'progress') progress(m);
    if (m.type === 'executed') opts.onOutput?.(m.data.output);
    const ended = m.type === 'execution_success' || m.type === 'execution_error' || m.type === 'execution_interrupted';
    if (ended || (m.type === 'executing' && m.data.node === null)) {
      ends++;
      wake?.();
    }
  });
  try {
    for (;;) {
      opts.signal.throwIfAborted();
      const quietFor = Date.now() - feed.lastMessageAt;
      if (ends > answered || !feed.connected || quietFor >= opts.quietMs) {
        const heard = ends;
        const entry = await readHistory(client, promptId, opts.signal);
        if (entry) return entry;
        // The end was announced but history is not written yet (execution_success precedes task_done).
        answered = heard;
        feed.lastMessageAt = Date.now();
        if (ends > answered) continue;
      }
      await new Promise<void>((resolve) => {
        const wait = feed.connected ? Math.max(10, opts.quietMs - (Date.now() - feed.lastMessageAt)) : opts.quietMs;
        const timer = setTimeout(done, wait);
        function done(): void {
          clearTimeout(timer);
          opts.signal.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        }
        wake = done;
        opts.signal.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    feed.close();
  }
}

/** The finished entry, or undefined while the prompt is still queued or running. */
async function readHistory(client: ComfyClient, promptId: string, signal: AbortSignal): Promise<HistoryEntry | undefined> {
  const done = (e: HistoryEntry | undefined): e is HistoryEntry => e?.status?.completed !== undefined || e?.outputs !== undefined;
  const first = await client.history(promptId, signal);
  if (done(first)) return first;
  // Then queue, then history again: history is written as the prompt leaves the queue, so "in neither" read in this order means lost.
  const { running, pending } = await client.queue();
  if (running.includes(promptId) || pending.includes(promptId)) return undefined;
  const entry = await client.history(promptId, signal);
  if (done(entry)) return entry;
  throw new EngineError(
    'upstream_unavailable',
    `ComfyUI at ${client.base} lost prompt ${promptId} (not queued, running, or in history: the server restarted?)`,
  );
}
