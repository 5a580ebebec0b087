import type { Services } from './context.js';
import type { RequestRecord } from './types.js';

/** Safety net when a notification is missed (another process, a dropped connection): look again at least this often. */
const SAFETY_POLL_MS = 1_000;

export const isFinal = (r: RequestRecord): boolean => r.status === 'COMPLETED' || r.status === 'FAILED';

/**
 * Waits until `done(request)` holds, or `timeoutMs` passes, or `signal` aborts, waking on the
 * store's change notifications. Returns the last row seen, or undefined if it no longer exists.
 */
export async function waitForRequest(
  services: Services,
  id: string,
  done: (request: RequestRecord) => boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<RequestRecord | undefined> {
  const deadline = Date.now() + timeoutMs;
  let wake: () => void = () => {};
  const unsubscribe = services.notifier.onRequestChanged(id, () => wake());
  const onAbort = (): void => wake();
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const request = await services.store.getRequest(id);
      if (!request || done(request)) return request;
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return request;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, SAFETY_POLL_MS));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Waits until the request is COMPLETED or FAILED (the sync v1 call). */
export function waitForFinal(services: Services, id: string, timeoutMs: number, signal?: AbortSignal): Promise<RequestRecord | undefined> {
  return waitForRequest(services, id, isFinal, timeoutMs, signal);
}
