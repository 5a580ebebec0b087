import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { presentedKey, requireScope } from './auth.js';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * /metrics is closed by default: it tells anyone who reads it the traffic, failure codes and
 * queue of the installation. A scraper sends the configured `metricsToken` as a bearer token
 * (Prometheus: `authorization: { credentials: <token> }`); anyone else needs an admin key.
 */
export const requireMetricsAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = c.get('services').config.metricsToken;
  const presented = presentedKey((name) => c.req.header(name));
  // Hashes first, so the comparison is constant-time whatever the lengths.
  if (token && presented && timingSafeEqual(digest(presented), digest(token))) return next();
  return requireScope('admin')(c, next);
};
