import type { Context } from 'hono';
import type { AppEnv } from '../env.js';

/** The Gemini API's key: the `x-goog-api-key` header (what the SDK sends) or the `key` query parameter. */
export function presentedGoogleKey(c: Context<AppEnv>): string | undefined {
  return c.req.header('x-goog-api-key')?.trim() || c.req.query('key') || undefined;
}
