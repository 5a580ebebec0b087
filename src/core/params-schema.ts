import { z } from 'zod';

/** A JSON Schema node, as far as this module reads or writes it. */
export type JsonSchema = { [key: string]: unknown };

/** The image field: checked apart from the zod schema (it means I/O), so described here. */
const IMAGE_FIELD: JsonSchema = {
  type: 'string',
  description: 'http(s) URL, data:image/...;base64, URI, or bare base64 of a JPEG, PNG or WebP image (at most 20 MB, 40 megapixels)',
  contentMediaType: 'image/*',
};

/**
 * The JSON Schema of a model's parameters, generated from the zod schema the server validates
 * with, so a form built from it offers exactly what the server accepts. Two things zod cannot
 * say in JSON Schema are added: defaults of fields whose input type differs from their output
 * (taken from parsing an empty body), and "an integer, also accepted as a digit string", which
 * becomes plain `integer` because that is what a client should send.
 */
export function parametersJsonSchema(schema: z.ZodObject): JsonSchema {
  const generated = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const defaults = (schema.safeParse({}).data ?? {}) as Record<string, unknown>;
  const properties: Record<string, JsonSchema> = { image: IMAGE_FIELD };
  for (const [name, node] of Object.entries((generated.properties ?? {}) as Record<string, JsonSchema>)) {
    const field = simplify(node);
    if (name in defaults) field.default = defaults[name];
    properties[name] = field;
  }
  return { $schema: generated.$schema, type: 'object', properties, required: ['image'] };
}

function isIntegerString(node: unknown): boolean {
  const n = node as JsonSchema;
  return n.type === 'string' && n.pattern === '^-?\\d+$';
}

/** `anyOf [number, digit-string]` → `integer`; nested anyOf with null → `type: [..., "null"]`. */
function simplify(node: JsonSchema): JsonSchema {
  const anyOf = node.anyOf as JsonSchema[] | undefined;
  if (!anyOf) return { ...node };
  const { anyOf: _drop, ...rest } = node;
  const branches = anyOf.map(simplify);
  const number = branches.find((b) => b.type === 'number' || b.type === 'integer');
  if (branches.length === 2 && number && branches.some(isIntegerString)) return { ...rest, ...number, type: 'integer' };
  const nullable = branches.some((b) => b.type === 'null');
  const other = branches.filter((b) => b.type !== 'null');
  if (nullable && other.length === 1 && typeof other[0]?.type === 'string') return { ...other[0], ...rest, type: [other[0].type, 'null'] };
  return { ...rest, anyOf: branches };
}
