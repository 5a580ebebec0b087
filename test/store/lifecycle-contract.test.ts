import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/core/api-keys.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, type OpenedStore } from './backends.js';
import { newRequest } from './fixtures.js';

describe.each(STORE_BACKENDS)('lifecycle contract: %s', (_name, open) => {
  let opened: OpenedStore;
  let store: Store;
  let accountId: string;

  beforeEach(async () => {
    opened = await open();
    store = opened.store;
    accountId = (await createAccount(store, 'acme', false)).id;
  });
  afterEach(async () => opened.dispose());

  const done = (now: number) => ({
    seedHonoured: true,
    outputKey: 'outputs/x.mp4',
    outputUrl: 'http://reelay.test/v2/files/t/x.mp4',
    outputBytes: 10,
    inferenceSeconds: 1.5,
    completedAt: now,
    expiresAt: now + 60_000,
  });

  it('idempotency: the same key and fingerprint returns the first request; another fingerprint conflicts', async () => {
    const first = newRequest(accountId, { idempotencyKey: 'k1', requestHash: 'h1' });
    expect((await store.enqueuePaid(first, 10)).kind).toBe('accepted');
    const again = await store.enqueuePaid(newRequest(accountId, { idempotencyKey: 'k1', requestHash: 'h1' }), 10);
    expect(again).toMatchObject({ kind: 'duplicate', request: { id: first.id } });
    const other = await store.enqueuePaid(newRequest(accountId, { idempotencyKey: 'k1', requestHash: 'h2' }), 10);
    expect(other).toMatchObject({ kind: 'idempotency_conflict', request: { id: first.id } });
    // Keys are per account.
    const otherAccount = (await createAccount(store, 'other', false)).id;
    expect((await store.enqueuePaid(newRequest(otherAccount, { idempotencyKey: 'k1', requestHash: 'h9' }), 10)).kind).toBe('accepted');
  });

  it('idempotency holds under a race: parallel submits with one key make one request', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.enqueuePaid(newRequest(accountId, { idempotencyKey: 'race', requestHash: 'h' }), 100)),
    );
    expect(results.filter((r) => r.kind === 'accepted')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'duplicate')).toHaveLength(9);
  });

  it('every visible change bumps the version; a heartbeat without progress does not', async () => {
    const r = newRequest(accountId);
    await store.enqueuePaid(r, 10);
    const v = async (): Promise<number> => (await store.getRequest(r.id))!.version;
    const v0 = await v();
    await store.claimNext('w', 1000, 10_000, 3);
    const v1 = await v();
    await store.heartbeat(r.id, 'w', 1001, 10_000, 0);
    expect(await v()).toBe(v1);
    await store.heartbeat(r.id, 'w', 1002, 10_000, 40);
    const v2 = await v();
    await store.complete(r.id, 'w', done(2000));
    expect([v1 > v0, v2 > v1, (await v()) > v2]).toEqual([true, true, true]);
  });

  it('writes the webhook outbox row in the completing transaction, with the result body', async () => {
    const r = newRequest(accountId, { webhookUrl: 'https://hooks.example.com/x' });
    await store.enqueuePaid(r, 10);
    await store.claimNext('w', 1000, 10_000, 3);
    expect(await store.listDeliveries(r.id)).toEqual([]);
    await store.complete(r.id, 'w', done(2000));
    const [delivery] = await store.listDeliveries(r.id);
    expect(delivery).toMatchObject({ url: 'https://hooks.example.com/x', status: 'pending', attempts: 0 });
    expect(JSON.parse(delivery!.payload)).toMatchObject({ request_id: r.id, status: 'COMPLETED', output: 'http://reelay.test/v2/files/t/x.mp4' });
  });

  it('writes the outbox row when a request fails, and not when it has no webhook', async () => {
    const hooked = newRequest(accountId, { webhookUrl: 'https://hooks.example.com/y' });
    const plain = newRequest(accountId);
    await store.enqueuePaid(hooked, 10);
    await store.enqueuePaid(plain, 10);
    const failure = { code: 'canceled' as const, error: 'canceled by user', inferenceSeconds: null, completedAt: 5, expiresAt: 10 };
    await store.fail(hooked.id, null, failure);
    await store.fail(plain.id, null, failure);
    const [delivery] = await store.listDeliveries(hooked.id);
    expect(JSON.parse(delivery!.payload)).toMatchObject({ status: 'FAILED', code: 'canceled', error: 'canceled by user' });
    expect(await store.listDeliveries(plain.id)).toEqual([]);
  });

  it('leases due deliveries to one claimer at a time, and records attempts', async () => {
    const r = newRequest(accountId, { webhookUrl: 'https://hooks.example.com/z' });
    await store.enqueuePaid(r, 10);
    await store.fail(r.id, null, { code: 'engine_error', error: 'x', inferenceSeconds: null, completedAt: 100, expiresAt: 1000 });
    const [a, b] = await Promise.all([store.claimDueDeliveries(200, 1000, 10), store.claimDueDeliveries(200, 1000, 10)]);
    expect(a.length + b.length).toBe(1);
    const id = (a[0] ?? b[0])!.id;
    expect(await store.claimDueDeliveries(500, 1000, 10)).toEqual([]); // still leased
    await store.recordDeliveryAttempt(id, { ok: false, status: 500, error: 'HTTP 500', at: 600, nextAttemptAt: 5000 });
    expect(await store.claimDueDeliveries(4999, 1000, 10)).toEqual([]); // not due yet
    const [retry] = await store.claimDueDeliveries(5000, 1000, 10);
    expect(retry).toMatchObject({ attempts: 1, lastStatus: 500, lastError: 'HTTP 500' });
    await store.recordDeliveryAttempt(id, { ok: true, status: 204, error: null, at: 5100, nextAttemptAt: null });
    expect((await store.listDeliveries(r.id))[0]).toMatchObject({ status: 'delivered', attempts: 2, deliveredAt: 5100 });
    expect(await store.claimDueDeliveries(1e12, 1000, 10)).toEqual([]);
  });

  it('a delivery past its retry window is marked failed', async () => {
    const r = newRequest(accountId, { webhookUrl: 'https://hooks.example.com/w' });
    await store.enqueuePaid(r, 10);
    await store.fail(r.id, null, { code: 'engine_error', error: 'x', inferenceSeconds: null, completedAt: 100, expiresAt: 1000 });
    const [d] = await store.claimDueDeliveries(200, 1000, 10);
    await store.recordDeliveryAttempt(d!.id, { ok: false, status: null, error: 'refused', at: 300, nextAttemptAt: null });
    expect((await store.listDeliveries(r.id))[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('webhook secrets are created once and can be replaced', async () => {
    const first = await store.webhookSecret(accountId, () => 'whsec_one');
    const second = await store.webhookSecret(accountId, () => 'whsec_two');
    expect([first, second]).toEqual(['whsec_one', 'whsec_one']);
    await store.setWebhookSecret(accountId, 'whsec_three');
    expect(await store.webhookSecret(accountId, () => 'x')).toBe('whsec_three');
  });

  it('fails requests queued past the queue timeout, refunding them', async () => {
    await store.changeCredits(accountId, 'grant', 50, '', 0);
    const old = newRequest(accountId, { createdAt: 1000, price: 50 });
    await store.enqueuePaid(old, 10);
    expect(await store.failStaleQueued(999, 5000, 100)).toEqual([]);
    expect(await store.failStaleQueued(1001, 5000, 100)).toEqual([old.id]);
    expect(await store.getRequest(old.id)).toMatchObject({ status: 'FAILED', failureCode: 'timeout' });
    expect((await store.getAccount(accountId))!.balance).toBe(50);
  });

  it('claims only requests of the engines asked for', async () => {
    await store.enqueuePaid(newRequest(accountId, { engine: 'veo' }), 10);
    const motion = newRequest(accountId, { engine: 'motion' });
    await store.enqueuePaid(motion, 10);
    expect(await store.claimNext('w', 0, 10_000, 3, [])).toBeUndefined();
    expect((await store.claimNext('w', 0, 10_000, 3, ['motion']))?.id).toBe(motion.id);
    expect(await store.claimNext('w', 0, 10_000, 3, ['motion'])).toBeUndefined();
  });

  it('records whether the seed was honoured', async () => {
    const r = newRequest(accountId);
    await store.enqueuePaid(r, 10);
    expect((await store.getRequest(r.id))?.seedHonoured).toBeNull();
    await store.claimNext('w', 0, 10_000, 3);
    await store.complete(r.id, 'w', { ...done(1), seedHonoured: false });
    expect((await store.getRequest(r.id))?.seedHonoured).toBe(false);
  });

  it('reports typical run time and processing count for the ETA', async () => {
    expect(await store.averageRunSeconds('veo-2-image2video', 'motion')).toBeUndefined();
    for (const seconds of [2, 4]) {
      const r = newRequest(accountId);
      await store.enqueuePaid(r, 10);
      await store.claimNext('w', 0, 10_000, 3);
      await store.complete(r.id, 'w', { ...done(1), inferenceSeconds: seconds });
    }
    expect(await store.averageRunSeconds('veo-2-image2video', 'motion')).toBeCloseTo(3);
    await store.enqueuePaid(newRequest(accountId), 10);
    await store.claimNext('w', 0, 10_000, 3);
    expect(await store.processingCount()).toBe(1);
  });
});
