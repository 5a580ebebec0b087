import { field, formatTime, h, replace } from '../lib/dom.js';
import { dataTable } from '../lib/table.js';
import type { Console } from './context.js';

export interface Account {
  id: string;
  name: string;
  is_admin: boolean;
  balance: number;
  rpm_limit: number | null;
  inflight_limit: number | null;
  suspended_at: string | null;
  created_at: string;
}

export const limitText = (n: number | null): string => (n === null ? 'default' : String(n));
const optionalNumber = (input: HTMLInputElement): number | undefined => (input.value.trim() === '' ? undefined : Number(input.value));

/** Every account, and a form to create one. */
export function accountsView(ctx: Console): HTMLElement {
  const list = h('div');
  const name = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const credits = h('input', { type: 'number', min: 0, step: 1, value: 0 });
  const rpm = h('input', { type: 'number', min: 1, step: 1 });
  const inflight = h('input', { type: 'number', min: 1, step: 1 });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'new-account-title' },
    h('h3', { id: 'new-account-title' }, 'New account'),
    h(
      'div',
      { class: 'toolbar' },
      field('Name', name),
      field('Initial credits', credits),
      field('Submits per minute', rpm, 'blank: the global default'),
      field('Unfinished at once', inflight, 'blank: the global default'),
      h('button', { type: 'submit' }, 'Create account'),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void ctx
      .act(
        () =>
          ctx.call<Account>('/admin/accounts', {
            method: 'POST',
            body: { name: name.value, credits: Number(credits.value || 0), rpm_limit: optionalNumber(rpm), inflight_limit: optionalNumber(inflight) },
          }),
        `Account ${name.value} created.`,
      )
      .then((created) => {
        if (!created) return;
        form.reset();
        ctx.go(`#/accounts/${encodeURIComponent(created.id)}`);
      });
  });
  const load = async (after?: string): Promise<void> => {
    const page = await ctx.act(() =>
      ctx.call<{ accounts: Account[]; next: string | null }>(`/admin/accounts?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`),
    );
    if (!page) return;
    const rows = page.accounts.map((a) => [
      h('a', { href: `#/accounts/${encodeURIComponent(a.id)}` }, a.name),
      a.is_admin ? 'admin' : 'customer',
      String(a.balance),
      `${limitText(a.rpm_limit)} / ${limitText(a.inflight_limit)}`,
      a.suspended_at ? h('span', { class: 'status status-failed' }, 'suspended') : 'active',
      formatTime(a.created_at),
    ]);
    replace(list, dataTable('Accounts', ['Name', 'Kind', 'Balance', 'Limits (rpm / in flight)', 'State', 'Created'], rows));
    if (page.next) {
      const more = h('button', { type: 'button', class: 'secondary' }, 'Next page');
      more.addEventListener('click', () => void load(page.next ?? undefined));
      list.appendChild(more);
    }
  };
  void load();
  return h('section', { 'aria-labelledby': 'accounts-title' }, h('h2', { id: 'accounts-title' }, 'Accounts'), form, list);
}
