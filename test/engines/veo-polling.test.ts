import { describe, expect, it } from 'vitest';
import { createProgressClock, pollDelay, DEFAULT_POLL } from '../../src/engines/remote/polling.js';
import { backoff, DEFAULT_RETRY, parseErrorBody, transientKind, UpstreamHttpError } from '../../src/engines/remote/upstream.js';

describe('veo polling, progress and retry policy', () => {
  it('progress follows elapsed time, never goes backwards and stays below 100', () => {
    let now = 0;
    const seen: number[] = [];
    const clock = createProgressClock(
      (p) => seen.push(p),
      40_000,
      () => now,
    );
    for (const t of [0, 10_000, 20_000, 20_000, 40_000, 80_000, 400_000, 4_000_000]) {
      now = t;
      clock.tick();
    }
    expect(seen[0]).toBe(22.5);
    expect(seen).toContain(90);
    expect(seen.every((p, i) => p < 100 && (i === 0 || p > seen[i - 1]!))).toBe(true);
    expect(seen.at(-1)).toBe(99);
  });

  it('polls every 2 s at first, growing gently to 10 s', () => {
    const delays = Array.from({ length: 8 }, (_, n) => pollDelay(n, DEFAULT_POLL));
    expect(delays[0]).toBe(2_000);
    expect(delays.at(-1)).toBe(10_000);
    expect(delays.every((d, i) => i === 0 || d >= delays[i - 1]!)).toBe(true);
  });

  it('backoff doubles with jitter inside [cap/2, cap]', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const cap = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.initialDelayMs * 2 ** (attempt - 1));
      const d = backoff(attempt, DEFAULT_RETRY);
      expect(d).toBeGreaterThanOrEqual(cap / 2);
      expect(d).toBeLessThanOrEqual(cap);
    }
  });

  it('classifies Google error bodies: RESOURCE_EXHAUSTED is throttling whatever the HTTP code', () => {
    const e = parseErrorBody(429, '{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}');
    expect(e.message).toBe('Resource has been exhausted (e.g. check quota).');
    expect(transientKind(e)).toBe('rate');
    expect(transientKind(new UpstreamHttpError(400, 'quota', 'RESOURCE_EXHAUSTED'))).toBe('rate');
    expect(transientKind(new UpstreamHttpError(503, 'x'))).toBe('unavailable');
    expect(transientKind(new UpstreamHttpError(400, 'x'))).toBeNull();
    expect(transientKind(new TypeError('fetch failed'))).toBe('unavailable');
    expect(parseErrorBody(406, '{"error":"Insufficient credits"}').message).toBe('Insufficient credits');
  });
});
