import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createApp, createHealthApp } from './api/app.js';
import { answerMalformedRequests, unusableRequest } from './api/malformed-http.js';
import type { Config } from './config.js';
import { bootstrapAdmin, type CreatedKey } from './core/api-keys.js';
import type { Services } from './core/context.js';
import { createEngines } from './engines/registry.js';
import { createLogger, type Logger } from './logger.js';
import { startSweeper } from './retention/sweeper.js';
import { openServices } from './open-services.js';
import { StartupError } from './startup-error.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
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

/**
 * What a process does. `serve`: the API plus a worker (unless `worker.enabled` is false) in one
 * process, the embedded default. `api`: HTTP only. `worker`: claims and runs work, and serves only
 * /healthz, /readyz and /metrics on its port. Any number of api and worker processes can share
 * one PostgreSQL database.
 */
export type Role = 'serve' | 'api' | 'worker';

export { StartupError } from './startup-error.js';

/**
 * Listens with Hono's Node adapter, built by hand rather than with `serve()` because only the
 * request listener takes an `errorHandler`: requests the adapter cannot turn into a `Request`
 * must get a JSON error like every other.
 */
async function listen(fetch: (req: Request) => Response | Promise<Response>, config: Config, log: Logger): Promise<HttpServer> {
  const server = createHttpServer(getRequestListener(fetch, { hostname: config.host, errorHandler: unusableRequest(log) }));
  return new Promise((resolveServer, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${config.host}:${config.port}`;
      if (err.code === 'EADDRINUSE')
        reject(new StartupError(`port ${where} is already in use; stop the other process or choose another port (REELAY_PORT)`, { cause: err }));
      else if (err.code === 'EACCES') reject(new StartupError(`not allowed to listen on ${where}; choose a port above 1023 (REELAY_PORT)`, { cause: err }));
      else if (err.code === 'EADDRNOTAVAIL')
        reject(new StartupError(`cannot listen on ${where}: no such address on this machine (REELAY_HOST)`, { cause: err }));
      else reject(err);
    });
    server.listen(config.port, config.host, () => resolveServer(server));
  });
}

async function createWorker(services: Services, config: Config): Promise<Worker> {
  const { engines, limits } = await createEngines(config, services.log);
  return new Worker(services, engines, limits);
}

export async function startServer(config: Config, log: Logger = createLogger(config.logLevel), role: Role = 'serve'): Promise<RunningServer> {
  const services = await openServices(config, log);
  const hasApi = role !== 'worker';
  const hasWorker = role === 'worker' || (role === 'serve' && config.worker.enabled);
  // Before listening, so the first call that reaches the port finds the admin key (it does not touch the queue).
  const bootstrapKey = hasApi ? await bootstrapAdmin(services.store, { key: config.bootstrapKey, credits: config.bootstrapCredits }) : undefined;
  // Made (engines loaded) now, started only once the port is ours.
  const worker = hasWorker ? await createWorker(services, config) : undefined;
  const readiness = { workerRunning: () => (worker ? worker.isRunning : null), engines: () => worker?.engineReadiness() ?? Promise.resolve({}) };
  const app = hasApi ? createApp(services, readiness) : createHealthApp(services, readiness);

  // Bind before anything touches the queue: a start that cannot listen (port taken) must fail
  // without claiming work, or its claimed requests would sit PROCESSING until their leases ran out.
  let server: HttpServer;
  try {
    server = await listen(app.fetch, config, log);
  } catch (err) {
    await services.close();
    throw err;
  }
  // After listening, a server error (EMFILE on accept, say) is logged; it must not end the process.
  server.on('error', (err) => log.error({ err }, 'HTTP server error'));
  answerMalformedRequests(server, log);
  // A sync call may legitimately wait sync_timeout for its video; Node's default 300 s request timeout would cut it.
  server.requestTimeout = config.syncTimeout + 60_000;

  worker?.start();
  // Sweeping is idempotent (blobs and rows deleted by id) and deliveries are leased row by row,
  // so both may run in every process that does background work.
  const background = hasWorker || role === 'serve';
  const stopSweeper = background ? startSweeper(services) : async () => {};
  const webhooks = background ? new WebhookDispatcher(services) : undefined;
  webhooks?.start();
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  log.info({ port, host: config.host, role, worker: Boolean(worker) }, 'reelay listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      await worker?.stop();
      // Sync waiters have been answered or will re-poll with v2; do not let them hold the shutdown.
      server.closeAllConnections();
      await closed;
      await webhooks?.stop();
      await stopSweeper();
      await services.close();
    })());
  return { url: `http://${host}:${port}`, port, services, worker, bootstrapKey, close };
}
