import { api, explain } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';

/** What every console view gets: the admin key's API calls, and one place to report results and errors. */
export interface Console {
  call<T = Record<string, unknown>>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** Runs an action, reporting its error (or `done`) in the status line; returns undefined on error. */
  act<T>(what: () => Promise<T>, done?: string): Promise<T | undefined>;
  go(hash: string): void;
}

export function consoleContext(key: string, status: HTMLElement): Console {
  return {
    call: (path, init) => api(key, path, init),
    async act(what, done) {
      try {
        const result = await what();
        replace(status, done ? h('p', { class: 'hint' }, done) : '');
        return result;
      } catch (err) {
        replace(status, h('p', { class: 'error', 'data-testid': 'console-error' }, explain(err)));
        return undefined;
      }
    },
    go(hash) {
      location.hash = hash;
    },
  };
}
