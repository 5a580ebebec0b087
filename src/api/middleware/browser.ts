import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../env.js';

/** Request headers a browser client of the API sends. */
const ALLOWED_HEADERS = ['x-api-key', 'authorization', 'content-type', 'idempotency-key', 'x-reelay-fault'];
/** Response headers a browser script may read: ids, the engine label, credits and rate limits. */
const EXPOSED_HEADERS = [
  'X-Request-Id',
  'X-Seed',
  'X-Engine',
  'X-Remaining-Credits',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Content-Range',
  'Accept-Ranges',
];

/**
 * Cross-origin access for browser clients (config `corsOrigins`). None by default: a page on
 * another origin cannot call the API until the operator lists that origin (or "*"). Keys travel
 * in headers, never cookies, so credentials are never allowed. A preflight from an origin not on
 * the list gets 204 without any grant, and the browser refuses the call.
 */
export function corsPolicy(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const any = origins.includes('*');
  const listed = new Set(origins);
  return cors({
    origin: (origin) => (any ? '*' : listed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    credentials: false,
  });
}

/**
 * Headers every answer carries so a browser never reinterprets it: no MIME sniffing (a JSON error
 * or an uploaded image must not become a script), no referrer leaking signed file URLs, and a CSP
 * that lets nothing load or frame the API's answers. Video files get `media-src 'self'` so a
 * browser can still play one opened directly. Pages served later set their own CSP.
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
  c.res.headers.set('Referrer-Policy', 'no-referrer');
  if (!c.res.headers.has('Content-Security-Policy')) {
    const media = c.res.headers.get('Content-Type')?.startsWith('video/') ? " media-src 'self';" : '';
    c.res.headers.set('Content-Security-Policy', `default-src 'none';${media} frame-ancestors 'none'`);
  }
};
