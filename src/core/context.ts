import type { Config } from '../config.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Logger } from '../logger.js';
import type { Notifier } from '../notify/notifier.js';
import type { Store } from '../store/store.js';
import type { Metrics } from '../metrics.js';
import type { RequestRecord } from './types.js';

/**
 * Makes the absolute URL a client downloads a finished request's video from, for the API's answers
 * and webhook bodies alike. `base` is the public base of the server (docs/api.md §4); a presigned URL ignores it.
 * Wired from the API layer, which owns the file URL's shape.
 */
export type OutputUrlBuilder = (request: Pick<RequestRecord, 'id' | 'outputKey' | 'expiresAt'>, base: string) => Promise<string>;

/** The long-lived parts every layer needs, built once at start (src/server.ts) and passed down. */
export interface Services {
  config: Config;
  store: Store;
  blobs: BlobStore;
  notifier: Notifier;
  log: Logger;
  /** Secret for signing output file URLs; shared through the store so every api process agrees. */
  fileSigningSecret: string;
  /** The output URL of a finished request; see OutputUrlBuilder. */
  outputUrl: OutputUrlBuilder;
  metrics: Metrics;
  /** Closes the store and the notifier's connections. */
  close(): Promise<void>;
}
