import { h, type Child } from './dom.js';

/** A data table with a caption (for screen readers) and column headers. */
export function dataTable(caption: string, headers: string[], rows: Child[][], empty = 'Nothing yet.'): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'hint' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', null, h('tr', null, ...headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, ...rows.map((cells) => h('tr', null, ...cells.map((c) => h('td', null, c))))),
    ),
  );
}

/** A shown-once secret (a new key, a webhook secret) with a copy button. */
export function secretBox(label: string, secret: string): HTMLElement {
  const status = h('span', { class: 'hint', role: 'status' });
  const copy = h('button', { type: 'button', class: 'secondary' }, 'Copy');
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(secret).then(
      () => (status.textContent = 'Copied.'),
      () => (status.textContent = 'The browser refused the clipboard: select the text instead.'),
    );
  });
  return h(
    'div',
    { class: 'secret', role: 'region', 'aria-label': label },
    h('p', null, h('strong', null, label), ' (shown once; store it now):'),
    h('code', { 'data-testid': 'secret' }, secret),
    h('div', { class: 'inline' }, copy, status),
  );
}
