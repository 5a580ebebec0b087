import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles the pages' TypeScript and CSS into dist/web (what src/web/pages.ts serves). esbuild
 * resolves @reelay/sdk to its TypeScript source, so the playground uses the very client code the
 * SDK ships. Run by `npm run build:web` (part of `npm run build`, hence of `npm start`) and by
 * the test suite's global setup.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_OUT_DIR = join(ROOT, 'dist', 'web');

const ENTRIES = {
  playground: 'web/playground/main.ts',
  console: 'web/console/main.ts',
  docs: 'web/docs/main.ts',
  app: 'web/styles.css',
};

/** Builds every page's bundle; returns the gzipped size of each output file. */
export async function buildWeb(outdir = WEB_OUT_DIR): Promise<Record<string, { bytes: number; gzip: number }>> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    conditions: ['@reelay/source'],
    metafile: true,
    logLevel: 'warning',
  });
  const sizes: Record<string, { bytes: number; gzip: number }> = {};
  for (const file of Object.keys(result.metafile.outputs)) {
    const bytes = await readFile(join(ROOT, file));
    sizes[file] = { bytes: bytes.length, gzip: gzipSync(bytes).length };
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // An output directory may be given (the project's build writes into the dist/ it is about to swap in).
  const sizes = await buildWeb(process.argv[2] ?? WEB_OUT_DIR);
  for (const [file, s] of Object.entries(sizes)) console.log(`${file}: ${s.bytes} bytes, ${s.gzip} gzipped`);
}
