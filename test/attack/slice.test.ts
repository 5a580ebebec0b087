import { describe, expect, it } from 'vitest';
import { renderReport } from '../../attack/report.js';
import { runAttack } from '../../attack/suite.js';

/**
 * A small seeded slice of `npm run attack` (attack/): the auth matrix, every SSRF spelling, and
 * 150 fuzz requests over all routes, against an in-process server with its own data dir and
 * ephemeral ports. Left out: the kill -9 burst (a child process; the full run does it).
 */
describe('attack suite slice', () => {
  it('no 5xx, no non-JSON error, no SSRF hit, no cross-account leak', async () => {
    const { tally, mem, seconds } = await runAttack({
      seed: 16,
      fuzz: 150,
      burst: 0,
      mode: 'inproc',
      big: false,
      parallel: 6,
      lean: true,
    });
    const report = renderReport(tally, mem, seconds);
    expect(tally.tried.get('auth') ?? 0, report).toBeGreaterThan(100);
    expect(tally.tried.get('ssrf image') ?? 0, report).toBeGreaterThan(50);
    expect(tally.count('5xx'), report).toBe(0);
    expect(tally.count('non-JSON error'), report).toBe(0);
    expect(tally.count('no X-Request-Id'), report).toBe(0);
    expect(tally.count('control failed'), report).toBe(0);
    expect(tally.ssrfHits, report).toBe(0);
    expect(tally.leaks, report).toBe(0);
    expect(tally.count('auth mismatch'), report).toBe(0);
  });
});
