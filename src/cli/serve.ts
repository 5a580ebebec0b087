import type { Config } from '../config.js';
import { createLogger, silentLogger, type Logger } from '../logger.js';
import { openServices } from '../open-services.js';
import { startServer, type Role } from '../server.js';

/** `reelay migrate`: brings the database schema up to date (opening the store migrates) and exits. */
export async function migrateCommand(config: Config, opts: { json: boolean }): Promise<void> {
  const services = await openServices(config, silentLogger(), { listen: false });
  await services.close();
  const database = config.databaseUrl ? 'PostgreSQL' : 'SQLite';
  process.stdout.write(
    opts.json ? `${JSON.stringify({ status: 'up_to_date', database: database.toLowerCase() })}\n` : `Database is up to date (${database}).\n`,
  );
}

/** `reelay serve|api|worker`: runs until SIGTERM/SIGINT, then drains the worker and exits. */
export async function serveCommand(config: Config, role: Role, opts: { json: boolean } = { json: false }): Promise<void> {
  const log = createLogger(config.logLevel);
  exitOnUncaught(log, role);
  const server = await startServer(config, log, role);
  const base = (config.publicUrl ?? server.url).replace(/\/+$/, '');
  if (opts.json) {
    const key = server.bootstrapKey && !config.bootstrapKey ? { admin_key: server.bootstrapKey.key } : {};
    process.stdout.write(`${JSON.stringify({ status: 'listening', role, url: base, ...key })}\n`);
  } else if (server.bootstrapKey) {
    process.stdout.write(firstStartBanner(base, server.bootstrapKey.key, Boolean(config.bootstrapKey)));
  } else {
    const what = role === 'worker' ? 'worker (health on' : role === 'api' ? 'api (no worker) on' : 'listening on';
    process.stdout.write(`Reelay ${what} ${base}${role === 'worker' ? ')' : ''}. Stop with Ctrl-C.\n`);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    if (!opts.json) process.stdout.write(`\n${signal}: finishing running work (up to ${config.worker.shutdownGrace / 1000}s), then exiting.\n`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * The last resort, never the handling itself: an error nothing caught means a bug, and a process
 * in an unknown state must not keep taking work. Log it at fatal level and exit non-zero so a
 * supervisor restarts it; leases and the durable queue hand its work to the next worker.
 */
function exitOnUncaught(log: Logger, role: Role): void {
  const die = (kind: string) => (err: unknown) => {
    log.fatal({ err, role, pid: process.pid }, `${kind}: exiting so a supervisor restarts this process`);
    process.exit(70); // EX_SOFTWARE
  };
  process.on('uncaughtException', die('uncaught exception'));
  process.on('unhandledRejection', die('unhandled promise rejection'));
}

function firstStartBanner(base: string, key: string, fromEnv: boolean): string {
  const keyLine = fromEnv
    ? 'Admin API key: the value of REELAY_BOOTSTRAP_KEY'
    : `Admin API key (shown only this once; only its hash is stored):\n\n    ${key}\n`;
  return `
Reelay is running on ${base}, serving veo-2-image2video with the built-in "motion" engine
(smooth camera motion over your image; not a generative model).

${keyLine}
Make your first video:

    curl -X POST ${base}/v1/veo-2-image2video \\
      -H "x-api-key: ${fromEnv ? '$REELAY_BOOTSTRAP_KEY' : key}" -H "Content-Type: application/json" \\
      -d '{"image":"data:image/png;base64,'"$(base64 -w0 your-photo.png)"'","prompt":"slow zoom in","duration":5}' \\
      -o first-video.mp4

Or asynchronously: POST ${base}/v2/veo-2-image2video, then poll the returned status_url.
In a browser: ${base}/ (playground, any key), ${base}/console (operator console, admin key),
${base}/docs (API docs with try-it).
More keys: npm run reelay -- keys create --label my-app
`;
}
