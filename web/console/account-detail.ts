import { field, formatTime, h, replace, uid } from '../lib/dom.js';
import { dataTable, secretBox } from '../lib/table.js';
import { limitText, type Account } from './accounts.js';
import type { Console } from './context.js';

interface Key {
  id: string;
  prefix: string;
  label: string;
  scopes: string[];
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}
interface LedgerEntry {
  kind: string;
  amount: number;
  balance_after: number;
  request_id: string | null;
  reason: string;
  created_at: string;
}

const SCOPES = ['generate', 'read', 'admin'];
const nullableNumber = (input: HTMLInputElement): number | null => (input.value.trim() === '' ? null : Number(input.value));

/** One account: balance, limits, suspension, keys, credits with the ledger, webhook secret. */
export function accountDetailView(ctx: Console, id: string): HTMLElement {
  const summary = h('div', { class: 'card' });
  const keys = h('div');
  const ledger = h('div');
  const secret = h('div');
  const element = h('section', { 'aria-labelledby': 'account-title' }, h('h2', { id: 'account-title' }, 'Account'), summary);
  const path = `/admin/accounts/${encodeURIComponent(id)}`;

  const refresh = async (): Promise<void> => {
    const account = await ctx.act(() => ctx.call<Account>(path));
    if (!account) return;
    replace(element.querySelector('#account-title') ?? element, `Account ${account.name}`);
    renderSummary(account);
    await Promise.all([loadKeys(account), loadLedger(account)]);
  };

  const renderSummary = (a: Account): void => {
    const rpm = h('input', { type: 'number', min: 1, step: 1, value: a.rpm_limit ?? '' });
    const inflight = h('input', { type: 'number', min: 1, step: 1, value: a.inflight_limit ?? '' });
    const limits = h(
      'form',
      { class: 'toolbar', 'aria-label': 'Limits' },
      field('Submits per minute', rpm, 'blank: the global default'),
      field('Unfinished at once', inflight, 'blank: the global default'),
      h('button', { type: 'submit', class: 'secondary' }, 'Save limits'),
    );
    limits.addEventListener('submit', (e) => {
      e.preventDefault();
      void ctx
        .act(
          () => ctx.call(`${path}/limits`, { method: 'PATCH', body: { rpm_limit: nullableNumber(rpm), inflight_limit: nullableNumber(inflight) } }),
          'Limits saved.',
        )
        .then(() => refresh());
    });
    const suspend = h('button', { type: 'button', class: 'secondary' }, a.suspended_at ? 'Resume account' : 'Suspend account');
    suspend.disabled = a.is_admin;
    suspend.addEventListener('click', () => {
      void ctx
        .act(
          () => ctx.call(`${path}/${a.suspended_at ? 'resume' : 'suspend'}`, { method: 'POST' }),
          a.suspended_at ? 'Account resumed.' : 'Account suspended: its keys are refused.',
        )
        .then(() => refresh());
    });
    const rotate = h('button', { type: 'button', class: 'secondary' }, 'Rotate webhook secret');
    rotate.addEventListener('click', () => {
      void ctx
        .act(() => ctx.call<{ webhook_secret: string }>(`${path}/webhook-secret`, { method: 'POST' }), 'Webhook secret replaced.')
        .then((r) => {
          if (r) replace(secret, secretBox('New webhook secret', r.webhook_secret));
        });
    });
    replace(
      summary,
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Id'),
        h('dd', null, h('code', null, a.id)),
        h('dt', null, 'Kind'),
        h('dd', null, a.is_admin ? 'admin' : 'customer'),
        h('dt', null, 'Balance'),
        h('dd', { 'data-testid': 'balance' }, `${a.balance} credits`),
        h('dt', null, 'Limits'),
        h('dd', null, `${limitText(a.rpm_limit)} submits per minute, ${limitText(a.inflight_limit)} unfinished at once`),
        h('dt', null, 'State'),
        h('dd', { 'data-testid': 'account-state' }, a.suspended_at ? `suspended since ${formatTime(a.suspended_at)}` : 'active'),
        h('dt', null, 'Created'),
        h('dd', null, formatTime(a.created_at)),
      ),
      limits,
      h('div', { class: 'inline' }, suspend, rotate, h('a', { href: `#/requests?account=${encodeURIComponent(a.id)}` }, 'Requests of this account')),
      secret,
      creditsForm(),
      h('h3', null, 'Keys'),
      keyForm(a),
      keys,
      h('h3', null, 'Ledger'),
      ledger,
    );
  };

  const keyForm = (a: Account): HTMLElement => {
    const label = h('input', { type: 'text', autocomplete: 'off' });
    const expires = h('input', { type: 'datetime-local' });
    const boxes = SCOPES.filter((s) => s !== 'admin' || a.is_admin).map((s) =>
      h('input', { type: 'checkbox', value: s, id: uid('scope'), checked: s !== 'admin' }),
    );
    const shown = h('div');
    const form = h(
      'form',
      { class: 'card', 'aria-label': 'New key' },
      h(
        'div',
        { class: 'toolbar' },
        field('Label', label),
        h('fieldset', null, h('legend', null, 'Scopes'), ...boxes.map((b) => h('label', { for: b.id, class: 'check' }, b, ` ${b.value} `))),
        field('Expires (optional)', expires),
        h('button', { type: 'submit' }, 'Create key'),
      ),
      shown,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body = {
        label: label.value,
        scopes: boxes.filter((b) => b.checked).map((b) => b.value),
        expires_at: expires.value ? new Date(expires.value).toISOString() : null,
      };
      void ctx
        .act(() => ctx.call<{ key: string }>(`${path}/keys`, { method: 'POST', body }), 'Key created.')
        .then(async (created) => {
          if (!created) return;
          await loadKeys(a);
          replace(shown, secretBox('New API key', created.key));
        });
    });
    return form;
  };

  const creditsForm = (): HTMLElement => {
    const action = h('select', null, h('option', { value: 'grant' }, 'grant'), h('option', { value: 'deduct' }, 'deduct'));
    const amount = h('input', { type: 'number', min: 1, step: 1 });
    const reason = h('input', { type: 'text', autocomplete: 'off' });
    const form = h(
      'form',
      { class: 'card', 'aria-label': 'Credits' },
      h('h3', null, 'Credits'),
      h('div', { class: 'toolbar' }, field('Action', action), field('Amount', amount), field('Reason', reason), h('button', { type: 'submit' }, 'Apply')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void ctx
        .act(
          () => ctx.call(`${path}/credits`, { method: 'POST', body: { action: action.value, amount: Number(amount.value), reason: reason.value } }),
          'Credits changed.',
        )
        .then((done) => {
          if (!done) return;
          form.reset();
          return refresh();
        });
    });
    return form;
  };

  const loadKeys = async (a: Account): Promise<void> => {
    const list = await ctx.act(() => ctx.call<{ keys: Key[] }>(`${path}/keys`));
    if (!list) return;
    const rows = list.keys.map((k) => {
      const revoke = h('button', { type: 'button', class: 'secondary', 'aria-label': `Revoke key ${k.prefix}` }, 'Revoke');
      revoke.disabled = k.revoked_at !== null;
      revoke.addEventListener(
        'click',
        () => void ctx.act(() => ctx.call(`/admin/keys/${encodeURIComponent(k.id)}/revoke`, { method: 'POST' }), 'Key revoked.').then(() => loadKeys(a)),
      );
      return [
        h('code', null, `${k.prefix}…`),
        k.label,
        k.scopes.join(', '),
        formatTime(k.created_at),
        k.expires_at ? formatTime(k.expires_at) : 'never',
        k.revoked_at ? `revoked ${formatTime(k.revoked_at)}` : 'active',
        formatTime(k.last_used_at),
        revoke,
      ];
    });
    replace(keys, dataTable('Keys', ['Key', 'Label', 'Scopes', 'Created', 'Expires', 'State', 'Last used', ''], rows, 'No keys yet.'));
  };

  const loadLedger = async (a: Account): Promise<void> => {
    const page = await ctx.act(() => ctx.call<{ entries: LedgerEntry[] }>(`${path}/ledger?limit=50`));
    if (!page) return;
    const rows = page.entries.map((e) => [
      formatTime(e.created_at),
      e.kind,
      e.amount > 0 ? `+${e.amount}` : String(e.amount),
      String(e.balance_after),
      e.reason,
      e.request_id ? h('a', { href: `#/requests/${encodeURIComponent(e.request_id)}` }, e.request_id.slice(0, 8)) : '',
    ]);
    replace(ledger, dataTable(`Ledger of ${a.name}`, ['When', 'Kind', 'Amount', 'Balance after', 'Reason', 'Request'], rows, 'No entries yet.'));
  };

  void refresh();
  return element;
}
