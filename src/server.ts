import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './api/app.js';
import { DiskBlobStore } from './blobs/disk.js';
import { defaultConcurrency, type Config } from './config.js';
import { bootstrapAdmin, type CreatedKey } from './core/api-keys.js';
import type { Services } from './core/context.js';
import { createEngines } from './engines/registry.js';
import { createLogger, type Logger } from './logger.js';
import { LocalNotifier } from './notify/notifier.js';
import { startSweeper } from './retention/sweeper.js';
import { openSqliteStore } from './store/sqlite/open-sqlite.js';
import { Worker } from './worker/worker.js';

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  worker: Worker | undefined;
  /** The admin key created on first start (shown once), if this start created it. */
  bootstrapKey: CreatedKey | undefined;
  close(): Promise<void>;
}

/** Opens the embedded store and blob directory under the data dir (the zero-config default). */
export async function openServices(config: Config, log: Logger): Promise<Services> {
  const dataDir = resolve(config.dataDir);
  const store = await openSqliteStore(join(dataDir, 'reelay.db'));
  const fileSigningSecret = await store.getOrCreateSetting('file_signing_secret', () => randomBytes(32).toString('base64url'));
  return { config, store, blobs: new DiskBlobStore(join(dataDir, 'blobs')), notifier: new LocalNotifier(), log, fileSigningSecret };
}

/** `reelay serve`: the api and, unless disabled, a worker and the retention sweeper in one process. */
export async function startServer(config: Config, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const services = await openServices(config, log);
  const bootstrapKey = await bootstrapAdmin(services.store, { key: config.bootstrapKey, credits: config.bootstrapCredits });
  const worker = config.worker.enabled
    ? new Worker(services, await createEngines(config), config.worker.concurrency ?? defaultConcurrency())
    : undefined;
  worker?.start();
  const stopSweeper = startSweeper(services);
  const app = createApp(services, { workerRunning: () => (worker ? worker.isRunning : null) });

  const server: ServerType = await new Promise((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolveServer(s));
    s.once('error', reject);
  });
  // A sync call may legitimately wait sync_timeout for its video; Node's default 300 s request timeout would cut it.
  if ('requestTimeout' in server) server.requestTimeout = config.syncTimeout + 60_000;
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  log.info({ port, host: config.host, worker: Boolean(worker) }, 'reelay listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      await worker?.stop();
      // Sync waiters have been answered or will re-poll with v2; do not let them hold the shutdown.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await stopSweeper();
      await services.store.close();
    })());
  return { url: `http://${host}:${port}`, port, services, worker, bootstrapKey, close };
}
