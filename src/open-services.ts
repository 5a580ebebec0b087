import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Config } from './config.js';
import type { BlobStore } from './blobs/blob-store.js';
import { DiskBlobStore } from './blobs/disk.js';
import { createOutputUrlBuilder } from './api/segmind/output-url.js';
import { renderWebhookBody } from './api/webhook-body.js';
import type { Services } from './core/context.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { LocalNotifier, type Notifier } from './notify/notifier.js';
import { openSqliteStore } from './store/sqlite/open-sqlite.js';
import type { Store } from './store/store.js';
import { withKeyCache } from './store/key-cache.js';

/**
 * Opens the store, blob store and notifier the config asks for: the embedded default (SQLite file
 * and files under the data dir, in-process notifications) or the scale-out set (PostgreSQL with
 * LISTEN/NOTIFY). Every process of one installation computes the same services from the same config.
 */
export async function openServices(config: Config, log: Logger, opts: { listen?: boolean } = {}): Promise<Services> {
  const dataDir = resolve(config.dataDir);
  // The front doors' wire formats, chosen here and nowhere else: webhook bodies and output URLs.
  const storeOptions = { renderWebhook: renderWebhookBody };
  let store: Store;
  let notifier: Notifier;
  let closeNotifier = async (): Promise<void> => {};
  if (config.databaseUrl) {
    // The scale-out modules (pg, the AWS SDK) load only when configured: the embedded default
    // starts without parsing them, which is most of a cold start.
    const [{ openPostgres }, { PgNotifier }] = await Promise.all([import('./store/postgres/open-postgres.js'), import('./notify/pg-notifier.js')]);
    const pg = await openPostgres(
      {
        url: config.databaseUrl,
        schema: config.databaseSchema,
        onConnectionError: (err) => log.warn({ err }, 'PostgreSQL connection lost; it is replaced on next use'),
      },
      storeOptions,
    );
    store = pg.store;
    const pgNotifier = new PgNotifier(config.databaseUrl, pg.pool, config.databaseSchema, log);
    // One-shot commands (the CLI) send notifications but need no listening connection.
    if (opts.listen !== false) await pgNotifier.start();
    notifier = pgNotifier;
    closeNotifier = () => pgNotifier.close();
  } else {
    store = await openSqliteStore(join(dataDir, 'reelay.db'), storeOptions);
    notifier = new LocalNotifier();
  }
  // Every call authenticates: key lookups are reused for up to a second (see key-cache.ts).
  store = withKeyCache(store);
  const blobs: BlobStore = config.s3 ? new (await import('./blobs/s3.js')).S3BlobStore(config.s3) : new DiskBlobStore(join(dataDir, 'blobs'));
  const fileSigningSecret = await store.getOrCreateSetting('file_signing_secret', () => randomBytes(32).toString('base64url'));
  return {
    config,
    store,
    blobs,
    notifier,
    log,
    fileSigningSecret,
    outputUrl: createOutputUrlBuilder({ mode: config.outputUrls, blobs, fileSigningSecret }),
    metrics: new Metrics(store),
    async close() {
      await closeNotifier();
      await store.close();
      blobs.destroy?.();
    },
  };
}
