import type { Services } from '../core/context.js';
import type { WebhookDelivery } from '../store/store.js';
import { nextAttemptDelayMs, shouldGiveUp } from './backoff.js';
import { sendWebhook } from './send.js';
import { generateWebhookSecret } from './signature.js';

/** Deliveries taken per round; each is sent concurrently. */
const BATCH = 20;

/**
 * Sends the webhook outbox: claims due deliveries with a lease (so several processes can run
 * this, each row handled by one at a time), POSTs each signed with its account's secret, and
 * records the attempt with the next retry time (exponential backoff with jitter) or, past the
 * retry window, gives up.
 */
export class WebhookDispatcher {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly services: Services) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** One round: send everything due now. Exposed for tests and for a prompt first round. */
  async deliverDue(now = Date.now()): Promise<number> {
    const { store, config } = this.services;
    const leaseMs = config.webhooks.timeout * 3;
    const due = await store.claimDueDeliveries(now, leaseMs, BATCH);
    await Promise.all(due.map((d) => this.deliver(d)));
    return due.length;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        while (!this.stopped && (await this.deliverDue()) === BATCH);
      } catch (err) {
        this.services.log.error({ err }, 'webhook dispatcher: store error');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.services.config.webhooks.pollInterval);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async deliver(d: WebhookDelivery): Promise<void> {
    const { store, config, log } = this.services;
    const secret = await store.webhookSecret(d.accountId, generateWebhookSecret);
    const outcome = await sendWebhook({
      url: d.url,
      secret,
      msgId: `msg_${d.id}`,
      body: d.payload,
      allowList: config.webhooks.allowList,
      timeoutMs: config.webhooks.timeout,
    });
    const at = Date.now();
    const giveUp = shouldGiveUp(d.createdAt, at, config.webhooks.retryFor);
    await store.recordDeliveryAttempt(d.id, {
      ok: outcome.ok,
      status: outcome.status,
      error: outcome.error,
      at,
      nextAttemptAt: giveUp ? null : at + nextAttemptDelayMs(d.attempts + 1),
    });
    this.services.metrics.webhookDeliveries.inc({ outcome: outcome.ok ? 'delivered' : giveUp ? 'failed' : 'retry' });
    log.info({ requestId: d.requestId, url: d.url, ok: outcome.ok, status: outcome.status, attempt: d.attempts + 1 }, 'webhook attempt');
    this.services.notifier.requestChanged(d.requestId);
  }
}
