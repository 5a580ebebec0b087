import { z } from 'zod';
import type { JsonSchema } from '../core/params-schema.js';
import { WIRE_SCHEMAS, type WireName } from './openapi-wire.js';

// Pieces every part of the OpenAPI document uses.

/**
 * JSON Schema of a zod schema, for the document. Two things are left out that only make it hard
 * to read and that the zod schema still checks: the long regex zod adds beside `format:
 * date-time`, and ±2^53 bounds on every `z.int()`.
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const { $schema: _drop, ...generated } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return tidy(generated) as JsonSchema;
}

function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (node === null || typeof node !== 'object') return node;
  const nullable = nullableType(node as JsonSchema);
  if (nullable) return tidy(nullable);
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && 'format' in node) continue;
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
    out[key] = tidy(value);
  }
  return out;
}

/** `anyOf [{type: T, …}, {type: null}]` → `{type: [T, "null"], …}`: the same set, and a form or table can show its type. */
function nullableType(node: JsonSchema): JsonSchema | undefined {
  const branches = node.anyOf as JsonSchema[] | undefined;
  if (branches?.length !== 2) return undefined;
  const other = branches.find((b) => b.type !== 'null');
  if (!other || !branches.some((b) => b.type === 'null' && Object.keys(b).length === 1)) return undefined;
  // const and enum would have to list null too; leave those as anyOf.
  if (typeof other.type !== 'string' || 'const' in other || 'enum' in other) return undefined;
  const { anyOf: _drop, ...rest } = node;
  return { ...other, ...rest, type: [other.type, 'null'] };
}

/** The document's `components.schemas`: one entry per wire body, generated from its zod schema. */
export const componentSchemas = Object.fromEntries(Object.entries(WIRE_SCHEMAS).map(([name, schema]) => [name, jsonSchema(schema)])) as Record<
  WireName,
  JsonSchema
>;

/** The headers answers carry, described once and referred to by name. */
export const componentHeaders = {
  'X-Request-Id': {
    description: "The generation request's id on routes about one, else this call's id (quote it in a bug report)",
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
  'X-RateLimit-Limit': { description: "Calls allowed per minute on this route class for the key's account", schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Calls left in the current minute', schema: { type: 'integer', minimum: 0 } },
  'X-RateLimit-Reset': { description: 'Seconds until the minute window resets', schema: { type: 'integer', minimum: 0 } },
  'X-Remaining-Credits': { description: "The account's balance after this call (also on a 406)", schema: { type: 'integer' } },
  'X-Engine': { description: 'The engine that served (or serves) the request', schema: { type: 'string' } },
  'X-Seed': { description: 'The seed the video was made with', schema: { type: 'integer' } },
  'X-Seed-Honoured': { description: 'Only as `false`: the engine could not apply the seed (Veo via the Gemini API)', schema: { const: 'false' } },
} as const;

export type HeaderName = keyof typeof componentHeaders;
const headers = (names: readonly HeaderName[]) =>
  names.length === 0 ? {} : { headers: Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${n}` }])) };

/** The headers of a rate-limited route's answers. */
export const RATE_HEADERS: readonly HeaderName[] = ['X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

/** A JSON answer whose body is the wire schema `name` (the test harness checks it by that name). */
export const json = (name: WireName, description: string, names: readonly HeaderName[] = ['X-Request-Id']) => ({
  description,
  ...headers(names),
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});

/** An error answer in Segmind's shape (`{"error","code"}`), described. */
export const error = (description: string, names: readonly HeaderName[] = ['X-Request-Id']) => json('Error', description, names);

/** A 429: over the account's per-minute limit; Retry-After says when to come back. */
export const rateLimited = (render: (d: string, h: readonly HeaderName[]) => object = error) =>
  render('Rate limited; Retry-After is set', ['X-Request-Id', 'Retry-After', ...RATE_HEADERS.slice(1)]);

/** A non-JSON answer (a video, an image, a page): a media type and a description. */
export const media = (type: string, description: string, names: readonly HeaderName[] = ['X-Request-Id']) => ({
  description,
  ...headers(names),
  content: { [type]: { schema: { type: 'string', format: 'binary' } } },
});

/** A JSON request body generated from the zod schema the route validates it with. */
export const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: jsonSchema(schema, 'input') } } });

/** Query parameters generated from the zod schema the route validates its query with. */
export function query(schema: z.ZodObject) {
  const generated = jsonSchema(schema, 'input');
  const required = new Set((generated.required as string[] | undefined) ?? []);
  return Object.entries(generated.properties as Record<string, JsonSchema>).map(([name, s]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: s,
  }));
}

/** Reelay's keys: `x-api-key` (Segmind's header) or `Authorization: Bearer`. */
export const secured = [{ apiKey: [] }, { bearer: [] }];
