import { EngineError } from '../engine.js';
import type { Logger } from '../../logger.js';
import { ComfyClient, type ServerConfig } from './client.js';

interface Member {
  client: ComfyClient;
  busy: number;
  healthy: boolean;
}

/** A server lent to one attempt; `release` gives its slot back. */
export interface Lease {
  client: ComfyClient;
  release(): void;
}

/**
 * The ComfyUI servers of one engine. Each gets at most its `concurrency` prompts at once (one
 * per GPU is ComfyUI's norm), so the rest wait in Reelay's durable queue, not in ComfyUI's memory:
 * the worker claims at most the pool's total capacity. A server that fails a call or a health
 * probe is taken out until a probe answers again.
 */
export class ServerPool {
  private readonly members: Member[];
  private waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  /** Called when a server comes back, so checks that depend on it (object_info) can run again. */
  onRecovered: ((client: ComfyClient) => void) | undefined;

  constructor(
    servers: ServerConfig[],
    callTimeoutMs: number,
    private readonly log: Logger,
  ) {
    this.members = servers.map((s) => ({ client: new ComfyClient(s, callTimeoutMs), busy: 0, healthy: true }));
  }

  get capacity(): number {
    return this.members.reduce((n, m) => n + m.client.server.concurrency, 0);
  }

  get clients(): ComfyClient[] {
    return this.members.map((m) => m.client);
  }

  healthOf(client: ComfyClient): boolean {
    return this.members.find((m) => m.client === client)?.healthy ?? false;
  }

  /**
   * A healthy server with a free slot, least busy first, never `avoid` when another will do (a
   * retry after a failure goes elsewhere). Waits while all healthy servers are busy; with none
   * healthy the attempt fails as upstream_unavailable, so the worker retries it later.
   */
  async acquire(signal: AbortSignal, allowed: (c: ComfyClient) => boolean = () => true): Promise<Lease> {
    for (;;) {
      signal.throwIfAborted();
      const candidates = this.members.filter((m) => m.healthy && allowed(m.client));
      if (candidates.length === 0) {
        throw new EngineError('upstream_unavailable', `no ComfyUI server is reachable (${this.members.map((m) => m.client.base).join(', ')})`);
      }
      const free = candidates
        .filter((m) => m.busy < m.client.server.concurrency)
        .sort((a, b) => a.busy / a.client.server.concurrency - b.busy / b.client.server.concurrency);
      const member = free[0];
      if (member) {
        member.busy++;
        let released = false;
        return {
          client: member.client,
          release: () => {
            if (released) return;
            released = true;
            member.busy--;
            this.wakeAll();
          },
        };
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.push(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** A call to this server failed at the network level: out until a probe answers. */
  markDown(client: ComfyClient, why: string): void {
    const m = this.members.find((x) => x.client === client);
    if (!m || !m.healthy) return;
    m.healthy = false;
    this.log.warn({ server: client.base, why }, 'ComfyUI server taken out of the pool');
    this.wakeAll();
  }

  /** Probes every server now; returns once all have answered or failed. */
  async probe(): Promise<void> {
    await Promise.all(
      this.members.map(async (m) => {
        const ok = await m.client.ping(AbortSignal.timeout(5_000)).then(
          () => true,
          () => false,
        );
        if (ok && !m.healthy) {
          m.healthy = true;
          this.log.info({ server: m.client.base }, 'ComfyUI server back in the pool');
          this.onRecovered?.(m.client);
          this.wakeAll();
        } else if (!ok && m.healthy) this.markDown(m.client, 'health check failed');
      }),
    );
  }

  startHealthChecks(intervalMs: number): void {
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => void this.probe(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
