import type { Account, ApiKeyRecord, Store } from './store.js';

type FoundKey = ApiKeyRecord & { account: Account };

/**
 * How long a key lookup is reused. This bounds how late a change made by another process (a key
 * revoked through the CLI, limits set by another api process) takes effect: within one second.
 * Changes made through this process's store take effect on the next call (the cache is cleared).
 */
export const KEY_CACHE_MS = 1_000;

/** Enough for every live key of a large installation; unknown keys cannot grow it past this. */
const MAX_ENTRIES = 10_000;

/** Store methods after which a cached lookup may be wrong: the cache is cleared when they return. */
const INVALIDATING = ['createApiKey', 'revokeApiKey', 'setAccountLimits', 'setAccountSuspended'] as const satisfies ReadonlyArray<keyof Store>;

/**
 * The store with a short-lived cache in front of `findActiveKey`. Every call authenticates, and
 * at polling rates the lookup (a join, plus the row decode) dominated the cost of a status read;
 * a cached answer costs a map lookup. Expiry is still checked against the clock on every hit,
 * so a key never outlives its `expires_at`, and unknown keys are cached too (a client retrying a
 * bad key does not reach the database each time).
 */
export function withKeyCache(store: Store, ttlMs = KEY_CACHE_MS): Store {
  const cache = new Map<string, { found: FoundKey | undefined; until: number }>();
  // Bumped by every invalidation: a lookup that was in flight across one must not be cached.
  let generation = 0;
  const wrapped: Store = {
    ...store,
    async findActiveKey(keyHash, now) {
      const hit = cache.get(keyHash);
      if (hit && hit.until > now) {
        const expired = hit.found?.expiresAt != null && hit.found.expiresAt <= now;
        return expired ? undefined : hit.found;
      }
      const started = generation;
      const found = await store.findActiveKey(keyHash, now);
      if (started !== generation) return found;
      // Oldest first out: a Map iterates in insertion order.
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.delete(keyHash);
      cache.set(keyHash, { found, until: now + ttlMs });
      return found;
    },
  };
  for (const name of INVALIDATING) {
    const original = store[name] as (...args: unknown[]) => Promise<unknown>;
    (wrapped as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      try {
        return await original(...args);
      } finally {
        generation++;
        cache.clear();
      }
    };
  }
  return wrapped;
}
