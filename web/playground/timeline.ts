import { ConnectionError, InferenceFailed, Reelay, type CompletedResult, type StatusBody } from '@reelay/sdk';
import { api, explain } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';

/** The plain label the issue asks for when the result is camera motion rather than generated video. */
export const MOTION_LABEL = 'camera motion, not a generative model';

export interface TimelineOptions {
  key: string;
  requestId: string;
  /** Called once the request has finished, either way (the history refreshes). */
  onFinished(): void;
}

/**
 * The live timeline of one request: queued (position, ETA) → processing (progress bar) → the
 * video, or the failure. It follows Server-Sent Events through the SDK (long-poll when the stream
 * is refused); when the network drops it says so, and resumes as soon as the server answers.
 */
export function timeline(opts: TimelineOptions): HTMLElement {
  const client = new Reelay({ apiKey: opts.key, baseUrl: location.origin, maxRetries: 1 });
  const job = client.job(opts.requestId);
  const state = h('p', { class: 'state', 'aria-live': 'polite', 'data-testid': 'timeline-state' }, 'Submitted…');
  const bar = h('progress', { max: 100, value: 0, 'aria-label': 'Progress' });
  const connection = h('p', { class: 'notice', role: 'status' });
  connection.hidden = true;
  const cancelButton = h('button', { type: 'button', class: 'secondary' }, 'Cancel request');
  const outcome = h('div', { class: 'outcome' });
  const element = h(
    'section',
    { class: 'timeline card', 'aria-label': 'Request timeline', 'data-request-id': opts.requestId },
    h('h3', null, 'Request ', h('code', null, opts.requestId)),
    state,
    bar,
    connection,
    cancelButton,
    outcome,
  );
  const stop = new AbortController();
  cancelButton.addEventListener('click', () => {
    cancelButton.disabled = true;
    api(opts.key, `/v2/requests/${encodeURIComponent(opts.requestId)}/cancel`, { method: 'POST' }).catch((err: unknown) => {
      replace(connection, explain(err));
      connection.hidden = false;
      cancelButton.disabled = false;
    });
  });

  const show = (s: StatusBody): void => {
    connection.hidden = true;
    if (s.status === 'QUEUED') {
      const pos = s.queue_position === undefined ? '' : s.queue_position === 0 ? ', next in line' : `, ${s.queue_position} ahead`;
      const eta = s.eta_seconds === undefined ? '' : `, about ${Math.ceil(s.eta_seconds)} s to go`;
      replace(state, `Queued${pos}${eta}`);
    } else if (s.status === 'PROCESSING') {
      const eta = s.eta_seconds === undefined ? '' : `, about ${Math.ceil(s.eta_seconds)} s left`;
      replace(state, `Processing: ${s.progress ?? 0}%${eta}`);
    }
    bar.value = s.progress ?? 0;
  };

  const follow = async (): Promise<void> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await job.wait({ onProgress: show, signal: stop.signal });
        finished(result);
        return;
      } catch (err) {
        if (err instanceof InferenceFailed) return failed(err);
        if (!(err instanceof ConnectionError) && !(err instanceof TypeError)) return failed(err);
        // Network gone: say so, then resume following as soon as the browser is back online.
        replace(connection, 'Connection lost. Reconnecting…');
        connection.hidden = false;
        await waitForNetwork(Math.min(8000, 500 * 2 ** attempt));
      }
    }
  };

  const finished = (r: CompletedResult): void => {
    connection.hidden = true;
    bar.value = 100;
    cancelButton.hidden = true;
    replace(state, 'Completed');
    replace(outcome, completedView(r));
    opts.onFinished();
  };
  const failed = (err: unknown): void => {
    connection.hidden = true;
    cancelButton.hidden = true;
    const code = err instanceof InferenceFailed ? err.code : 'error';
    replace(state, `Failed (${code})`);
    replace(outcome, h('p', { class: 'error', role: 'alert' }, err instanceof InferenceFailed ? err.message : explain(err)));
    opts.onFinished();
  };
  void follow();
  return element;
}

function waitForNetwork(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener('online', done);
  });
}

function completedView(r: CompletedResult): HTMLElement {
  const video = h('video', { src: r.output, controls: true, muted: true, autoplay: true, loop: true, playsinline: true, 'data-testid': 'result-video' });
  video.muted = true; // the attribute alone does not unlock autoplay in every browser
  const expiry = h('span', null);
  const tick = (): void => {
    if (!r.expires_at) return replace(expiry, '—');
    const left = Math.max(0, Math.round((Date.parse(r.expires_at) - Date.now()) / 1000));
    replace(expiry, left === 0 ? 'expired' : `${Math.floor(left / 60)} min ${left % 60} s`);
    if (left > 0 && expiry.isConnected) setTimeout(tick, 1000);
  };
  const engine = r.engine === 'motion' ? `motion (${MOTION_LABEL})` : (r.engine ?? 'unknown');
  const view = h(
    'div',
    { class: 'result' },
    video,
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Engine'),
      h('dd', { 'data-testid': 'result-engine' }, engine),
      h('dt', null, 'Seed'),
      h('dd', { 'data-testid': 'result-seed' }, String(r.seed ?? '—')),
      h('dt', null, 'Inference time'),
      h('dd', null, r.metrics?.inference_time === undefined || r.metrics.inference_time === null ? '—' : `${r.metrics.inference_time.toFixed(1)} s`),
      h('dt', null, 'Expires in'),
      h('dd', null, expiry),
    ),
    h('a', { href: r.output, download: `${r.request_id}.mp4`, class: 'button', 'data-testid': 'download' }, 'Download MP4'),
  );
  setTimeout(tick, 0);
  return view;
}
