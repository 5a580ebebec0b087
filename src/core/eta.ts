import type { Services } from './context.js';
import type { RequestRecord } from './types.js';

const CACHE_MS = 10_000;
const cache = new Map<string, { at: number; seconds: number | undefined }>();

/** Mean recent run time of a model on an engine, cached briefly: every status poll asks for it. */
async function typicalRunSeconds(services: Services, r: RequestRecord): Promise<number | undefined> {
  const key = `${r.model}\0${r.engine}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.seconds;
  const seconds = await services.store.averageRunSeconds(r.model, r.engine);
  cache.set(key, { at: Date.now(), seconds });
  return seconds;
}

/**
 * Seconds until the request is likely done, from observed run times of its model and engine:
 * while PROCESSING, from its own progress once there is some, else the typical run time minus
 * elapsed; while QUEUED, the requests ahead shared over the renders running now, plus its own run.
 * Undefined when nothing has been observed yet.
 */
export async function etaSeconds(services: Services, r: RequestRecord, queuePosition: number | undefined): Promise<number | undefined> {
  const typical = await typicalRunSeconds(services, r);
  if (r.status === 'PROCESSING') {
    const elapsed = r.startedAt === null ? 0 : (Date.now() - r.startedAt) / 1000;
    if (r.progress >= 5) return Math.max(0, Math.round((elapsed * (100 - r.progress)) / r.progress));
    return typical === undefined ? undefined : Math.max(0, Math.round(typical - elapsed));
  }
  if (r.status !== 'QUEUED' || typical === undefined) return undefined;
  const parallel = Math.max(1, await services.store.processingCount());
  return Math.round(typical * (1 + (queuePosition ?? 0) / parallel));
}
