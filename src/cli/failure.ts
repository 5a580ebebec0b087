import { ConfigError } from '../config.js';
import { StartupError } from '../startup-error.js';
import { CommandError } from './command-error.js';
import { UsageError } from './usage-error.js';

/**
 * What a failed command prints: one line saying what is wrong and one hint saying what to do,
 * never the whole help or a stack trace (REELAY_DEBUG=1 adds the stack for bug reports). With
 * --json the same goes to stdout as `{"error", "hint"}` for scripts. Returns the exit code:
 * 2 for a command line or setting to fix, 1 for anything else.
 */
export function reportFailure(err: unknown, argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const [command] = argv;
  let hint: string;
  let code = 1;
  if (err instanceof UsageError) {
    code = 2;
    const about = err.command ?? (command && !command.startsWith('-') && err.message.startsWith('unknown command') ? undefined : command);
    hint = about ? `Run "reelay ${about} --help" for its usage.` : 'Run "reelay --help" to see the commands.';
  } else if (err instanceof ConfigError) {
    code = 2;
    hint = 'Fix the setting named above (environment or reelay.config.json); "reelay --help" lists them, "reelay doctor" checks them.';
  } else if (err instanceof CommandError) {
    hint = err.hint;
  } else if (err instanceof StartupError) {
    // Its message already says what to change (another port, a permission): one line, nothing to add.
    hint = '';
  } else {
    hint = env.REELAY_DEBUG ? '' : 'This looks like a bug; run again with REELAY_DEBUG=1 to see where it happened.';
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`reelay: ${message}\n${hint ? `${hint}\n` : ''}`);
  if (env.REELAY_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: message, hint })}\n`);
  return code;
}
