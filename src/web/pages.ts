import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../api/env.js';
import { notFound } from '../errors.js';
import { webAssetDir } from './asset-dir.js';
import { pageCsp } from './csp.js';

/** The three pages: each is a static shell whose script builds the page from the API. */
const PAGES = {
  '/': { title: 'Reelay playground', script: 'playground' },
  '/console': { title: 'Reelay console', script: 'console' },
  '/docs': { title: 'Reelay API docs', script: 'docs' },
} as const;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function shell(title: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/${script}.js"></script>
</head>
<body>
<noscript>This page needs JavaScript. The API itself works without it: see /openapi.json.</noscript>
<div id="app"></div>
</body>
</html>
`;
}

/** The web playground (`/`), the operator console (`/console`) and the API docs (`/docs`), with their built assets. */
export function webRoutes(assetDir = webAssetDir()): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  for (const [path, page] of Object.entries(PAGES)) {
    routes.get(path, (c) => {
      c.header('Content-Security-Policy', pageCsp(c.get('services').config));
      c.header('Cache-Control', 'no-cache');
      return c.html(shell(page.title, page.script));
    });
  }
  routes.get('/assets/:name', (c) => serveAsset(c, assetDir));
  return routes;
}

async function serveAsset(c: Context<AppEnv>, dir: string): Promise<Response> {
  const name = c.req.param('name') ?? '';
  const type = TYPES[extname(name)];
  // Only flat names of built files: no path may leave the asset folder.
  if (!type || !/^[a-z0-9-]+(\.[a-z0-9]+)+$/.test(name)) throw notFound();
  let body: Buffer;
  try {
    body = await readFile(join(dir, name));
  } catch {
    if (name === 'app.css' || name.endsWith('.js')) {
      const hint = `/* Reelay's web assets are not built: run "npm run build:web" (npm start and npm test do it). */`;
      return c.body(hint, 503, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    }
    throw notFound();
  }
  return c.body(new Uint8Array(body), 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
}
