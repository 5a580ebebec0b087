import { explain } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { keyStore } from '../lib/key-store.js';
import { keyPanel, layout } from '../lib/layout.js';
import { operationView, type Document, type Operation } from './operation.js';

/**
 * The API docs (`/docs`): renders this server's /openapi.json, grouped by tag, each operation
 * with its parameters, body schema and responses, and a "Try it" form that calls this server
 * with the key entered at the top.
 */
const keys = keyStore('reelay.docs.key');
const content = h('div', null, h('p', { class: 'hint' }, 'Loading /openapi.json…'));
const panel = keyPanel(keys, 'API key for "Try it"', () => undefined);
document
  .getElementById('app')
  ?.replaceWith(
    layout(
      'docs',
      h('h1', null, 'API docs'),
      h('p', { class: 'lead' }, 'Rendered from ', h('a', { href: '/openapi.json' }, '/openapi.json'), '. "Try it" calls this server with your key.'),
      panel.element,
      content,
    ),
  );

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function tagOf(path: string, op: Operation): string {
  if (op.tags?.[0]) return op.tags[0];
  if (path.startsWith('/v1/') || path.startsWith('/v2/')) return 'generation';
  return 'service';
}

async function render(): Promise<void> {
  let doc: Document;
  try {
    const res = await fetch('/openapi.json', { credentials: 'omit' });
    doc = (await res.json()) as Document;
  } catch (err) {
    replace(content, h('p', { class: 'error' }, explain(err)));
    return;
  }
  const groups = new Map<string, HTMLElement[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const tag = tagOf(path, op);
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)?.push(operationView(doc, method, path, op, () => keys.get()));
    }
  }
  const order = ['generation', 'admin', 'web', 'service'];
  const tags = [...groups.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  replace(
    content,
    h('p', null, h('strong', null, `${doc.info.title} ${doc.info.version}`), ': ', doc.info.description ?? ''),
    h('nav', { class: 'models', 'aria-label': 'Sections' }, h('ul', null, ...tags.map((t) => h('li', null, h('a', { href: `#tag-${t}` }, t))))),
    ...tags.map((t) => h('section', { id: `tag-${t}`, 'aria-labelledby': `tag-${t}-title` }, h('h2', { id: `tag-${t}-title` }, t), ...(groups.get(t) ?? []))),
  );
}

void render();
