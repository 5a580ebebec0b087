import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from './store/store.js';

/**
 * Prometheus metrics of one process, served at /metrics. Queue depth is read from the store at
 * scrape time, so every process reports the shared queue, not a local guess.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly finished: Counter<'model' | 'engine' | 'status' | 'code'>;
  readonly renderSeconds: Histogram<'model' | 'engine'>;

  constructor(store: Store) {
    collectDefaultMetrics({ register: this.registry, prefix: 'reelay_process_' });
    this.finished = new Counter({
      name: 'reelay_requests_finished_total',
      help: 'Requests this process finished, by outcome',
      labelNames: ['model', 'engine', 'status', 'code'],
      registers: [this.registry],
    });
    this.renderSeconds = new Histogram({
      name: 'reelay_render_seconds',
      help: 'Engine run time of completed attempts',
      labelNames: ['model', 'engine'],
      buckets: [0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 600],
      registers: [this.registry],
    });
    new Gauge({
      name: 'reelay_queue_depth',
      help: 'Requests waiting for a worker (QUEUED), across all processes',
      registers: [this.registry],
      async collect() {
        this.set(await store.queuedCount());
      },
    });
    new Gauge({
      name: 'reelay_processing',
      help: 'Requests being rendered (PROCESSING), across all processes',
      registers: [this.registry],
      async collect() {
        this.set(await store.processingCount());
      },
    });
  }
}
