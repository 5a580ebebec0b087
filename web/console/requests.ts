import { field, formatTime, h, replace } from '../lib/dom.js';
import { dataTable } from '../lib/table.js';
import type { Console } from './context.js';

interface RequestSummary {
  request_id: string;
  account_id: string;
  model: string;
  engine: string;
  status: string;
  code: string | null;
  error: string | null;
  price: number;
  params: Record<string, unknown>;
  attempts: number;
  created_at: string;
  completed_at: string | null;
}

const STATUSES = ['', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED'];
const localToIso = (v: string): string | undefined => (v ? new Date(v).toISOString() : undefined);

/** Requests across accounts, filtered by status, model, engine, account and time. */
export function requestsView(ctx: Console, initial: URLSearchParams): HTMLElement {
  const status = h('select', null, ...STATUSES.map((s) => h('option', { value: s }, s || 'any')));
  const model = h('input', { type: 'text', autocomplete: 'off', value: initial.get('model') ?? '' });
  const engine = h('input', { type: 'text', autocomplete: 'off', value: initial.get('engine') ?? '' });
  const account = h('input', { type: 'text', autocomplete: 'off', value: initial.get('account') ?? '' });
  const from = h('input', { type: 'datetime-local' });
  const to = h('input', { type: 'datetime-local' });
  status.value = initial.get('status') ?? '';
  const list = h('div');
  const form = h(
    'form',
    { class: 'card toolbar', 'aria-label': 'Filters' },
    field('Status', status),
    field('Model', model),
    field('Engine', engine),
    field('Account (id or name)', account),
    field('Created from', from),
    field('Created before', to),
    h('button', { type: 'submit' }, 'Filter'),
  );
  const load = async (after?: string): Promise<void> => {
    const q = new URLSearchParams({ limit: '50' });
    const add = (name: string, value: string | undefined) => value && q.set(name, value);
    add('status', status.value);
    add('model', model.value.trim());
    add('engine', engine.value.trim());
    add('account', account.value.trim());
    add('from', localToIso(from.value));
    add('to', localToIso(to.value));
    add('after', after);
    const page = await ctx.act(() => ctx.call<{ requests: RequestSummary[]; next: string | null }>(`/admin/requests?${q.toString()}`));
    if (!page) return;
    const rows = page.requests.map((r) => [
      h('a', { href: `#/requests/${encodeURIComponent(r.request_id)}` }, r.request_id.slice(0, 8)),
      h('a', { href: `#/accounts/${encodeURIComponent(r.account_id)}` }, r.account_id.slice(0, 8)),
      r.model,
      r.engine,
      h('span', { class: `status status-${r.status.toLowerCase()}`, title: r.error ?? '' }, r.code ? `${r.status} (${r.code})` : r.status),
      String(r.price),
      String(r.attempts),
      formatTime(r.created_at),
    ]);
    replace(list, dataTable('Requests', ['Request', 'Account', 'Model', 'Engine', 'Status', 'Price', 'Attempts', 'Created'], rows, 'No request matches.'));
    if (page.next) {
      const more = h('button', { type: 'button', class: 'secondary' }, 'Next page');
      more.addEventListener('click', () => void load(page.next ?? undefined));
      list.appendChild(more);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  void load();
  return h('section', { 'aria-labelledby': 'requests-title' }, h('h2', { id: 'requests-title' }, 'Requests'), form, list);
}

interface Delivery {
  id: string;
  url: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
}
interface RequestDetail extends RequestSummary {
  account: { id: string; name: string | null };
  progress: number;
  seed: number;
  lease_owner: string | null;
  started_at: string | null;
  expires_at: string | null;
  timings: { queue_seconds: number | null; inference_seconds: number | null; total_seconds: number | null };
  webhook_url: string | null;
  deliveries: Delivery[];
  output: string | null;
}

const secs = (n: number | null): string => (n === null ? '—' : `${n.toFixed(2)} s`);

/** One request in full: parameters, account, attempts, timings, the video, webhook deliveries with resend. */
export function requestDetailView(ctx: Console, id: string): HTMLElement {
  const body = h('div', { class: 'card' });
  const load = async (): Promise<void> => {
    const r = await ctx.act(() => ctx.call<RequestDetail>(`/admin/requests/${encodeURIComponent(id)}`));
    if (!r) return;
    const deliveries = r.deliveries.map((d) => {
      const resend = h('button', { type: 'button', class: 'secondary', 'aria-label': `Resend delivery ${d.id}` }, 'Resend');
      resend.addEventListener('click', () => {
        void ctx
          .act(
            () => ctx.call(`/admin/requests/${encodeURIComponent(id)}/webhooks/${encodeURIComponent(d.id)}/resend`, { method: 'POST' }),
            'Delivery queued again.',
          )
          .then(() => load());
      });
      return [
        d.url,
        d.status,
        String(d.attempts),
        d.last_status === null ? '—' : `HTTP ${d.last_status}`,
        d.last_error ?? '',
        formatTime(d.delivered_at ?? d.next_attempt_at),
        resend,
      ];
    });
    replace(
      body,
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Request'),
        h('dd', null, h('code', null, r.request_id)),
        h('dt', null, 'Account'),
        h('dd', null, h('a', { href: `#/accounts/${encodeURIComponent(r.account.id)}` }, r.account.name ?? r.account.id)),
        h('dt', null, 'Status'),
        h('dd', { 'data-testid': 'request-status' }, r.code ? `${r.status} (${r.code})` : r.status),
        r.error ? [h('dt', null, 'Error'), h('dd', null, r.error)] : null,
        h('dt', null, 'Model / engine'),
        h('dd', null, `${r.model} / ${r.engine}`),
        h('dt', null, 'Parameters'),
        h('dd', null, h('code', null, JSON.stringify(r.params))),
        h('dt', null, 'Price'),
        h('dd', null, `${r.price} credits`),
        h('dt', null, 'Attempts'),
        h('dd', null, String(r.attempts), r.lease_owner ? ` (running on ${r.lease_owner})` : ''),
        h('dt', null, 'Timings'),
        h('dd', null, `queued ${secs(r.timings.queue_seconds)}, rendering ${secs(r.timings.inference_seconds)}, total ${secs(r.timings.total_seconds)}`),
        h('dt', null, 'Created / started / finished'),
        h('dd', null, `${formatTime(r.created_at)} / ${formatTime(r.started_at)} / ${formatTime(r.completed_at)}`),
        h('dt', null, 'Expires'),
        h('dd', null, formatTime(r.expires_at)),
        h('dt', null, 'Video'),
        h('dd', null, r.output ? h('a', { href: r.output, target: '_blank', rel: 'noopener' }, 'Open the MP4') : '—'),
        h('dt', null, 'Webhook'),
        h('dd', null, r.webhook_url ?? 'none'),
      ),
      h('h3', null, 'Webhook deliveries'),
      dataTable('Webhook deliveries', ['URL', 'State', 'Attempts', 'Last answer', 'Last error', 'Delivered / next try', ''], deliveries, 'No deliveries.'),
    );
  };
  void load();
  return h('section', { 'aria-labelledby': 'request-title' }, h('h2', { id: 'request-title' }, 'Request'), body);
}
