import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { keysCreate } from './keys.js';
import { serveCommand } from './serve.js';
import { UsageError } from './usage-error.js';

export const HELP = `Usage: reelay <command> [options]

Commands:
  serve                 Start the API server with an in-process worker (SQLite + local disk + motion engine).
                        On first start, creates an admin API key and prints it once.
  keys create           Create an API key in the local data dir and print it once.
      --label TEXT        a note to recognise the key by
      --scopes LIST       comma-separated: generate,read,admin (default: generate,read)
      --account NAME      account id or name; created if it does not exist (default: the admin account)
  help                  Show this help.

Settings (environment, or reelay.config.json / REELAY_CONFIG):
  REELAY_PORT (or PORT)   port to listen on (default 8080)
  REELAY_HOST             address to bind (default 0.0.0.0)
  REELAY_DATA_DIR         where the database and files live (default ./data)
  REELAY_PUBLIC_URL       base of the URLs handed to clients (default: from the request's Host)
  REELAY_BOOTSTRAP_KEY    on first start, use this string as the admin key instead of a generated one
  REELAY_RETENTION        how long results are kept, e.g. 1h, 30m (default 1h)
  REELAY_SYNC_TIMEOUT     how long POST /v1 waits for the video (default 600s)
  REELAY_EMULATOR_FAULTS  true to honour the x-reelay-fault header (default false)
  REELAY_WORKER_CONCURRENCY  renders at once (default: cores / 2)
  REELAY_IMAGE_ALLOW_LIST comma-separated CIDRs or hosts that image URLs may reach despite the private-address guard
  REELAY_LOG_LEVEL        fatal|error|warn|info|debug|trace|silent (default info)
`;

export async function runCommand(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    case 'serve':
      if (rest.includes('--help')) return void process.stdout.write(HELP);
      return serveCommand(loadConfig());
    case 'keys':
      return keysCommand(rest);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function keysCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new UsageError(`unknown keys command "${sub ?? ''}" (try "reelay keys create")`);
  const { values } = parseArgs({
    args: rest,
    options: { label: { type: 'string' }, scopes: { type: 'string' }, account: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return void process.stdout.write(HELP);
  await keysCreate(loadConfig(), { label: values.label, scopes: values.scopes, account: values.account });
}
