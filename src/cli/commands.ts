import { parseArgs } from 'node:util';
import { COMMAND_HELP as CLIENT_COMMAND_HELP } from './client/help.js';
import { SERVER_HELP } from './command-help.js';
import { HELP } from './help.js';
import { UsageError } from './usage-error.js';

export { HELP };

/** The client commands, handled by client/index.ts. */
const CLIENT_COMMANDS = ['generate', 'status', 'wait', 'cancel'];

/** The page `reelay <command> --help` prints; undefined for an unknown command. */
export function commandHelp(command: string): string | undefined {
  return SERVER_HELP[command] ?? CLIENT_COMMAND_HELP[command];
}

/** Flags of the commands that take no options but --json (and --help), strictly parsed. */
function plainFlags(command: string, argv: string[], extra: Record<string, { type: 'boolean' }> = {}) {
  try {
    return parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...extra }, allowPositionals: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), command);
  }
}

/**
 * Runs one command. Modules load per command (dynamic imports), so `reelay status` does not parse
 * the server and `reelay serve` not the client: most of a cold start is module loading.
 */
export async function runCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return void process.stdout.write(HELP);
  if (command === 'help') {
    const page = rest[0] === undefined ? HELP : commandHelp(rest[0]);
    if (!page) throw new UsageError(`unknown command "${rest[0]}"`);
    return void process.stdout.write(page);
  }
  const page = commandHelp(command);
  if (!page) throw new UsageError(`unknown command "${command}"`);
  if (rest.includes('--help') || rest.includes('-h')) return void process.stdout.write(page);
  if (CLIENT_COMMANDS.includes(command)) return (await import('./client/index.js')).runClientCommand(command, rest, env);
  const { loadConfig } = await import('../config.js');
  switch (command) {
    case 'serve':
    case 'api':
    case 'worker': {
      const { values, positionals } = plainFlags(command, rest);
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, command);
      return (await import('./serve.js')).serveCommand(loadConfig(env), command, { json: values.json ?? false });
    }
    case 'migrate':
      return (await import('./serve.js')).migrateCommand(loadConfig(env), { json: plainFlags(command, rest).values.json ?? false });
    case 'backup':
    case 'restore': {
      const { values, positionals } = plainFlags(command, rest, command === 'restore' ? { force: { type: 'boolean' } } : {});
      const file = positionals[0];
      if (!file) throw new UsageError('missing FILE', command);
      const ops = await import('./backup-command.js');
      const opts = { json: values.json ?? false, force: Boolean((values as { force?: boolean }).force) };
      return command === 'backup' ? ops.backupCommand(loadConfig(env), file, opts, env) : ops.restoreCommand(loadConfig(env), file, opts, env);
    }
    case 'doctor':
      return (await import('./doctor-command.js')).doctorCommand(env, { json: plainFlags(command, rest).values.json ?? false });
    default:
      return (await import('./admin-command.js')).adminCommand(command, rest, env);
  }
}
