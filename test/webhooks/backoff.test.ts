import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, DEFAULT_RETRY_FOR_MS, delayCeilingMs, nextAttemptDelayMs, shouldGiveUp } from '../../src/webhooks/backoff.js';

const HOUR = 60 * 60 * 1000;
const fixed = (r: number) => (): number => r;
// Largest value Math.random can return.
const almostOne = 1 - Number.EPSILON;

/** Attempt times (ms after the first) for a receiver that never succeeds. */
function simulate(random: () => number, retryForMs = DEFAULT_RETRY_FOR_MS): number[] {
  const times = [0];
  for (let attempt = 1; ; attempt++) {
    const next = (times[times.length - 1] ?? 0) + nextAttemptDelayMs(attempt, random);
    if (shouldGiveUp(0, next, retryForMs)) return times;
    times.push(next);
  }
}

describe('webhook backoff', () => {
  it('starts at about 5 s and doubles', () => {
    expect([1, 2, 3, 4].map(delayCeilingMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(nextAttemptDelayMs(1, fixed(0.5))).toBe(3_750);
  });

  it('has non-decreasing expected delays, capped at 1 h', () => {
    let previous = 0;
    for (let attempt = 1; attempt <= 2000; attempt++) {
      const expected = nextAttemptDelayMs(attempt, fixed(0.5));
      expect(expected).toBeGreaterThanOrEqual(previous);
      expect(nextAttemptDelayMs(attempt, fixed(almostOne))).toBeLessThanOrEqual(BACKOFF_CAP_MS);
      previous = expected;
    }
    expect(delayCeilingMs(12)).toBe(BACKOFF_CAP_MS);
    expect(delayCeilingMs(5000)).toBe(BACKOFF_CAP_MS);
  });

  it('keeps jitter within [ceiling/2, ceiling)', () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const ceiling = delayCeilingMs(attempt);
      expect(nextAttemptDelayMs(attempt, fixed(0))).toBe(ceiling / 2);
      expect(nextAttemptDelayMs(attempt, fixed(almostOne))).toBeLessThan(ceiling);
      for (let i = 0; i < 50; i++) {
        const delay = nextAttemptDelayMs(attempt);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThan(ceiling);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('keeps retrying until close to the end of a 24 h window', () => {
    // Slowest (always the ceiling), average and fastest jitter, plus real randomness.
    for (const random of [fixed(almostOne), fixed(0.5), fixed(0), Math.random]) {
      const times = simulate(random);
      const last = times[times.length - 1] ?? 0;
      expect(times.length).toBeGreaterThanOrEqual(30);
      expect(times.length).toBeLessThanOrEqual(60);
      expect(last).toBeGreaterThan(DEFAULT_RETRY_FOR_MS - HOUR);
      expect(last).toBeLessThan(DEFAULT_RETRY_FOR_MS);
    }
    expect(simulate(fixed(almostOne))).toHaveLength(33);
    expect(simulate(fixed(0))).toHaveLength(57);
  });

  it('gives up once the window since the first attempt has passed', () => {
    expect(shouldGiveUp(1_000, 1_000 + DEFAULT_RETRY_FOR_MS - 1, DEFAULT_RETRY_FOR_MS)).toBe(false);
    expect(shouldGiveUp(1_000, 1_000 + DEFAULT_RETRY_FOR_MS, DEFAULT_RETRY_FOR_MS)).toBe(true);
    expect(shouldGiveUp(0, 2 * HOUR, HOUR)).toBe(true);
    expect(simulate(fixed(0.5), HOUR).at(-1)).toBeLessThan(HOUR);
  });

  it('rejects attempt numbers that are not positive integers', () => {
    expect(() => nextAttemptDelayMs(0)).toThrow(RangeError);
    expect(() => nextAttemptDelayMs(1.5)).toThrow(RangeError);
  });
});
