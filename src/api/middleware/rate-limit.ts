import type { MiddlewareHandler } from 'hono';
import { ReelayError } from '../../errors.js';
import { rateLeasesOf } from '../../store/rate-leases.js';
import type { AppEnv } from '../env.js';

export type RateClass = 'submit' | 'poll';

/**
 * Per-key fixed-window limit, counted in the store so all api processes share it (through
 * rate-leases.ts: a block of hits per shared write). Submits and
 * polls have separate buckets: polling every second must never eat into the submit budget.
 * Sets X-RateLimit-* on every answer of the route; over the limit it is a 429 with Retry-After.
 */
export function rateLimit(kind: RateClass): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { config, store } = c.get('services');
    const auth = c.get('auth');
    const limit = kind === 'submit' ? (auth.account.rpmLimit ?? config.limits.submitPerMinute) : config.limits.pollPerMinute;
    const windowMs = config.limits.window;
    const now = Date.now();
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const count = await rateLeasesOf(store).hit(`${kind}:${auth.keyId}`, windowStart, limit);
    const resetSeconds = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    const headers = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit - count)),
      'X-RateLimit-Reset': String(resetSeconds),
    };
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    if (count > limit) {
      c.get('services').metrics.rateLimited.inc({ class: kind });
      throw new ReelayError(
        'rate_limited',
        `Rate limit exceeded: ${limit} ${kind === 'submit' ? 'submits' : 'reads'} per minute for this API key; retry in ${resetSeconds} s`,
        {
          data: { retryAfterSeconds: resetSeconds },
        },
      );
    }
    await next();
  };
}
