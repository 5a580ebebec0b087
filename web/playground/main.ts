import { api, ApiProblem, explain } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { keyStore } from '../lib/key-store.js';
import { keyPanel, layout } from '../lib/layout.js';
import { historyPanel } from './history.js';
import { modelPage, type Model } from './model-page.js';

/** The playground (`/`): enter a key, pick a model, fill its form, watch the request, copy the code. */
const keys = keyStore('reelay.playground.key');
const content = h('div', { class: 'content' });
const panel = keyPanel(keys, 'API key', (key) => void start(key));
document
  .getElementById('app')
  ?.replaceWith(
    layout(
      'playground',
      h('h1', null, 'Playground'),
      h('p', { class: 'lead' }, 'Turn a still image into a video. Every request goes through the same API your code uses.'),
      panel.element,
      content,
    ),
  );

let models: Model[] = [];

async function start(key: string | null): Promise<void> {
  replace(content);
  if (!key) return;
  try {
    models = (await api<{ models: Model[] }>(key, '/v1/models')).models;
  } catch (err) {
    panel.error(err instanceof ApiProblem && err.status === 401 ? 'This API key was not accepted: check it and enter it again.' : explain(err));
    return;
  }
  panel.error('');
  const history = historyPanel({ key, rerun: (item, image) => void page?.rerun(item, image) });
  const pageArea = h('div');
  let page: ReturnType<typeof modelPage> | undefined;
  const route = (): void => {
    const slug = decodeURIComponent(/^#\/models\/(.+)$/.exec(location.hash)?.[1] ?? models[0]?.slug ?? '');
    const model = models.find((m) => m.slug === slug) ?? models[0];
    if (!model) return replace(pageArea, h('p', null, 'This server offers no models.'));
    page = modelPage({
      key,
      model,
      onKeyRefused: () => panel.error('This API key was not accepted: check it and enter it again.'),
      onSubmitted: () => void history.refresh(),
    });
    replace(pageArea, page.element);
    document.title = `${model.name} · Reelay playground`;
  };
  window.onhashchange = route;
  const nav = h(
    'nav',
    { class: 'models', 'aria-label': 'Models' },
    h('ul', null, ...models.map((m) => h('li', null, h('a', { href: `#/models/${encodeURIComponent(m.slug)}` }, m.name)))),
  );
  replace(content, nav, pageArea, history.element);
  route();
  await history.refresh();
}

void start(keys.get());
