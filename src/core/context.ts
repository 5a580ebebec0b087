import type { Config } from '../config.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Logger } from '../logger.js';
import type { Notifier } from '../notify/notifier.js';
import type { Store } from '../store/store.js';
import type { Metrics } from '../metrics.js';

/** The long-lived parts every layer needs, built once at start (src/server.ts) and passed down. */
export interface Services {
  config: Config;
  store: Store;
  blobs: BlobStore;
  notifier: Notifier;
  log: Logger;
  /** Secret for signing output file URLs; shared through the store so every api process agrees. */
  fileSigningSecret: string;
  metrics: Metrics;
  /** Closes the store and the notifier's connections. */
  close(): Promise<void>;
}
