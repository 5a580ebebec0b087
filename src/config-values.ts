import { z } from 'zod';

/**
 * Value schemas shared by the config file's sections, in a module of their own so engine
 * definitions (which declare their own config sections) can use them without importing config.ts.
 */

/** A duration in milliseconds; strings like "600s", "1.5m", "1h" or "250ms" are accepted. */
export const duration = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)?$/)]).transform(toMs);

/** "600s" → 600000; a number is already milliseconds. */
export function toMs(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value);
  const amount = Number(match?.[1]);
  const unit = match?.[2] ?? 'ms';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit] ?? 1;
  return Math.round(amount * factor);
}
