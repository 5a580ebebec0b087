// Runs one client command the way src/cli/main.ts does, for tests that spawn the CLI as a process
// before (and independently of) its wiring into `reelay`: `node --import tsx test/cli/run-client.ts generate ...`.
import { runClientCommand } from '../../src/cli/client/index.js';
import { UsageError } from '../../src/cli/usage-error.js';

const [command = 'help', ...rest] = process.argv.slice(2);
try {
  await runClientCommand(command, rest, process.env);
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`reelay: ${err.message}\n`);
  process.exitCode = 2;
}
