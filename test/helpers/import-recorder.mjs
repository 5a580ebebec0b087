// `node --import ./test/helpers/import-recorder.mjs ...`: appends the URL of every module the
// process imports to the file named by REELAY_IMPORT_LOG, so a test can see which packages a start
// loaded. Plain JavaScript: it runs in a child process before anything could compile TypeScript.
// The same file is the preload (main thread: registers itself) and the resolve hook (hooks thread).
// The hooks see every `import` (how Reelay loads its dependencies), not `require` inside CommonJS.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import process from 'node:process';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.REELAY_IMPORT_LOG) appendFileSync(process.env.REELAY_IMPORT_LOG, `${resolved.url}\n`);
  return resolved;
}
