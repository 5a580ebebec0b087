#!/usr/bin/env node
import { runCommand } from './commands.js';
import { reportFailure } from './failure.js';

const argv = process.argv.slice(2);
try {
  await runCommand(argv);
} catch (err) {
  process.exitCode = reportFailure(err, argv);
}
