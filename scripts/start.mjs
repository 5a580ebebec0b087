// `npm start` and `npm run reelay`: builds only if the sources changed since the last build
// (normally never: `npm ci` built it), then runs the CLI in this same process.
// `node scripts/start.mjs serve` is `reelay serve`.
import module from 'node:module';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { ensureBuilt } from './build.mjs';

// Node 22.1+ keeps the compiled code of every module it loads on disk (in the OS temp dir) and
// reuses it on the next start; Node 20 has no such cache. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();

try {
  await ensureBuilt();
} catch (err) {
  process.stderr.write(`reelay: ${err.message}\n`);
  process.exit(1);
}
const main = new URL('../dist/src/cli/main.js', import.meta.url);
// The CLI reads its arguments from process.argv, as when started as `reelay ...`.
process.argv = [process.argv[0], fileURLToPath(main), ...process.argv.slice(2)];
await import(main.href);
