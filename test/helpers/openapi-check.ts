import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import { WIRE_SCHEMAS, type WireName } from '../../src/api/openapi-wire.js';

/**
 * Checks an answer the API tests received against the OpenAPI document: the operation must list
 * the status, and a JSON body must match the wire schema (src/api/openapi-wire.ts) that the
 * document's response names, which is the zod schema its JSON Schema was generated from.
 */
interface Content {
  schema?: { $ref?: string };
}
interface Operation {
  responses: Record<string, { content?: Record<string, Content> }>;
}
interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  literals: number;
  op: Operation;
}

const ROUTES: Route[] = Object.entries(openApiDocument.paths)
  .flatMap(([template, ops]) =>
    Object.entries(ops as Record<string, Operation>).map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      // The Gemini door's `{file}` is the router's `:file{.+}` (a download id may follow a URL); other parameters are one segment.
      pattern: new RegExp(`^${template.replace('{file}', '.+').replace(/\{\w+\}/g, '[^/]+')}$`),
      literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
      op,
    })),
  )
  // A literal segment wins over a parameter (`/v1/models` before `/v1/{model}`), as in the router.
  .sort((a, b) => b.literals - a.literals);

/** One answer checked: `mismatch` says how it differs from the document; `skipped` why it was not checked. */
export interface Checked {
  method: string;
  path: string;
  template?: string;
  status: number;
  schema?: string;
  mismatch?: string;
  skipped?: string;
}

const baseType = (type: string): string => type.split(';')[0]!.trim().toLowerCase();

export function checkAnswer(method: string, path: string, status: number, contentType: string, text: string): Checked {
  const seen: Checked = { method, path, status };
  const route = ROUTES.find((r) => r.method === method && r.pattern.test(path));
  if (!route) return { ...seen, skipped: 'no documented operation' };
  seen.template = route.template;
  const documented = route.op.responses[String(status)];
  if (!documented) return { ...seen, mismatch: `status ${status} is not documented for ${method} ${route.template}` };
  const isJson = /^application\/json\b/i.test(contentType);
  const json = documented.content?.['application/json'];
  if (!isJson) {
    if (json) return { ...seen, mismatch: `documented as JSON, answered ${contentType || 'no content type'}` };
    const types = Object.keys(documented.content ?? {}).map(baseType);
    if (types.length > 0 && !types.includes(baseType(contentType)))
      return { ...seen, mismatch: `answered ${contentType || 'no content type'}, documented as ${types.join(', ')}` };
    return { ...seen, skipped: 'not JSON' };
  }
  if (!json) return { ...seen, mismatch: `answered JSON, documented as ${Object.keys(documented.content ?? {}).join(', ') || 'no content'}` };
  const name = json.schema?.$ref?.replace('#/components/schemas/', '') as WireName | undefined;
  if (!name || !(name in WIRE_SCHEMAS)) return { ...seen, skipped: 'JSON without a wire schema' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ...seen, schema: name, mismatch: 'body is not JSON' };
  }
  const parsed = WIRE_SCHEMAS[name].safeParse(body);
  if (parsed.success) return { ...seen, schema: name };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  return { ...seen, schema: name, mismatch: `${name}: ${issues}; body ${text.slice(0, 300)}` };
}

const origins = new Map<string, Checked[]>();
const pending = new Set<Promise<void>>();

/**
 * Wraps the global fetch once, so every answer a test gets from a test server (through `call`,
 * plain `fetch`, Reelay's SDK, OpenAI's or Google's) is checked, whoever made the call.
 * `REELAY_OPENAPI_LOG=<file>` appends one JSON line per answer, to count them.
 */
function install(): void {
  const original = globalThis.fetch;
  if ((original as { reelayChecked?: boolean }).reelayChecked) return;
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const res = await original(input, init);
    // Not `new Request(input, init)`: that would touch a streamed body the call has already sent.
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const log = origins.get(url.origin);
    if (!log || method === 'HEAD' || res.status === 101) return res;
    const contentType = res.headers.get('content-type') ?? '';
    const isJson = /^application\/json\b/i.test(contentType);
    // Only a JSON body is read (from a copy): a video or an event stream stays the test's alone.
    // A body the test cancelled (it hung up mid-answer) cannot be checked; that is not a mismatch.
    const work = (isJson ? res.clone().text() : Promise.resolve(''))
      .catch(() => null)
      .then((text) => {
        if (text === null) return;
        const checked = checkAnswer(method, url.pathname, res.status, contentType, text);
        log.push(checked);
        if (process.env.REELAY_OPENAPI_LOG)
          appendFileSync(process.env.REELAY_OPENAPI_LOG, `${JSON.stringify({ ...checked, file: expect.getState().testPath ?? '' })}\n`);
      });
    pending.add(work);
    void work.finally(() => pending.delete(work));
    return res;
  };
  globalThis.fetch = Object.assign(wrapped, { reelayChecked: true }) as typeof fetch;
}

/** Starts checking answers from `origin` (a test server's URL). */
export function watchAnswers(origin: string): void {
  install();
  origins.set(new URL(origin).origin, []);
}

/** Stops checking `origin`; says how answers from it differed from the document, if any did. */
export async function answersChecked(origin: string): Promise<string | undefined> {
  await Promise.all([...pending]);
  const key = new URL(origin).origin;
  const log = origins.get(key) ?? [];
  origins.delete(key);
  const mismatches = log.filter((c) => c.mismatch);
  if (mismatches.length === 0) return undefined;
  return `${mismatches.length} answer(s) differ from the OpenAPI document:\n${mismatches.map((m) => `  ${m.method} ${m.path} → ${m.status}: ${m.mismatch}`).join('\n')}`;
}
