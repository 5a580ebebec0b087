import type { Services } from '../core/context.js';

/** Minimum gap between progress writes: enough for live progress, few enough writes for SQLite. */
const PROGRESS_WRITE_MS = 250;

/**
 * Keeps one attempt's lease alive and carries its progress to the store. Writes are serialised
 * (one in flight at a time) so a slow store never builds a queue of stale updates.
 */
export class Heartbeat {
  private progressValue = 0;
  private written = 0;
  private lastWriteAt = 0;
  private inFlight: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly services: Services,
    private readonly requestId: string,
    private readonly workerId: string,
    private readonly onLeaseLost: () => void,
  ) {
    this.timer = setInterval(() => this.write(), services.config.worker.heartbeat);
  }

  progress(percent: number): void {
    const p = Math.max(0, Math.min(99, Math.floor(percent)));
    if (p <= this.progressValue) return;
    this.progressValue = p;
    if (Date.now() - this.lastWriteAt >= PROGRESS_WRITE_MS) this.write();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.inFlight;
  }

  private write(): void {
    if (this.inFlight || this.stopped) return;
    const { store, config, notifier, log } = this.services;
    const value = this.progressValue;
    this.lastWriteAt = Date.now();
    this.inFlight = store
      .heartbeat(this.requestId, this.workerId, Date.now(), config.worker.lease, value)
      .then((ok) => {
        if (!ok) return this.onLeaseLost();
        if (value !== this.written) notifier.requestChanged(this.requestId);
        this.written = value;
      })
      .catch((err: unknown) => log.warn({ err, requestId: this.requestId }, 'heartbeat failed'))
      .finally(() => {
        this.inFlight = undefined;
      });
  }
}
