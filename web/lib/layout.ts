import { h, uid, type Child } from './dom.js';
import { maskKey, type KeyStore } from './key-store.js';

/** The frame every page shares: a header with the three pages, a skip link, and the main area. */
export function layout(current: 'playground' | 'console' | 'docs', ...children: Child[]): HTMLElement {
  const link = (page: typeof current, href: string, text: string) => h('a', { href, ...(page === current ? { 'aria-current': 'page' } : {}) }, text);
  return h(
    'div',
    { class: 'page' },
    h('a', { href: '#main', class: 'skip' }, 'Skip to content'),
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, 'Reelay'),
      h('nav', { 'aria-label': 'Pages' }, link('playground', '/', 'Playground'), link('console', '/console', 'Console'), link('docs', '/docs', 'API docs')),
    ),
    h('main', { id: 'main', tabindex: -1 }, ...children),
  );
}

/**
 * Entering the API key: a password field, "remember on this device", and a forget button. The
 * key goes to sessionStorage (or localStorage when remembered), never into a URL.
 */
export function keyPanel(store: KeyStore, title: string, onKey: (key: string | null) => void): { element: HTMLElement; error(text: string): void } {
  const input = h('input', { type: 'password', id: uid('key'), autocomplete: 'off', spellcheck: 'false', placeholder: 'rl_…' });
  const remember = h('input', { type: 'checkbox', id: uid('remember') });
  const status = h('p', { class: 'hint', role: 'status' });
  const error = h('p', { class: 'error', role: 'alert' });
  const forget = h('button', { type: 'button', class: 'secondary' }, 'Forget key');
  const show = (): void => {
    const key = store.get();
    status.textContent = key ? `Using key ${maskKey(key)}${store.remembered() ? ' (remembered on this device)' : ' (for this tab only)'}` : 'No key entered.';
    forget.hidden = !key;
  };
  const form = h(
    'form',
    { class: 'key-form', 'aria-label': 'Key' },
    h('div', { class: 'field' }, h('label', { for: input.id }, title), input),
    h(
      'div',
      { class: 'inline' },
      h('label', { for: remember.id, class: 'check' }, remember, ' Remember on this device'),
      h('button', { type: 'submit' }, 'Use key'),
      forget,
    ),
    status,
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    store.set(key, remember.checked);
    input.value = '';
    error.textContent = '';
    show();
    onKey(key);
  });
  forget.addEventListener('click', () => {
    store.clear();
    show();
    onKey(null);
  });
  show();
  return {
    element: h('section', { class: 'card key-card' }, form),
    error(text) {
      error.textContent = text;
      if (text) input.focus();
    },
  };
}
