import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from './store/store.js';

/** Seconds, from a fast status read to a long-poll or a synchronous render. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 600];
/** Seconds a request waits in the queue, from submit to a worker's claim. */
const QUEUE_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];

/**
 * Prometheus metrics of one process, served at /metrics. Names follow Prometheus conventions
 * (`_seconds`, `_bytes`, `_total`). Gauges about the shared queue, the webhook outbox and the
 * credit ledger are read from the store at scrape time, so every process reports the same
 * installation-wide value (aggregate them with max(), not sum()).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly finished: Counter<'model' | 'engine' | 'status' | 'code'>;
  readonly renderSeconds: Histogram<'model' | 'engine'>;
  readonly httpSeconds: Histogram<'method' | 'route' | 'status'>;
  readonly httpResponseBytes: Counter<'route'>;
  readonly httpInFlight: Gauge;
  readonly rateLimited: Counter<'class'>;
  readonly webhookDeliveries: Counter<'outcome'>;
  readonly engineAttempts: Counter<'engine' | 'outcome'>;
  readonly queueWaitSeconds: Histogram<'model' | 'engine'>;

  constructor(store: Store) {
    collectDefaultMetrics({ register: this.registry, prefix: 'reelay_process_' });
    const registers = [this.registry];
    this.finished = new Counter({
      name: 'reelay_requests_finished_total',
      help: 'Requests this process finished, by outcome',
      labelNames: ['model', 'engine', 'status', 'code'],
      registers,
    });
    this.renderSeconds = new Histogram({
      name: 'reelay_render_seconds',
      help: 'Engine run time of completed attempts',
      labelNames: ['model', 'engine'],
      buckets: [0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 600],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: 'reelay_http_request_duration_seconds',
      help: 'HTTP requests answered by this process, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.httpResponseBytes = new Counter({
      name: 'reelay_http_response_bytes_total',
      help: 'Bytes of response bodies with a known length, by route pattern',
      labelNames: ['route'],
      registers,
    });
    this.httpInFlight = new Gauge({ name: 'reelay_http_requests_in_flight', help: 'HTTP requests this process is handling now', registers });
    this.rateLimited = new Counter({
      name: 'reelay_rate_limit_rejections_total',
      help: 'Calls refused with 429 by the per-key rate limit, by class (submit, poll)',
      labelNames: ['class'],
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'reelay_webhook_deliveries_total',
      help: 'Webhook delivery attempts this process made, by outcome (delivered, retry, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.engineAttempts = new Counter({
      name: 'reelay_engine_attempts_total',
      help: 'Engine attempts this process ran, by outcome (completed, failed, retried, released, timeout, stopped)',
      labelNames: ['engine', 'outcome'],
      registers,
    });
    this.queueWaitSeconds = new Histogram({
      name: 'reelay_queue_wait_seconds',
      help: 'Time from submit to a worker claiming the request (each claim, retries included)',
      labelNames: ['model', 'engine'],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    const fromStore = (name: string, help: string, read: () => Promise<number>): void => {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set(await read());
        },
      });
    };
    fromStore('reelay_queue_depth', 'Requests waiting for a worker (QUEUED), across all processes', () => store.queuedCount());
    fromStore('reelay_processing', 'Requests being rendered (PROCESSING), across all processes', () => store.processingCount());
    fromStore('reelay_webhook_backlog', 'Webhook deliveries not yet delivered nor given up (pending), across all processes', () => store.pendingWebhookCount());
    // Counters by meaning (they only grow: the ledger is append-only) but read from the ledger, so
    // they are exact across processes and restarts.
    for (const kind of ['charged', 'refunded'] as const) {
      new Counter({
        name: `reelay_credits_${kind}_total`,
        help: `Credits ${kind} for requests, from the ledger, across all processes`,
        registers,
        async collect() {
          this.reset();
          this.inc((await store.creditTotals())[kind]);
        },
      });
    }
  }
}
