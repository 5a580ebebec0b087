import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';

const ROOT = resolve(import.meta.dirname, '../..');

it('docs/api.md names every route of the OpenAPI document, and the README links it', async () => {
  const doc = await readFile(resolve(ROOT, 'docs/api.md'), 'utf8');
  const routes = Object.entries(openApiDocument.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
  expect(routes.length).toBeGreaterThan(20);
  const missing = routes.filter((route) => !doc.includes(`\`${route}\``));
  expect(missing, 'routes to document in docs/api.md').toEqual([]);
  expect(await readFile(resolve(ROOT, 'README.md'), 'utf8')).toContain('(docs/api.md)');
});
