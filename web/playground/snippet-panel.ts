import { h, replace } from '../lib/dom.js';
import { maskKey } from '../lib/key-store.js';
import { snippet, SNIPPET_KINDS, SNIPPET_LABELS, type SnippetInput, type SnippetKind } from './snippets.js';

/**
 * "Copy as": the request the form would send, as curl, Python (Segmind's SDK), TypeScript
 * (@reelay/sdk) and the reelay CLI. The key is masked on screen until revealed; Copy always
 * copies the runnable text, key included.
 */
export function snippetPanel(): { element: HTMLElement; update(input: SnippetInput): void } {
  let kind: SnippetKind = 'curl';
  let input: SnippetInput | undefined;
  let revealed = false;
  const code = h('code', { 'data-testid': 'snippet' });
  const pre = h('pre', { tabindex: 0, 'aria-label': 'Code snippet' }, code);
  const note = h('p', { class: 'hint' });
  const reveal = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false' }, 'Reveal key');
  const copy = h('button', { type: 'button' }, 'Copy');
  const copied = h('span', { role: 'status', class: 'hint' });
  const tabs = SNIPPET_KINDS.map((k) => h('button', { type: 'button', role: 'tab', 'aria-selected': String(k === kind), 'data-kind': k }, SNIPPET_LABELS[k]));
  const render = (): void => {
    if (!input) return;
    const shown = revealed ? input : { ...input, key: maskKey(input.key) };
    replace(code, snippet(kind, shown));
    for (const t of tabs) t.setAttribute('aria-selected', String(t.dataset.kind === kind));
    const file = input.image?.kind === 'file' ? input.image.name : 'photo.png';
    replace(
      note,
      kind === 'python'
        ? `Needs pip install segmind; run it where ${file} is.`
        : kind === 'typescript'
          ? `Needs npm install @reelay/sdk; save as generate.mjs and run node generate.mjs where ${file} is (it is also valid TypeScript).`
          : kind === 'cli'
            ? `Run where ${file} is; the reelay command comes with the Reelay server package.`
            : input.image?.kind === 'url'
              ? 'Prints the request id and status URLs.'
              : `Run it where ${file} is; prints the request id and status URLs.`,
    );
  };
  tabs.forEach((t) =>
    t.addEventListener('click', () => {
      kind = t.dataset.kind as SnippetKind;
      render();
    }),
  );
  reveal.addEventListener('click', () => {
    revealed = !revealed;
    reveal.setAttribute('aria-pressed', String(revealed));
    replace(reveal, revealed ? 'Hide key' : 'Reveal key');
    render();
  });
  copy.addEventListener('click', () => {
    if (!input) return;
    navigator.clipboard.writeText(snippet(kind, input)).then(
      () => replace(copied, 'Copied, with the key.'),
      () => replace(copied, 'The browser refused the clipboard: reveal the key and select the text.'),
    );
  });
  const element = h(
    'section',
    { class: 'card snippets', 'aria-labelledby': 'snippets-title' },
    h('h3', { id: 'snippets-title' }, 'Copy as'),
    h('div', { role: 'tablist', 'aria-label': 'Language' }, ...tabs),
    pre,
    note,
    h('div', { class: 'inline' }, reveal, copy, copied),
  );
  return {
    element,
    update(next) {
      input = next;
      render();
    },
  };
}
