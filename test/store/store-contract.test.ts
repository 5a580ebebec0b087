import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/core/api-keys.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, type OpenedStore } from './backends.js';
import { newRequest } from './fixtures.js';

describe.each(STORE_BACKENDS)('store contract: %s', (_name, open) => {
  let opened: OpenedStore;
  let store: Store;
  let accountId: string;
  let clock = 1_000_000;

  beforeEach(async () => {
    opened = await open();
    store = opened.store;
    accountId = (await createAccount(store, 'acme', false)).id;
    clock = 1_000_000;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  const insert = async (id: string, createdAt = clock++, price = 0): Promise<void> => {
    const result = await store.enqueuePaid(newRequest(accountId, { id, createdAt, price }), 1000);
    if (result.kind !== 'accepted') throw new Error(`not accepted: ${result.kind}`);
  };

  it('claims in arrival order, one worker per request', async () => {
    await insert('b', 2);
    await insert('a', 1);
    const first = await store.claimNext('w1', clock, 1000, 3);
    const second = await store.claimNext('w2', clock, 1000, 3);
    const none = await store.claimNext('w3', clock, 1000, 3);
    expect([first?.id, second?.id, none]).toEqual(['a', 'b', undefined]);
    expect(first).toMatchObject({ status: 'PROCESSING', leaseOwner: 'w1', attempts: 1, startedAt: clock });
  });

  it("lists one front door's requests, either order, paging after an id", async () => {
    for (const [id, door] of [
      ['a', 'openai'],
      ['b', null],
      ['c', 'openai'],
      ['d', 'gemini'],
      ['e', 'openai'],
    ] as const) {
      const result = await store.enqueuePaid(newRequest(accountId, { id, createdAt: clock++, door, doorModel: door ? 'm' : null }), 1000);
      expect(result.kind).toBe('accepted');
    }
    const ids = async (filter: Parameters<Store['listRequests']>[1]): Promise<string[]> => (await store.listRequests(accountId, filter)).items.map((r) => r.id);
    expect(await ids({ limit: 10, door: 'openai' })).toEqual(['e', 'c', 'a']);
    expect(await ids({ limit: 10, door: 'openai', order: 'asc' })).toEqual(['a', 'c', 'e']);
    expect(await ids({ limit: 10, door: null })).toEqual(['b']);
    expect(await ids({ limit: 10, door: 'openai', afterId: 'e' })).toEqual(['c', 'a']);
    expect(await ids({ limit: 1, door: 'openai', order: 'asc', afterId: 'a' })).toEqual(['c']);
    expect(await store.getRequest('d')).toMatchObject({ door: 'gemini', doorModel: 'm' });
    await expect(store.listRequests(accountId, { limit: 10, afterId: 'nope' })).rejects.toThrow(/cursor/);
  });

  it('reports the queue position among QUEUED requests', async () => {
    await insert('a', 1);
    await insert('b', 2);
    await insert('c', 3);
    const c = await store.getRequest('c');
    expect(await store.queuePosition(c!)).toBe(2);
    await store.claimNext('w', clock, 1000, 3);
    expect(await store.queuePosition(c!)).toBe(1);
  });

  it('re-claims a request whose lease expired, and only then', async () => {
    await insert('a');
    await store.claimNext('w1', clock, 1000, 3);
    expect(await store.claimNext('w2', clock + 999, 1000, 3)).toBeUndefined();
    const again = await store.claimNext('w2', clock + 1001, 1000, 3);
    expect(again).toMatchObject({ id: 'a', leaseOwner: 'w2', attempts: 2 });
    // The first worker lost its lease: it can no longer heartbeat or write an outcome.
    expect(await store.heartbeat('a', 'w1', clock + 1002, 1000, 50)).toBe(false);
    const done = {
      seedHonoured: true,
      outputKey: 'o',
      outputUrl: 'http://x/o.mp4',
      outputBytes: 1,
      inferenceSeconds: 1,
      completedAt: clock,
      expiresAt: clock + 10,
    };
    expect(await store.complete('a', 'w1', done)).toBe(false);
    expect(await store.complete('a', 'w2', done)).toBe(true);
    expect(await store.getRequest('a')).toMatchObject({ status: 'COMPLETED', outputKey: 'o', progress: 100 });
  });

  it('heartbeats extend the lease and progress never goes backwards', async () => {
    await insert('a');
    await store.claimNext('w1', clock, 1000, 3);
    expect(await store.heartbeat('a', 'w1', clock + 900, 1000, 40)).toBe(true);
    expect(await store.heartbeat('a', 'w1', clock + 950, 1000, 30)).toBe(true);
    expect(await store.claimNext('w2', clock + 1500, 1000, 3)).toBeUndefined();
    expect(await store.getRequest('a')).toMatchObject({ progress: 40, leaseExpiresAt: clock + 1950 });
  });

  it('fails a request once its attempts are used up, instead of claiming it again', async () => {
    await insert('a');
    for (let i = 0; i < 2; i++) await store.claimNext(`w${i}`, clock + i * 2000, 1000, 2);
    expect(await store.claimNext('w9', clock + 10_000, 1000, 2)).toBeUndefined();
    expect(await store.failExhausted(clock + 10_000, 2, 5000)).toEqual(['a']);
    const failed = await store.getRequest('a');
    expect(failed).toMatchObject({ status: 'FAILED', failureCode: 'engine_error', expiresAt: clock + 15_000 });
    expect(failed?.error).toMatch(/started 2 times/);
  });

  it('release gives the request back, without counting the attempt on shutdown', async () => {
    await insert('a');
    await store.claimNext('w1', clock, 1000, 3);
    expect(await store.release('a', 'w2', false)).toBe(false);
    expect(await store.release('a', 'w1', false)).toBe(true);
    expect(await store.getRequest('a')).toMatchObject({ status: 'QUEUED', attempts: 0, leaseOwner: null });
  });

  it('fail without a worker ends any unfinished request but never a finished one', async () => {
    await insert('a');
    const failure = { code: 'canceled' as const, error: 'x', inferenceSeconds: null, completedAt: clock, expiresAt: clock + 1 };
    expect(await store.fail('a', null, failure)).toBe(true);
    expect(await store.fail('a', null, failure)).toBe(false);
  });

  it('lists expired finished requests and deletes them', async () => {
    await insert('a');
    await insert('b');
    const failure = { code: 'engine_error' as const, error: 'x', inferenceSeconds: null, completedAt: clock, expiresAt: clock + 100 };
    await store.fail('a', null, failure);
    expect((await store.listExpired(clock + 99, 10)).map((r) => r.id)).toEqual([]);
    expect((await store.listExpired(clock + 100, 10)).map((r) => r.id)).toEqual(['a']);
    await store.deleteRequest('a');
    expect(await store.getRequest('a')).toBeUndefined();
  });

  it('creates a setting once, whoever asks first', async () => {
    const first = await store.getOrCreateSetting('secret', () => 'one');
    const second = await store.getOrCreateSetting('secret', () => 'two');
    expect([first, second]).toEqual(['one', 'one']);
  });
});
