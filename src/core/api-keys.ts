import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Store, ApiKeyRecord, Account } from '../store/store.js';
import type { Scope } from './types.js';

/** Keys are 256 random bits, so a plain SHA-256 is a safe one-way lookup handle (no salt or slow hash needed). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Whether a key may make a call that needs `scope`. The `admin` scope is power over every account,
 * so it counts only on an admin account: a customer's key never has it, whatever its stored scopes
 * say (a key minted before this rule, or by a bug). Other scopes are granted only when listed.
 */
export function keyAllows(key: { scopes: readonly Scope[]; account: { isAdmin: boolean } }, scope: Scope): boolean {
  const admin = key.account.isAdmin && key.scopes.includes('admin');
  return admin || (scope !== 'admin' && key.scopes.includes(scope));
}

export function generateKey(): string {
  return `rl_${randomBytes(32).toString('base64url')}`;
}

export interface CreatedKey {
  /** The secret; shown once, never stored. */
  key: string;
  record: ApiKeyRecord;
}

export async function createKey(
  store: Store,
  opts: { accountId: string; scopes: Scope[]; label?: string; expiresAt?: number | null; key?: string },
): Promise<CreatedKey> {
  const key = opts.key ?? generateKey();
  const record: ApiKeyRecord = {
    id: randomUUID(),
    accountId: opts.accountId,
    prefix: key.slice(0, 8),
    scopes: opts.scopes,
    label: opts.label ?? '',
    createdAt: Date.now(),
    expiresAt: opts.expiresAt ?? null,
    revokedAt: null,
    lastUsedAt: null,
  };
  await store.createApiKey(record, hashKey(key));
  return { key, record };
}

export async function createAccount(store: Store, name: string, isAdmin: boolean): Promise<Account> {
  const id = randomUUID();
  await store.createAccount({ id, name, isAdmin, createdAt: Date.now() });
  const account = await store.getAccount(id);
  if (!account) throw new Error(`account ${id} vanished right after insert`);
  return account;
}

/** Id of the admin account made on first start. */
export const BOOTSTRAP_ACCOUNT_ID = 'admin';

export const ADMIN_SCOPES: Scope[] = ['admin', 'generate', 'read'];

/**
 * First start: when no account exists, create the admin account and its key (the operator's
 * `bootstrapKey` if given). Returns the new key so the caller can print it once, or undefined
 * when the store was already set up.
 */
export async function bootstrapAdmin(store: Store, opts: { key?: string | undefined; credits: number }): Promise<CreatedKey | undefined> {
  // A fixed id makes this race-safe: when several processes start at once on a new database, exactly one insert wins.
  const won = await store.createAccount({ id: BOOTSTRAP_ACCOUNT_ID, name: 'admin', isAdmin: true, createdAt: Date.now() });
  if (!won) return undefined;
  const account = await store.getAccount(BOOTSTRAP_ACCOUNT_ID);
  if (!account) throw new Error('bootstrap admin account vanished right after insert');
  if (opts.credits > 0) await store.changeCredits(account.id, 'grant', opts.credits, 'first-start grant to the admin account', Date.now());
  return createKey(store, { accountId: account.id, scopes: ADMIN_SCOPES, label: 'bootstrap admin key', key: opts.key });
}
