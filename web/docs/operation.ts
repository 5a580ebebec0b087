import { field, h, replace } from '../lib/dom.js';
import { dataTable } from '../lib/table.js';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Record<string, unknown>;
}
export interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  responses?: Record<string, { description?: string }>;
  security?: unknown[];
}
export interface Document {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', Operation>>>;
  components?: { schemas?: Record<string, Record<string, unknown>> };
}

/** Follows a local `$ref` (`#/components/schemas/X`) one level, for display. */
function resolve(doc: Document, schema: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const ref = schema?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return doc.components?.schemas?.[ref.slice('#/components/schemas/'.length)];
  return schema;
}

/** An example body from a schema's defaults (and a placeholder for required strings), to start "Try it" from. */
function exampleBody(schema: Record<string, unknown> | undefined): string {
  const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = (schema?.required ?? []) as string[];
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(props)) {
    if ('default' in p) out[name] = p.default;
    else if (required.includes(name)) out[name] = p.type === 'string' ? `<${name}>` : null;
  }
  return JSON.stringify(out, null, 2);
}

/** An object schema as a table of its fields: type, required, default and rules. */
function schemaTable(schema: Record<string, unknown>): HTMLElement {
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = (schema.required ?? []) as string[];
  const rules = (p: Record<string, unknown>): string =>
    [
      Array.isArray(p.enum) ? `one of ${p.enum.join(', ')}` : '',
      p.minimum !== undefined ? `${String(p.minimum)} to ${String(p.maximum)}` : '',
      p.maxLength !== undefined ? `at most ${String(p.maxLength)} characters` : '',
      typeof p.description === 'string' ? p.description : '',
    ]
      .filter(Boolean)
      .join('; ');
  const rows = Object.entries(props).map(([name, p]) => [
    h('code', null, name),
    Array.isArray(p.type) ? p.type.join(' or ') : String(p.type ?? ''),
    required.includes(name) ? 'required' : 'default' in p ? JSON.stringify(p.default) : 'optional',
    rules(p),
  ]);
  return dataTable('Body fields', ['Field', 'Type', 'Default', 'Rules'], rows, 'No fields.');
}

/** One operation: what it takes and answers, and a form that calls it on this server. */
export function operationView(doc: Document, method: string, path: string, op: Operation, key: () => string | null): HTMLElement {
  const params = op.parameters ?? [];
  const bodySchema = resolve(doc, op.requestBody?.content?.['application/json']?.schema);
  const inputs = new Map<string, HTMLInputElement>();
  const paramFields = params.map((p) => {
    const input = h('input', { type: 'text', autocomplete: 'off', 'data-param': p.name });
    if (p.schema?.example !== undefined) input.value = String(p.schema.example);
    inputs.set(`${p.in}:${p.name}`, input);
    return field(`${p.name} (${p.in}${p.required ? ', required' : ''})`, input);
  });
  const body = bodySchema ? h('textarea', { rows: 6, spellcheck: 'false', value: exampleBody(bodySchema) }) : null;
  const result = h('div', { 'aria-live': 'polite' });
  const send = h('button', { type: 'submit' }, 'Send');
  const form = h(
    'form',
    { class: 'try', 'aria-label': `Try ${method.toUpperCase()} ${path}` },
    h('h4', null, 'Try it'),
    ...paramFields,
    body ? field('JSON body', body) : null,
    send,
    result,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void tryIt();
  });

  const tryIt = async (): Promise<void> => {
    let url = path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    for (const p of params) {
      const value = inputs.get(`${p.in}:${p.name}`)?.value ?? '';
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(value));
      else if (value !== '' && p.in === 'query') query.set(p.name, value);
      else if (value !== '' && p.in === 'header') headers[p.name] = value;
    }
    const k = key();
    if (k && op.security) headers['x-api-key'] = k;
    if (body) headers['content-type'] = 'application/json';
    const target = `${url}${query.size ? `?${query.toString()}` : ''}`;
    send.disabled = true;
    try {
      const res = await fetch(target, { method: method.toUpperCase(), headers, body: body?.value, credentials: 'omit' });
      const type = res.headers.get('content-type') ?? '';
      const text = /json|text/.test(type) ? await res.text() : `(${(await res.arrayBuffer()).byteLength} bytes of ${type || 'data'})`;
      let shown = text;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // not JSON: shown as it came
      }
      replace(
        result,
        h('p', { 'data-testid': 'try-status' }, h('strong', null, `${res.status} ${res.statusText}`), ` ${method.toUpperCase()} ${target}`),
        h('pre', { tabindex: 0, 'aria-label': 'Response body' }, shown.length > 20_000 ? `${shown.slice(0, 20_000)}\n…` : shown),
      );
    } catch (err) {
      replace(result, h('p', { class: 'error' }, err instanceof Error ? err.message : String(err)));
    } finally {
      send.disabled = false;
    }
  };

  const responses = Object.entries(op.responses ?? {}).map(([code, r]) => h('li', null, h('code', null, code), ` ${r.description ?? ''}`));
  return h(
    'details',
    { class: 'op' },
    h(
      'summary',
      null,
      h('span', { class: 'method' }, method),
      h('code', null, path),
      ` ${op.summary ?? ''}`,
      op.security ? h('span', { class: 'hint' }, ' (key)') : null,
    ),
    h(
      'div',
      { class: 'op-body' },
      bodySchema ? [h('h4', null, 'Body (JSON)'), schemaTable(bodySchema)] : null,
      h('h4', null, 'Responses'),
      h('ul', null, ...responses),
      form,
    ),
  );
}
