import { EventEmitter } from 'node:events';

/**
 * Tells interested parties that something changed: workers that new work arrived, waiters that a
 * request moved. The store is the truth; a notification only says "look again", so a missed one
 * costs latency (the safety-net poll), never correctness. In-process here; the PostgreSQL backend
 * adds LISTEN/NOTIFY behind the same interface.
 */
export interface Notifier {
  workAvailable(): void;
  onWorkAvailable(listener: () => void): () => void;
  requestChanged(id: string): void;
  onRequestChanged(id: string, listener: () => void): () => void;
}

export class LocalNotifier implements Notifier {
  private readonly events = new EventEmitter();

  constructor() {
    // Many clients may wait on requests at once; this is not a leak.
    this.events.setMaxListeners(0);
  }

  workAvailable(): void {
    this.events.emit('work');
  }

  onWorkAvailable(listener: () => void): () => void {
    this.events.on('work', listener);
    return () => this.events.off('work', listener);
  }

  requestChanged(id: string): void {
    this.events.emit(`request:${id}`);
  }

  onRequestChanged(id: string, listener: () => void): () => void {
    const name = `request:${id}`;
    this.events.on(name, listener);
    return () => this.events.off(name, listener);
  }
}
