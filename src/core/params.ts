import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { FieldProblem } from '../errors.js';
import { ASPECT_RATIOS, DURATIONS, MAX_PROMPT_CHARS, MAX_SEED, type AspectRatio, type Duration } from '@reelay/sdk';
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
 * What a model lets clients choose: a subset of docs/api.md §2's durations and aspect ratios, and the
 * defaults. `veo-2-image2video` (and every model without `parameters` in config) has docs/api.md §2's
 * exact profile; a self-hosted model may offer less (Wan 2.2 makes about 5 s per run).
 */
export interface ParamProfile {
  durations: readonly Duration[];
  defaultDuration: Duration;
  aspectRatios: readonly AspectRatio[];
  defaultAspectRatio: AspectRatio;
}

export const SPEC_PROFILE: ParamProfile = { durations: DURATIONS, defaultDuration: 5, aspectRatios: ASPECT_RATIOS, defaultAspectRatio: '16:9' };

/** A model's profile from its config (`models.<slug>.parameters`), docs/api.md §2's where unset. */
export function profileOf(parameters: Partial<ParamProfile> | undefined): ParamProfile {
  const durations = parameters?.durations ?? SPEC_PROFILE.durations;
  const aspectRatios = parameters?.aspectRatios ?? SPEC_PROFILE.aspectRatios;
  return {
    durations,
    aspectRatios,
    defaultDuration: parameters?.defaultDuration ?? (durations.includes(5) ? 5 : durations[0]!),
    defaultAspectRatio: parameters?.defaultAspectRatio ?? aspectRatios[0]!,
  };
}

const durationRule = (p: ParamProfile): string => `must be one of ${p.durations.join(', ')}`;

/**
 * The parameters of a model other than `image` (docs/api.md §2, narrowed by the model's profile).
 * Unknown fields are ignored, as Segmind does. The `image` field is checked separately because
 * checking it means I/O.
 */
export function videoParamsSchema(profile: ParamProfile = SPEC_PROFILE): VideoParamsSchema {
  // Built once per distinct profile: building it took ~6% of a submit's main-thread time.
  const key = `${profile.durations.join(',')}|${profile.defaultDuration}|${profile.aspectRatios.join(',')}|${profile.defaultAspectRatio}`;
  let schema = schemas.get(key);
  if (!schema) schemas.set(key, (schema = buildParamsSchema(profile)));
  return schema;
}

type VideoParamsSchema = ReturnType<typeof buildParamsSchema>;
const schemas = new Map<string, VideoParamsSchema>();

function buildParamsSchema(profile: ParamProfile) {
  return z.object({
    prompt: z.string({ error: 'must be a string' }).max(MAX_PROMPT_CHARS, `must be at most ${MAX_PROMPT_CHARS} characters`).default(''),
    duration: integerLike
      .refine((n): n is Duration => (profile.durations as readonly number[]).includes(n), { error: durationRule(profile) })
      // .meta() says in JSON Schema (GET /v1/models) what a refinement checks in code.
      .meta({ enum: [...profile.durations], description: 'seconds of video' })
      .default(profile.defaultDuration),
    aspect_ratio: z
      .enum(profile.aspectRatios as [AspectRatio, ...AspectRatio[]], { error: `must be ${profile.aspectRatios.map((a) => `"${a}"`).join(' or ')}` })
      .default(profile.defaultAspectRatio),
    seed: integerLike
      .refine((n) => Number.isInteger(n) && n >= 0 && n <= MAX_SEED, { error: `must be an integer from 0 to ${MAX_SEED}, or null` })
      .meta({ minimum: 0, maximum: MAX_SEED })
      .nullable()
      .meta({ description: 'null picks a random seed, reported back with the result' })
      .default(null),
  });
}

const NULL_MEANS_DEFAULT = new Set(['prompt', 'duration', 'aspect_ratio']);

export type VideoParamsInput = z.input<VideoParamsSchema>;

/** Validates everything but the image; returns the params with a concrete seed, or every problem found. */
export function parseVideoParams(body: Record<string, unknown>, profile: ParamProfile = SPEC_PROFILE): { params?: VideoParams; problems: FieldProblem[] } {
  // A null optional field means "the default", as seed already does: clients that serialise unset options as null still work.
  const present = Object.fromEntries(Object.entries(body).filter(([key, value]) => !(value === null && NULL_MEANS_DEFAULT.has(key))));
  const parsed = videoParamsSchema(profile).safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: String(issue.path[0] ?? 'body'),
      message: friendlyMessage(issue, profile),
    }));
    return { problems: dedupe(problems) };
  }
  const { prompt, duration, aspect_ratio, seed } = parsed.data;
  return { params: { prompt, duration: duration as Duration, aspect_ratio, seed: seed ?? randomInt(0, MAX_SEED + 1) }, problems: [] };
}

function friendlyMessage(issue: z.core.$ZodIssue, profile: ParamProfile): string {
  const field = String(issue.path[0] ?? '');
  // A wrong type inside a union reports a generic "invalid input"; say what is allowed instead.
  if (issue.code === 'invalid_union' || issue.code === 'invalid_type') {
    if (field === 'duration') return durationRule(profile);
    if (field === 'seed') return `must be an integer from 0 to ${MAX_SEED}, or null`;
    if (field === 'prompt') return 'must be a string';
  }
  return issue.message;
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.field) ? false : (seen.add(p.field), true)));
}
