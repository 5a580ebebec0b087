import { h, replace } from '../lib/dom.js';
import type { Console } from './context.js';

interface Overview {
  queued: Record<string, number>;
  processing: Record<string, number>;
  workers: string[];
  window_minutes: number;
  finished_per_minute: { minute: string; completed: number; failed: number }[];
  failure_codes: Record<string, number>;
}

const byEngine = (counts: Record<string, number>): string =>
  Object.keys(counts).length === 0
    ? 'none'
    : Object.entries(counts)
        .map(([engine, n]) => `${engine}: ${n}`)
        .join(', ');
const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** The live overview, refreshed every 5 seconds while it is on screen. */
export function overviewView(ctx: Console): HTMLElement {
  const tiles = h('div', { class: 'tiles', 'aria-live': 'polite' });
  const minutes = h('div');
  const element = h('section', { 'aria-labelledby': 'overview-title' }, h('h2', { id: 'overview-title' }, 'Overview'), tiles, minutes);
  const tile = (label: string, big: string | number, detail: string) =>
    h(
      'div',
      { class: 'tile', 'data-testid': `tile-${label.toLowerCase().replace(/\W+/g, '-')}` },
      h('div', null, label),
      h('div', { class: 'big' }, String(big)),
      h('div', { class: 'hint' }, detail),
    );
  const load = async (): Promise<void> => {
    const o = await ctx.act(() => ctx.call<Overview>('/admin/overview'));
    if (!o) return;
    const done = o.finished_per_minute.reduce((n, m) => n + m.completed, 0);
    const failed = o.finished_per_minute.reduce((n, m) => n + m.failed, 0);
    replace(
      tiles,
      tile('Queued', total(o.queued), byEngine(o.queued)),
      tile('Processing', total(o.processing), byEngine(o.processing)),
      tile('Workers busy', o.workers.length, o.workers.join(', ') || 'no worker holds a request now'),
      tile(
        `Finished (${o.window_minutes} min)`,
        done + failed,
        `${done} completed, ${failed} failed; ${((done + failed) / o.window_minutes).toFixed(1)} per minute`,
      ),
      tile('Failure codes', failed, byEngine(o.failure_codes)),
    );
    const max = Math.max(1, ...o.finished_per_minute.map((m) => m.completed + m.failed));
    replace(
      minutes,
      h('h3', null, 'Finished per minute'),
      h(
        'ol',
        { class: 'minutes', 'aria-label': 'Finished per minute, oldest first' },
        ...o.finished_per_minute.map((m) => {
          const bar = h('progress', {
            max,
            value: m.completed + m.failed,
            'aria-label': `${new Date(m.minute).toLocaleTimeString()}: ${m.completed} completed, ${m.failed} failed`,
          });
          return h(
            'li',
            null,
            h('span', { class: 'hint' }, new Date(m.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
            bar,
            ` ${m.completed + m.failed}`,
          );
        }),
      ),
    );
  };
  const timer = setInterval(() => {
    if (!element.isConnected) return clearInterval(timer);
    void load();
  }, 5000);
  void load();
  return element;
}
