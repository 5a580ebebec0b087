import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { Notifier } from './notifier.js';

const RECONNECT_MS = 1_000;

/**
 * Notifications across processes with PostgreSQL LISTEN/NOTIFY: a dedicated connection listens,
 * every process sends with NOTIFY. Channels carry the schema name so several Reelay installations
 * (or test runs) on one database do not wake each other. If the listening connection drops, it is
 * re-opened; notifications missed meanwhile only cost latency, because waiters also poll.
 */
export class PgNotifier implements Notifier {
  private readonly events = new EventEmitter();
  private readonly workChannel: string;
  private readonly requestChannel: string;
  private listener: pg.Client | undefined;
  private closed = false;
  private readonly applicationName: string;

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    schema: string,
    private readonly log: Logger,
  ) {
    this.events.setMaxListeners(0);
    this.applicationName = `reelay_${schema}`;
    this.workChannel = `reelay_work_${schema}`;
    this.requestChannel = `reelay_request_${schema}`;
  }

  /** Opens the listening connection; resolves once LISTEN is in place. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: this.applicationName });
    client.on('notification', (msg) => {
      if (msg.channel === this.workChannel) this.events.emit('work');
      else if (msg.channel === this.requestChannel && msg.payload) this.events.emit(`request:${msg.payload}`);
    });
    client.on('error', (err) => this.log.warn({ err }, 'notification connection error'));
    client.on('end', () => {
      if (this.closed) return;
      this.log.warn('notification connection lost; reconnecting');
      setTimeout(() => this.reconnect(), RECONNECT_MS).unref();
    });
    await client.connect();
    await client.query(`listen "${this.workChannel}"`);
    await client.query(`listen "${this.requestChannel}"`);
    this.listener = client;
    // Anything that changed while we were not listening is picked up by the waiters' safety polls;
    // wake the local ones now so they look at once.
    this.events.emit('work');
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => {});
  }

  workAvailable(): void {
    this.events.emit('work');
    this.send(this.workChannel, '');
  }

  onWorkAvailable(listener: () => void): () => void {
    this.events.on('work', listener);
    return () => this.events.off('work', listener);
  }

  requestChanged(id: string): void {
    this.events.emit(`request:${id}`);
    this.send(this.requestChannel, id);
  }

  onRequestChanged(id: string, listener: () => void): () => void {
    const name = `request:${id}`;
    this.events.on(name, listener);
    return () => this.events.off(name, listener);
  }

  private send(channel: string, payload: string): void {
    this.pool.query('select pg_notify($1, $2)', [channel, payload]).catch((err: unknown) => this.log.warn({ err }, 'NOTIFY failed'));
  }

  private reconnect(): void {
    if (this.closed) return;
    this.start().catch((err: unknown) => {
      this.log.warn({ err }, 'notification reconnect failed; retrying');
      setTimeout(() => this.reconnect(), RECONNECT_MS).unref();
    });
  }
}
