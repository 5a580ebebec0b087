import { loadConfig } from '../config.js';
import { describeAdminError, httpAdmin, localAdmin } from './admin-client.js';
import { CLIENT_COMMANDS, runClientCommand } from './client/index.js';
import { adminOp, parseAdminArgs } from './admin-commands.js';
import { HELP } from './help.js';
import { migrateCommand, serveCommand } from './serve.js';
import { UsageError } from './usage-error.js';

export { HELP };

export async function runCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [command, ...rest] = argv;
  // Client commands come first: they have their own `reelay <command> --help` pages.
  if (command !== undefined && (CLIENT_COMMANDS as readonly string[]).includes(command)) return runClientCommand(command, rest, env);
  if (rest.includes('--help') || rest.includes('-h')) return void process.stdout.write(HELP);
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    case 'serve':
    case 'api':
    case 'worker':
      return serveCommand(loadConfig(env), command);
    case 'migrate':
      return migrateCommand(loadConfig(env));
    case 'accounts':
    case 'keys':
    case 'credits':
      return adminCommand(command, rest, env);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/**
 * Admin commands run over HTTP when a server is named (--server / REELAY_SERVER, with an admin key
 * in --key / REELAY_API_KEY), and otherwise directly on the local data dir.
 */
async function adminCommand(group: string, argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [verb, ...rest] = argv;
  const args = parseAdminArgs(rest);
  const op = adminOp(group, verb, args);
  const server = args.values.server ?? env.REELAY_SERVER;
  const key = args.values.key ?? env.REELAY_API_KEY;
  if (server && !key) throw new UsageError('talking to a server needs an admin key: --key or REELAY_API_KEY');
  const client = server && key ? httpAdmin(server, key) : await localAdmin(loadConfig(env));
  try {
    const result = await client.run(op);
    if (group === 'keys' && verb === 'create') {
      process.stdout.write(`${String(result.key)}\n(key ${String(result.id)}, scopes ${(result.scopes as string[]).join(',')}; shown once, store it now)\n`);
    } else {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    }
  } catch (err) {
    const described = describeAdminError(err);
    if (!described) throw err;
    process.stderr.write(`${described}\n`);
    process.exitCode = 1;
  } finally {
    await client.close();
  }
}
