import { api, explain } from '../lib/api.js';
import { formatTime, h, replace } from '../lib/dom.js';

/** One row of `GET /v2/requests`. */
export interface HistoryItem {
  request_id: string;
  model: string;
  engine: string;
  status: 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';
  progress: number;
  params: Record<string, unknown>;
  error: string | null;
  code: string | null;
  output: string | null;
  created_at: string;
}

export interface HistoryOptions {
  key: string;
  /** Re-runs a request: its input image and parameters go back into the form, and it is submitted. */
  rerun(item: HistoryItem, image: Blob): void;
}

/** Fetches a request's input image with the key (a header, so not an <img src>) and returns it as a Blob. */
export async function inputImage(key: string, requestId: string): Promise<Blob> {
  const res = await fetch(`/v2/requests/${encodeURIComponent(requestId)}/input`, { headers: { 'x-api-key': key }, credentials: 'omit' });
  if (!res.ok) throw new Error(`The input image is no longer available (HTTP ${res.status})`);
  return res.blob();
}

/** The key's requests, newest first, with thumbnails, re-run and cancel; "More" follows the cursor. */
export function historyPanel(opts: HistoryOptions): { element: HTMLElement; refresh(): Promise<void> } {
  const body = h('tbody');
  const message = h('p', { class: 'hint', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary' }, 'Load more');
  more.hidden = true;
  let next: string | null = null;
  const table = h(
    'table',
    { class: 'history' },
    h('caption', { class: 'visually-hidden' }, 'Your requests, newest first'),
    h('thead', null, h('tr', null, ...['Image', 'Created', 'Status', 'Prompt', 'Parameters', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
    body,
  );
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'History'),
    message,
    h('div', { class: 'table-wrap' }, table),
    more,
  );

  const load = async (cursor: string | null): Promise<void> => {
    try {
      const page = await api<{ requests: HistoryItem[]; next: string | null }>(
        opts.key,
        `/v2/requests?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (!cursor) replace(body);
      for (const item of page.requests) body.appendChild(row(item));
      next = page.next;
      more.hidden = next === null;
      replace(message, body.children.length === 0 ? 'No requests yet.' : '');
    } catch (err) {
      replace(message, explain(err));
    }
  };
  more.addEventListener('click', () => void load(next));

  const row = (item: HistoryItem): HTMLElement => {
    const thumb = h('img', { alt: `Input image of ${item.request_id}`, class: 'thumb' });
    inputImage(opts.key, item.request_id).then(
      (blob) => (thumb.src = URL.createObjectURL(blob)),
      () => thumb.replaceWith(h('span', { class: 'hint' }, 'gone')),
    );
    const actions = h('div', { class: 'actions' });
    const rerun = h('button', { type: 'button', class: 'secondary', 'aria-label': `Re-run ${item.request_id}` }, 'Re-run');
    rerun.addEventListener('click', () => {
      inputImage(opts.key, item.request_id).then(
        (blob) => opts.rerun(item, blob),
        (err: unknown) => replace(message, explain(err)),
      );
    });
    actions.appendChild(rerun);
    if (item.status === 'QUEUED' || item.status === 'PROCESSING') {
      const cancel = h('button', { type: 'button', class: 'secondary', 'aria-label': `Cancel ${item.request_id}` }, 'Cancel');
      cancel.addEventListener('click', () => {
        cancel.disabled = true;
        api(opts.key, `/v2/requests/${encodeURIComponent(item.request_id)}/cancel`, { method: 'POST' }).then(
          () => load(null),
          (err: unknown) => replace(message, explain(err)),
        );
      });
      actions.appendChild(cancel);
    }
    if (item.output) actions.appendChild(h('a', { href: item.output, class: 'button secondary', target: '_blank', rel: 'noopener' }, 'Video'));
    const { prompt, ...rest } = item.params;
    const status = item.status === 'FAILED' ? `FAILED (${item.code ?? 'error'})` : item.status === 'PROCESSING' ? `PROCESSING ${item.progress}%` : item.status;
    return h(
      'tr',
      { 'data-request-id': item.request_id },
      h('td', null, thumb),
      h('td', null, formatTime(item.created_at)),
      h('td', null, h('span', { class: `status status-${item.status.toLowerCase()}`, title: item.error ?? '' }, status)),
      h('td', { class: 'prompt' }, String(prompt ?? '')),
      h(
        'td',
        null,
        Object.entries(rest)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' '),
      ),
      h('td', null, actions),
    );
  };
  return { element, refresh: () => load(null) };
}
