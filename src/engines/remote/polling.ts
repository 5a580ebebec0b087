import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waiting on a remote long-running operation: a gentle backoff between polls and a progress
 * estimate from elapsed time (Google reports no progress for Veo operations).
 */

export interface PollSchedule {
  /** Delay before the first poll and between early polls. */
  initialMs: number;
  /** Delays grow by `factor` up to this. */
  maxMs: number;
  factor: number;
}

export const DEFAULT_POLL: PollSchedule = { initialMs: 2_000, maxMs: 10_000, factor: 1.5 };

/** The nth delay (n from 0) of the schedule. */
export function pollDelay(n: number, s: PollSchedule): number {
  return Math.min(s.maxMs, Math.round(s.initialMs * s.factor ** n));
}

/**
 * Calls `check` on the schedule until it returns a value (done). Each wait is abortable, so a
 * cancel stops polling at once instead of after the current interval.
 */
export async function pollUntil<T>(check: () => Promise<T | null>, opts: { signal: AbortSignal; schedule: PollSchedule; onTick?: () => void }): Promise<T> {
  for (let n = 0; ; n++) {
    await sleep(pollDelay(n, opts.schedule), undefined, { signal: opts.signal }).catch(() => {
      throw opts.signal.reason;
    });
    opts.onTick?.();
    const result = await check();
    if (result !== null) return result;
  }
}

/**
 * Progress from elapsed time against the model's typical duration: linear to 90 % at the typical
 * time, then creeping towards (never reaching) 99 %, so a slow job still shows movement and the
 * bar only hits 100 when the video is really there. Never goes backwards.
 */
export function createProgressClock(report: (p: number) => void, typicalMs: number, now: () => number = Date.now) {
  const start = now();
  let last = 0;
  return {
    tick(): void {
      const t = now() - start;
      const p = t <= typicalMs ? (90 * t) / typicalMs : 90 + 9 * (1 - Math.exp(-(t - typicalMs) / typicalMs));
      const rounded = Math.min(99, Math.floor(p * 10) / 10);
      if (rounded > last) {
        last = rounded;
        report(rounded);
      }
    },
  };
}
