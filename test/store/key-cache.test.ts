import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount, createKey, hashKey } from '../../src/core/api-keys.js';
import { withKeyCache } from '../../src/store/key-cache.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, type OpenedStore } from './backends.js';

const TTL = 1_000;

describe.each(STORE_BACKENDS)('key cache over %s', (_name, open) => {
  let opened: OpenedStore;
  /** The store as another process sees it: same database, no cache of its own. */
  let other: Store;
  let cached: Store;
  let key: string;
  let keyId: string;
  const t0 = Date.now();

  beforeEach(async () => {
    opened = await open();
    other = opened.store;
    cached = withKeyCache(other, TTL);
    const account = await createAccount(other, 'cache-co', false);
    const created = await createKey(other, { accountId: account.id, scopes: ['read'] });
    key = created.key;
    keyId = created.record.id;
  });
  afterEach(() => opened.dispose());

  it('a revocation made through the cached store takes effect on the next lookup', async () => {
    expect(await cached.findActiveKey(hashKey(key), t0)).toMatchObject({ id: keyId });
    expect(await cached.revokeApiKey(keyId, t0)).toBe(true);
    expect(await cached.findActiveKey(hashKey(key), t0 + 1)).toBeUndefined();
  });

  it("another process's revocation takes effect once the lookup is older than the TTL, never later", async () => {
    expect(await cached.findActiveKey(hashKey(key), t0)).toMatchObject({ id: keyId });
    await other.revokeApiKey(keyId, t0);
    // Within the TTL the cached answer stands (this is the cost the cache saves) ...
    expect(await cached.findActiveKey(hashKey(key), t0 + TTL - 1)).toMatchObject({ id: keyId });
    // ... and at the TTL it is looked up again.
    expect(await cached.findActiveKey(hashKey(key), t0 + TTL)).toBeUndefined();
  });

  it('limits changed through the cached store are seen on the next call', async () => {
    const before = await cached.findActiveKey(hashKey(key), t0);
    expect(before?.account.rpmLimit).toBeNull();
    await cached.setAccountLimits(before!.accountId, { rpmLimit: 7 });
    expect((await cached.findActiveKey(hashKey(key), t0 + 1))?.account.rpmLimit).toBe(7);
  });

  it('suspending the account through the cached store refuses its keys on the next call', async () => {
    const found = await cached.findActiveKey(hashKey(key), t0);
    expect(found).toMatchObject({ id: keyId });
    await cached.setAccountSuspended(found!.accountId, t0);
    const after = await cached.findActiveKey(hashKey(key), t0 + 1);
    expect(after === undefined || after.account.suspendedAt !== null).toBe(true);
  });

  it('a cached key still expires at its expires_at', async () => {
    const account = await createAccount(other, 'expiring-co', false);
    const expiring = await createKey(other, { accountId: account.id, scopes: ['read'], expiresAt: t0 + 500 });
    expect(await cached.findActiveKey(hashKey(expiring.key), t0)).toMatchObject({ id: expiring.record.id });
    expect(await cached.findActiveKey(hashKey(expiring.key), t0 + 500)).toBeUndefined();
  });

  it('an unknown key is remembered as unknown, and a key created here is found at once', async () => {
    const fresh = 'rl_not_yet_created_000000000000000000000000';
    expect(await cached.findActiveKey(hashKey(fresh), t0)).toBeUndefined();
    const account = await createAccount(other, 'new-co', false);
    await createKey(cached, { accountId: account.id, scopes: ['read'], key: fresh });
    expect(await cached.findActiveKey(hashKey(fresh), t0 + 1)).toMatchObject({ accountId: account.id });
  });

  it('a lookup in flight across a revocation is not cached', async () => {
    const inFlight = cached.findActiveKey(hashKey(key), t0);
    const revoked = cached.revokeApiKey(keyId, t0);
    await Promise.all([inFlight, revoked]);
    expect(await cached.findActiveKey(hashKey(key), t0 + 1)).toBeUndefined();
  });
});
