import type { Services } from './context.js';
import type { RequestRecord } from './types.js';

const FINAL = new Set(['COMPLETED', 'FAILED']);
/** Safety net when a notification is missed (another process, a lost event): look again at least this often. */
const SAFETY_POLL_MS = 1_000;

/**
 * Waits until the request is COMPLETED or FAILED, or `timeoutMs` passes, or `signal` aborts.
 * Returns the last row seen (possibly still unfinished), or undefined if it no longer exists.
 */
export async function waitForFinal(
  services: Services,
  id: string,
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
      if (!request || FINAL.has(request.status)) return request;
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
