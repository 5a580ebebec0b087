import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BLOCK, RateLeases, SHARE } from '../../src/store/rate-leases.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, type OpenedStore } from './backends.js';

const WINDOW = 60_000;

describe.each(STORE_BACKENDS)('rate leases over %s', (_name, open) => {
  let opened: OpenedStore;
  let store: Store;

  beforeEach(async () => {
    opened = await open();
    store = opened.store;
  });
  afterEach(() => opened.dispose());

  /** The shared count as every process sees it (adding nothing). */
  const shared = (bucket: string, windowStart = 0): Promise<number> => store.countHit(bucket, windowStart, 0);

  it('each call gets its own place in the shared count; far from the limit one write serves a block of calls', async () => {
    const leases = new RateLeases(store);
    const counts = await Promise.all(Array.from({ length: 50 }, () => leases.hit('poll:k', 0, 1_000_000)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // The block is in the shared count before any of its hits is allowed.
    expect(await shared('poll:k')).toBe(MAX_BLOCK);
    for (let i = 51; i <= MAX_BLOCK; i++) expect(await leases.hit('poll:k', 0, 1_000_000)).toBe(i);
    expect(await shared('poll:k')).toBe(MAX_BLOCK);
    expect(await leases.hit('poll:k', 0, 1_000_000)).toBe(MAX_BLOCK + 1);
    expect(await shared('poll:k')).toBe(2 * MAX_BLOCK);
  });

  it('calls that arrive together while a write is due share it, even past the block size', async () => {
    const leases = new RateLeases(store);
    const counts = await Promise.all(Array.from({ length: 50 }, () => leases.hit('poll:k', 0, 40)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await shared('poll:k')).toBe(50);
  });

  it(`below 2 × SHARE (${2 * SHARE}) hits left, every hit is one shared write, exactly as without leases`, async () => {
    const a = new RateLeases(store);
    const b = new RateLeases(store);
    for (let i = 1; i <= 10; i++) {
      expect(await (i % 2 ? a : b).hit('submit:k', 0, 20)).toBe(i);
      expect(await shared('submit:k')).toBe(i);
    }
  });

  it('two processes together never allow more than the limit, however their calls interleave', async () => {
    const limit = 300;
    const processes = [new RateLeases(store), new RateLeases(store)];
    const counts = await Promise.all(
      Array.from({ length: 2 * limit }, async (_, i) => {
        if (i % 7 === 0) await new Promise((r) => setImmediate(r));
        return processes[i % 2]!.hit('poll:shared', 0, limit);
      }),
    );
    const allowed = counts.filter((n) => n <= limit).length;
    expect(allowed).toBeLessThanOrEqual(limit);
    // What blocks strand is small: the last blocks near the limit are a hit or two.
    expect(allowed).toBeGreaterThan(limit - 2 * (limit / SHARE));
    expect(new Set(counts).size).toBe(counts.length);
  });

  it('a new window starts from one, and counts windows apart', async () => {
    const leases = new RateLeases(store);
    for (let i = 0; i < 40; i++) await leases.hit('poll:w', 0, 1_000_000);
    expect(await leases.hit('poll:w', WINDOW, 1_000_000)).toBe(1);
    expect(await leases.hit('poll:other', WINDOW, 1_000_000)).toBe(1);
    expect(await leases.hit('poll:w', WINDOW, 1_000_000)).toBe(2);
  });

  it('a failed shared write fails the calls waiting on it, and the next call tries again', async () => {
    let failing = true;
    const flaky: Pick<Store, 'countHit'> = {
      countHit: (bucket, windowStart, amount) => (failing ? Promise.reject(new Error('store down')) : store.countHit(bucket, windowStart, amount)),
    };
    const leases = new RateLeases(flaky);
    await expect(Promise.all([leases.hit('poll:f', 0, 10), leases.hit('poll:f', 0, 10)])).rejects.toThrow('store down');
    failing = false;
    expect(await leases.hit('poll:f', 0, 10)).toBe(1);
  });
});
