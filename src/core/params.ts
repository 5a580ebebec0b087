import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { FieldProblem } from '../errors.js';
import { ASPECT_RATIOS, DURATIONS, isDuration, MAX_PROMPT_CHARS, MAX_SEED } from '@reelay/sdk';
import type { VideoParams } from './types.js';

// One source of truth: the SDK's model definition, so a client's types and the server's checks agree.
export { ASPECT_RATIOS, DURATIONS, MAX_PROMPT_CHARS, MAX_SEED };

// Segmind clients (and every multipart form) send numbers as strings; an integer-valued string is accepted.
const integerLike = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

/**
 * The parameters of `veo-2-image2video` other than `image` (SPEC section 2). Unknown fields are
 * ignored, as Segmind does. The `image` field is checked separately because checking it means I/O.
 */
export const videoParamsSchema = z.object({
  prompt: z.string({ error: 'must be a string' }).max(MAX_PROMPT_CHARS, `must be at most ${MAX_PROMPT_CHARS} characters`).default(''),
  // .meta() says in JSON Schema (GET /v1/models) what a refinement checks in code.
  duration: integerLike
    .refine(isDuration, { error: `must be one of ${DURATIONS.join(', ')}` })
    .meta({ enum: [...DURATIONS], description: 'seconds of video' })
    .default(5),
  aspect_ratio: z.enum(ASPECT_RATIOS, { error: `must be ${ASPECT_RATIOS.map((a) => `"${a}"`).join(' or ')}` }).default('16:9'),
  seed: integerLike
    .refine((n) => Number.isInteger(n) && n >= 0 && n <= MAX_SEED, { error: `must be an integer from 0 to ${MAX_SEED}, or null` })
    .meta({ minimum: 0, maximum: MAX_SEED })
    .nullable()
    .meta({ description: 'null picks a random seed, reported back with the result' })
    .default(null),
});

const NULL_MEANS_DEFAULT = new Set(['prompt', 'duration', 'aspect_ratio']);

export type VideoParamsInput = z.input<typeof videoParamsSchema>;

/** Validates everything but the image; returns the params with a concrete seed, or every problem found. */
export function parseVideoParams(body: Record<string, unknown>): { params?: VideoParams; problems: FieldProblem[] } {
  // A null optional field means "the default", as seed already does: clients that serialise unset options as null still work.
  const present = Object.fromEntries(Object.entries(body).filter(([key, value]) => !(value === null && NULL_MEANS_DEFAULT.has(key))));
  const parsed = videoParamsSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: String(issue.path[0] ?? 'body'),
      message: friendlyMessage(issue),
    }));
    return { problems: dedupe(problems) };
  }
  const { prompt, duration, aspect_ratio, seed } = parsed.data;
  return { params: { prompt, duration, aspect_ratio, seed: seed ?? randomInt(0, MAX_SEED + 1) }, problems: [] };
}

function friendlyMessage(issue: z.core.$ZodIssue): string {
  const field = String(issue.path[0] ?? '');
  // A wrong type inside a union reports a generic "invalid input"; say what is allowed instead.
  if (issue.code === 'invalid_union' || issue.code === 'invalid_type') {
    if (field === 'duration') return 'must be one of 5, 6, 7, 8';
    if (field === 'seed') return `must be an integer from 0 to ${MAX_SEED}, or null`;
    if (field === 'prompt') return 'must be a string';
  }
  return issue.message;
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.field) ? false : (seen.add(p.field), true)));
}
