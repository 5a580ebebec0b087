/**
 * Retry schedule for webhook deliveries: exponential backoff with "equal" jitter.
 *
 * The ceiling for the wait after attempt n is 5 s · 2^(n-1), capped at 1 h: 5 s, 10 s, 20 s,
 * 40 s, 80 s, 160 s, 320 s, ~11 min, ~21 min, ~43 min, then 1 h for every later wait. The
 * actual wait is uniform in [ceiling/2, ceiling): half is kept so retries never bunch up
 * (full jitter could fire twice in a row at once), half is random so many deliveries that
 * failed together (a receiver outage) don't all retry in the same second.
 *
 * The uncapped part adds up to ~1.4 h at most, so the schedule is mostly hourly-ish (30–60 min)
 * waits: over the default 24 h window a receiver that stays down sees 33 to 57 attempts (about
 * 41 on average), the last one within an hour of the window's end, and a receiver that comes back after
 * hours of downtime is retried within the hour.
 */

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_FACTOR = 2;
export const BACKOFF_CAP_MS = 60 * 60 * 1000;
/** Default give-up window, measured from the first attempt. */
export const DEFAULT_RETRY_FOR_MS = 24 * 60 * 60 * 1000;

/** The jitter-free ceiling of the wait after attempt `attempt` (1 = the first attempt). */
export function delayCeilingMs(attempt: number): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, got ${attempt}`);
  // 2 ** big is Infinity, never NaN, so the cap still applies for absurd attempt counts.
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * BACKOFF_FACTOR ** (attempt - 1));
}

/**
 * How long to wait, in whole ms, before the attempt after attempt number `attempt` (1-based)
 * failed. `random` must return values in [0, 1), like Math.random; it is clamped to be safe.
 */
export function nextAttemptDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = delayCeilingMs(attempt);
  const half = ceiling / 2;
  const r = Math.min(Math.max(random(), 0), 1);
  // Floor the random part alone: rounding the sum could land exactly on the ceiling.
  return half + Math.min(half - 1, Math.floor(r * half));
}

/**
 * True when a delivery first tried at `firstAttemptAt` must not be tried at `now` (all epoch
 * ms). Ask it with the planned time of the next attempt (failure time + nextAttemptDelayMs):
 * then no attempt ever runs after the window, which is what "retried for 24 h" promises.
 */
export function shouldGiveUp(firstAttemptAt: number, now: number, retryForMs: number): boolean {
  return now - firstAttemptAt >= retryForMs;
}
