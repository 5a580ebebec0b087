import { field, h, replace, uid } from '../lib/dom.js';

/** The JSON Schema subset `GET /v1/models` publishes in `parameters_schema` (built from the server's zod schema). */
export interface FieldSchema {
  type?: string | string[];
  enum?: (string | number)[];
  default?: unknown;
  description?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  contentMediaType?: string;
}
export interface ObjectSchema {
  properties: Record<string, FieldSchema>;
  required?: string[];
}

export interface SchemaForm {
  element: HTMLElement;
  /** The values to send; fields left at "random"/empty-nullable are sent as null. */
  values(): Record<string, unknown>;
  /** Marks fields the server refused (400 details) and focuses the first; [] clears the marks. */
  markErrors(problems: { field: string; message: string }[]): void;
  /** Sets fields (for re-running a request with its parameters). */
  fill(values: Record<string, unknown>): void;
  onChange(listener: () => void): void;
}

interface Control {
  wrap: HTMLElement;
  focus: HTMLElement;
  error: HTMLElement;
  read(): unknown;
  write(value: unknown): void;
}

const types = (f: FieldSchema): string[] => (Array.isArray(f.type) ? f.type : f.type ? [f.type] : []);

/**
 * Builds a form from the model's JSON Schema alone, so a model with other parameters gets its own
 * form with no change here. Fields with a media type (the image) are left to the caller.
 */
export function schemaForm(schema: ObjectSchema): SchemaForm {
  const controls = new Map<string, Control>();
  const listeners: (() => void)[] = [];
  const changed = (): void => listeners.forEach((l) => l());
  const element = h('div', { class: 'schema-form' });
  for (const [name, f] of Object.entries(schema.properties)) {
    if (f.contentMediaType) continue;
    const control = controlFor(name, f, (schema.required ?? []).includes(name), changed);
    controls.set(name, control);
    element.appendChild(control.wrap);
  }
  return {
    element,
    values: () => Object.fromEntries([...controls].map(([name, c]) => [name, c.read()])),
    markErrors(problems) {
      for (const c of controls.values()) {
        replace(c.error);
        c.focus.removeAttribute('aria-invalid');
      }
      let first: HTMLElement | undefined;
      for (const p of problems) {
        const c = controls.get(p.field);
        if (!c) continue;
        replace(c.error, p.message);
        c.focus.setAttribute('aria-invalid', 'true');
        first ??= c.focus;
      }
      first?.focus();
    },
    fill(values) {
      for (const [name, value] of Object.entries(values)) controls.get(name)?.write(value);
      changed();
    },
    onChange: (l) => listeners.push(l),
  };
}

function label(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function describe(f: FieldSchema, required: boolean): string {
  const parts: string[] = [required ? 'required' : 'optional'];
  if (f.default !== undefined) parts.push(`default ${f.default === null ? 'none' : JSON.stringify(f.default)}`);
  if (f.enum) parts.push(`one of ${f.enum.join(', ')}`);
  if (f.minimum !== undefined && f.maximum !== undefined) parts.push(`${f.minimum} to ${f.maximum}`);
  if (f.maxLength !== undefined) parts.push(`at most ${f.maxLength} characters`);
  if (f.description) parts.push(f.description);
  return parts.join('; ');
}

function controlFor(name: string, f: FieldSchema, required: boolean, changed: () => void): Control {
  const t = types(f);
  const numeric = t.includes('integer') || t.includes('number');
  const nullable = t.includes('null');
  const error = h('p', { class: 'field-error', role: 'alert' });
  let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  if (f.enum) {
    input = h('select', { name, onchange: changed }, ...f.enum.map((v) => h('option', { value: String(v) }, String(v))));
    if (f.default !== undefined && f.default !== null) input.value = String(f.default);
  } else if (numeric) {
    input = h('input', { type: 'number', name, step: t.includes('integer') ? 1 : 'any', min: f.minimum, max: f.maximum, oninput: changed });
    if (typeof f.default === 'number') input.value = String(f.default);
  } else {
    input = h('textarea', { name, rows: 3, maxlength: f.maxLength, oninput: changed });
    if (typeof f.default === 'string') input.value = f.default;
  }
  if (required) input.required = true;
  const cast = (raw: string): unknown => (numeric ? (raw.trim() === '' ? null : Number(raw)) : f.enum?.some((v) => typeof v === 'number') ? Number(raw) : raw);
  const hint = describe(f, required);
  // A nullable field whose default is null ("none": for a seed, pick one at random) gets a toggle.
  if (nullable && f.default === null) {
    const randomLabel = /random/i.test(f.description ?? '') ? 'Random' : 'None';
    const toggle = h('input', { type: 'checkbox', id: uid('null'), checked: true });
    const sync = (): void => {
      input.disabled = toggle.checked;
      changed();
    };
    toggle.addEventListener('change', sync);
    input.disabled = true;
    const wrap = h(
      'div',
      { class: 'field' },
      h('label', { for: (input.id = uid('f')) }, label(name)),
      h('div', { class: 'inline' }, input, h('label', { class: 'check' }, toggle, ` ${randomLabel}`)),
      h('small', { class: 'hint', id: `${input.id}-hint` }, hint),
      error,
    );
    input.setAttribute('aria-describedby', `${input.id}-hint`);
    return {
      wrap,
      focus: input,
      error,
      read: () => (toggle.checked ? null : cast(input.value)),
      write(value) {
        toggle.checked = value === null || value === undefined;
        input.value = value === null || value === undefined ? '' : String(value);
        input.disabled = toggle.checked;
      },
    };
  }
  const wrap = field(label(name), input, hint);
  wrap.appendChild(error);
  return {
    wrap,
    focus: input,
    error,
    read: () => cast(input.value),
    write: (value) => (input.value = value === null || value === undefined ? '' : String(value)),
  };
}
