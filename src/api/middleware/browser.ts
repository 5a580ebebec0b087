import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

/** Request headers a browser client of the API sends. */
const ALLOWED_HEADERS = ['x-api-key', 'authorization', 'content-type', 'idempotency-key', 'x-reelay-fault'];
const ALLOWED_METHODS = 'GET,HEAD,POST,DELETE,OPTIONS';
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
 * the list gets 204 without any grant, and the browser refuses the call; an answer to an origin
 * not granted carries no CORS header at all (only `Vary: Origin` when the grant depends on it).
 *
 * Written here rather than with hono/cors: that one appends `Vary` with `c.header()` after the
 * route has answered, which turns every answer into a streamed one (the Node adapter then
 * writes headers and body separately); on status polls that cost a third of the time. Headers
 * set through `c.res.headers` keep the adapter's fast path.
 */
export function corsPolicy(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const any = origins.includes('*');
  const listed = new Set(origins);
  const grant = (origin: string | undefined): string | null => (origin === undefined ? null : any ? '*' : listed.has(origin) ? origin : null);
  // With no origin listed, nothing varies by origin: answers stay free of CORS headers.
  const varies = !any && listed.size > 0;
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = grant(origin);
    if (c.req.method === 'OPTIONS') {
      const headers = new Headers();
      if (varies) headers.set('Vary', 'Origin, Access-Control-Request-Headers');
      if (allowed) {
        headers.set('Access-Control-Allow-Origin', allowed);
        headers.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
        headers.set('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(','));
        headers.set('Access-Control-Max-Age', '600');
      }
      c.res = new Response(null, { status: 204, headers });
      return;
    }
    await next();
    if (varies) c.res.headers.append('Vary', 'Origin');
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', allowed);
      c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(','));
    }
  };
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
