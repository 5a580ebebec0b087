import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/core/api-keys.js';
import type { FailureCode } from '../../src/core/types.js';
import type { NewRequest, Store } from '../../src/store/store.js';
import { STORE_BACKENDS, type OpenedStore } from './backends.js';
import { newRequest } from './fixtures.js';

describe.each(STORE_BACKENDS)('credits and limits contract: %s', (_name, open) => {
  let opened: OpenedStore;
  let store: Store;
  let accountId: string;
  let n = 0;

  beforeEach(async () => {
    opened = await open();
    store = opened.store;
    accountId = (await createAccount(store, 'acme', false)).id;
  });
  afterEach(async () => opened.dispose());

  const request = (price: number, id = `c${++n}`): NewRequest => newRequest(accountId, { id, price });
  const balance = async (): Promise<number> => (await store.getAccount(accountId))!.balance;
  const ledgerSum = async (): Promise<number> => (await store.listLedger(accountId, { limit: 1000 })).items.reduce((s, e) => s + e.amount, 0);
  const failure = (code: FailureCode) => ({ code, error: 'x', inferenceSeconds: null, completedAt: Date.now(), expiresAt: Date.now() + 1000 });

  it('charges and enqueues together; refuses without writing when the balance cannot pay', async () => {
    await store.changeCredits(accountId, 'grant', 100, 'welcome', Date.now());
    expect(await store.enqueuePaid(request(60, 'a'), 10)).toEqual({ kind: 'accepted', balance: 40 });
    expect(await store.enqueuePaid(request(60, 'b'), 10)).toEqual({ kind: 'insufficient_credits', balance: 40 });
    expect(await store.getRequest('b')).toBeUndefined();
    expect(await balance()).toBe(40);
    const entries = (await store.listLedger(accountId, { limit: 10 })).items;
    expect(entries.map((e) => [e.kind, e.amount, e.balanceAfter, e.requestId])).toEqual([
      ['charge', -60, 40, 'a'],
      ['grant', 100, 100, null],
    ]);
  });

  it('refuses past the in-flight cap, writing nothing', async () => {
    await store.enqueuePaid(request(0), 2);
    await store.enqueuePaid(request(0), 2);
    expect(await store.enqueuePaid(request(0, 'third'), 2)).toEqual({ kind: 'inflight_limit', inflight: 2 });
    expect(await store.getRequest('third')).toBeUndefined();
  });

  it('refunds a failed request exactly once, but not a content block or bad input', async () => {
    await store.changeCredits(accountId, 'grant', 100, '', Date.now());
    await store.enqueuePaid(request(30, 'engine'), 10);
    await store.enqueuePaid(request(30, 'blocked'), 10);
    await store.enqueuePaid(request(30, 'bad'), 10);
    expect(await balance()).toBe(10);
    expect(await store.fail('engine', null, failure('engine_error'))).toBe(true);
    expect(await store.fail('engine', null, failure('engine_error'))).toBe(false);
    await store.fail('blocked', null, failure('content_blocked'));
    await store.fail('bad', null, failure('invalid_input'));
    expect(await balance()).toBe(40);
    expect(await ledgerSum()).toBe(40);
  });

  it('refunds requests that ran out of attempts', async () => {
    await store.changeCredits(accountId, 'grant', 50, '', Date.now());
    await store.enqueuePaid(request(50, 'stuck'), 10);
    await store.claimNext('w', 0, 10, 1);
    expect(await store.failExhausted(1000, 1, 1000)).toEqual(['stuck']);
    expect(await balance()).toBe(50);
  });

  it('never lets a deduction take the balance below zero', async () => {
    await store.changeCredits(accountId, 'grant', 10, '', Date.now());
    expect(await store.changeCredits(accountId, 'adjustment', -11, 'too much', Date.now())).toBeUndefined();
    expect((await store.changeCredits(accountId, 'adjustment', -10, 'ok', Date.now()))?.balanceAfter).toBe(0);
  });

  it('50 parallel submits against a balance for 10 accept exactly 10', async () => {
    await store.changeCredits(accountId, 'grant', 500, '', Date.now());
    const results = await Promise.all(Array.from({ length: 50 }, () => store.enqueuePaid(request(50), 1000)));
    expect(results.filter((r) => r.kind === 'accepted')).toHaveLength(10);
    expect(await balance()).toBe(0);
    expect(await ledgerSum()).toBe(0);
  });

  it('ledger invariant: after random submits, failures, grants and deductions the balance is the sum and never negative', async () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const open: string[] = [];
    for (let step = 0; step < 300; step++) {
      const op = random(5);
      if (op === 0) await store.changeCredits(accountId, 'grant', 1 + random(100), 'g', Date.now());
      else if (op === 1) await store.changeCredits(accountId, 'adjustment', -(1 + random(100)), 'd', Date.now());
      else if (op === 2) {
        const r = request(1 + random(60));
        if ((await store.enqueuePaid(r, 1000)).kind === 'accepted') open.push(r.id);
      } else if (open.length > 0) {
        const id = open.splice(random(open.length), 1)[0]!;
        const codes: FailureCode[] = ['engine_error', 'content_blocked', 'timeout', 'invalid_input', 'upstream_unavailable'];
        await store.fail(id, null, failure(codes[random(codes.length)]!));
        await store.fail(id, null, failure('engine_error')); // a second failure must change nothing
      }
      const now = await balance();
      expect(now).toBeGreaterThanOrEqual(0);
    }
    expect(await balance()).toBe(await ledgerSum());
    const entries = (await store.listLedger(accountId, { limit: 1000 })).items;
    expect(entries.every((e) => e.balanceAfter >= 0)).toBe(true);
    expect(new Set(entries.filter((e) => e.kind === 'refund').map((e) => e.requestId)).size).toBe(entries.filter((e) => e.kind === 'refund').length);
  });

  it('pages the ledger newest first', async () => {
    for (let i = 1; i <= 5; i++) await store.changeCredits(accountId, 'grant', i, `g${i}`, Date.now());
    const first = await store.listLedger(accountId, { limit: 2 });
    const second = await store.listLedger(accountId, { limit: 2, after: first.next! });
    const third = await store.listLedger(accountId, { limit: 2, after: second.next! });
    expect([...first.items, ...second.items, ...third.items].map((e) => e.reason)).toEqual(['g5', 'g4', 'g3', 'g2', 'g1']);
    expect(third.next).toBeNull();
  });

  it('counts rate-limit hits per bucket and window', async () => {
    expect(await store.countHit('submit:k', 0)).toBe(1);
    expect(await store.countHit('submit:k', 0)).toBe(2);
    expect(await store.countHit('submit:k', 60_000)).toBe(1);
    expect(await store.countHit('poll:k', 0)).toBe(1);
    await store.deleteRateWindowsBefore(60_000);
    expect(await store.countHit('submit:k', 0)).toBe(1);
  });

  it('lists an account’s requests with filters and pages', async () => {
    for (let i = 0; i < 5; i++) await store.enqueuePaid(request(0, `q${i}`), 100);
    await store.fail('q1', null, failure('engine_error'));
    const failed = await store.listRequests(accountId, { limit: 10, status: 'FAILED' });
    expect(failed.items.map((r) => r.id)).toEqual(['q1']);
    const page1 = await store.listRequests(accountId, { limit: 3 });
    const page2 = await store.listRequests(accountId, { limit: 3, after: page1.next! });
    expect([...page1.items, ...page2.items].map((r) => r.id)).toEqual(['q4', 'q3', 'q2', 'q1', 'q0']);
  });
});
