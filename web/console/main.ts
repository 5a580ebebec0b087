import { api, ApiProblem, explain } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { keyStore } from '../lib/key-store.js';
import { keyPanel, layout } from '../lib/layout.js';
import { accountDetailView } from './account-detail.js';
import { accountsView } from './accounts.js';
import { consoleContext } from './context.js';
import { overviewView } from './overview.js';
import { requestDetailView, requestsView } from './requests.js';

/** The operator console (`/console`): every action goes through the admin API with the admin key. */
const keys = keyStore('reelay.console.key');
const status = h('div', { role: 'status', class: 'console-status' });
const content = h('div');
const panel = keyPanel(keys, 'Admin API key', (key) => void start(key));
document.getElementById('app')?.replaceWith(layout('console', h('h1', null, 'Console'), panel.element, status, content));

const SECTIONS = [
  ['#/overview', 'Overview'],
  ['#/accounts', 'Accounts'],
  ['#/requests', 'Requests'],
] as const;

async function start(key: string | null): Promise<void> {
  replace(content);
  replace(status);
  if (!key) return;
  try {
    await api(key, '/admin/overview');
  } catch (err) {
    panel.error(
      err instanceof ApiProblem && err.status === 401
        ? 'This key was not accepted.'
        : err instanceof ApiProblem && err.status === 403
          ? 'This key is not an admin key.'
          : explain(err),
    );
    return;
  }
  panel.error('');
  const ctx = consoleContext(key, status);
  const nav = h(
    'nav',
    { class: 'models', 'aria-label': 'Console sections' },
    h('ul', null, ...SECTIONS.map(([href, text]) => h('li', null, h('a', { href }, text)))),
  );
  const view = h('div');
  const route = (): void => {
    const [path = '', query = ''] = (location.hash || '#/overview').split('?');
    for (const a of nav.querySelectorAll('a')) {
      if (path.startsWith(a.getAttribute('href') ?? '-')) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const id = (prefix: string) => decodeURIComponent(path.slice(prefix.length));
    replace(status);
    if (path.startsWith('#/accounts/')) replace(view, accountDetailView(ctx, id('#/accounts/')));
    else if (path === '#/accounts') replace(view, accountsView(ctx));
    else if (path.startsWith('#/requests/')) replace(view, requestDetailView(ctx, id('#/requests/')));
    else if (path === '#/requests') replace(view, requestsView(ctx, new URLSearchParams(query)));
    else replace(view, overviewView(ctx));
  };
  window.onhashchange = route;
  replace(content, nav, view);
  route();
}

void start(keys.get());
