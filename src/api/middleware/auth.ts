import type { Context, MiddlewareHandler } from 'hono';
import { hashKey, keyAllows } from '../../core/api-keys.js';
import type { Scope } from '../../core/types.js';
import { ReelayError, unauthorized } from '../../errors.js';
import type { AppEnv } from '../env.js';

/** Reads the key from `x-api-key` (Segmind's header) or `Authorization: Bearer`. */
export function presentedKey(header: (name: string) => string | undefined): string | undefined {
  const direct = header('x-api-key');
  if (direct) return direct.trim();
  const bearer = /^Bearer\s+(.+)$/i.exec(header('authorization') ?? '');
  return bearer?.[1]?.trim();
}

/** Where a front door's clients send the key; Segmind's headers by default. */
export type KeyReader = (c: Context<AppEnv>) => string | undefined;

const segmindKey: KeyReader = (c) => presentedKey((name) => c.req.header(name));

/**
 * Authenticates the caller and checks that the key has `scope`. Unknown, revoked and expired keys
 * get the same 401; keys are never compared as plain text.
 */
export function requireScope(scope: Scope, readKey: KeyReader = segmindKey): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = readKey(c);
    if (!key || key.length > 512) throw unauthorized();
    // Looking up by SHA-256 of the key is the constant-time comparison: any timing difference in
    // the index search reveals bits of a hash, which says nothing usable about the key itself.
    const found = await c.get('services').store.findActiveKey(hashKey(key), Date.now());
    if (!found) throw unauthorized();
    if (found.account.suspendedAt !== null) throw new ReelayError('forbidden', 'This account is suspended: its keys are refused until the operator resumes it');
    if (!keyAllows(found, scope)) {
      const why = scope === 'admin' && found.scopes.includes('admin') ? ' (only keys of an admin account have it)' : '';
      throw new ReelayError('forbidden', `This API key lacks the "${scope}" scope needed for this call${why}`);
    }
    // Seeing every account's requests is admin power too: it needs the admin scope on an admin account.
    c.set('auth', { keyId: found.id, accountId: found.accountId, isAdmin: keyAllows(found, 'admin'), scopes: found.scopes, account: found.account });
    await next();
  };
}
