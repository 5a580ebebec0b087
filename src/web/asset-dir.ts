import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build:web` writes the pages' scripts and styles: `dist/web` under the project
 * root. The root is found by walking up to Reelay's package.json, so the same answer holds when
 * this module runs from `src/` (tests, tsx) or from `dist/src/` (npm start).
 */
export function webAssetDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'reelay') return join(dir, 'dist', 'web');
    if (dirname(dir) === dir) return join(from, 'web');
  }
}
