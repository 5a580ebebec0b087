import type { Services } from '../core/context.js';
import { discardRequest } from '../core/discard.js';

const BATCH = 100;

/**
 * Deletes finished requests past their expiry: output and input blobs first, then the row, so a
 * crash in between leaves a row that the next sweep finishes (never a row pointing at nothing
 * that still answers). Readers already treat an expired row as gone (core/lookup.ts).
 */
export async function sweepExpired(services: Services, now = Date.now()): Promise<number> {
  let deleted = 0;
  for (;;) {
    const expired = await services.store.listExpired(now, BATCH);
    for (const request of expired) {
      await discardRequest(services, request);
      deleted++;
    }
    if (expired.length < BATCH) break;
  }
  // No request waits forever: one that no worker took in time fails (and is refunded).
  const stale = await services.store.failStaleQueued(now - services.config.queueTimeout, now, services.config.retention);
  for (const id of stale) services.notifier.requestChanged(id);
  // Rate-limit windows older than the current and previous one can no longer matter.
  await services.store.deleteRateWindowsBefore(now - 2 * services.config.limits.window);
  return deleted;
}

/** Runs the sweep every `sweepInterval`; returns a function that stops it. */
export function startSweeper(services: Services): () => Promise<void> {
  let current: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    current = sweepExpired(services).catch((err: unknown) => services.log.error({ err }, 'retention sweep failed'));
  }, services.config.sweepInterval);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await current;
  };
}
