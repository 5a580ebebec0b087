import type { Context } from 'hono';
import type { AppEnv } from './env.js';

/**
 * The absolute base of URLs handed to clients (docs/api.md §4): the configured public URL, or else the
 * request's own scheme and Host; X-Forwarded-* only counts when the operator trusts a proxy.
 */
export function baseUrl(c: Context<AppEnv>): string {
  const { publicUrl, trustProxy } = c.get('services').config;
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const url = new URL(c.req.url);
  const forwardedProto = trustProxy ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
  const forwardedHost = trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : url.protocol.replace(':', '');
  const host = forwardedHost || c.req.header('host') || url.host;
  return `${proto}://${host}`;
}
