#!/usr/bin/env node
import { ConfigError } from '../config.js';
import { StartupError } from '../server.js';
import { HELP, runCommand } from './commands.js';
import { UsageError } from './usage-error.js';

try {
  await runCommand(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError || err instanceof UsageError) {
    process.stderr.write(`reelay: ${err.message}\n`);
    if (err instanceof UsageError) process.stderr.write(`\n${HELP}`);
    process.exitCode = 2;
  } else if (err instanceof StartupError) {
    process.stderr.write(`reelay: ${err.message}\n`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
