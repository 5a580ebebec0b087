import type { z } from 'zod';
import { invalidRequest } from '../errors.js';

/** Parses input at the edge; every problem becomes a `details` entry of one invalid_request error. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const seen = new Set<string>();
  const details = parsed.error.issues
    .map((issue) => ({ field: issue.path.length > 0 ? issue.path.join('.') : 'body', message: issue.message }))
    .filter((d) => (seen.has(d.field) ? false : (seen.add(d.field), true)));
  throw invalidRequest(details);
}
