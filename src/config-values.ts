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

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/**
 * An on/off setting. `z.coerce.boolean` would turn "0", "no", "off" and "false" into true (any
 * non-empty string is truthy), so a switch meant to be off turned on. This accepts true/false,
 * 1/0, yes/no, on/off (any case) and refuses everything else, so a typo stops the start.
 */
export const flag = z.union([z.boolean(), z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false (or 1/0, yes/no, on/off), not ${JSON.stringify(value)}` });
  return z.NEVER;
});
