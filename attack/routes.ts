import { openApiDocument } from '../src/api/openapi.js';
import { MODEL } from './target.js';
import type { World } from './world.js';

/** One documented operation: a path template and its method. */
export interface Route {
  template: string;
  method: string;
  /** Needs a key (or, for /metrics, the metrics token): 401 without one. */
  secured: boolean;
  /** Changes state for the caller's account: a read-only key gets 403. */
  writes: boolean;
  admin: boolean;
}

const WRITE_ROUTES = new Set(['POST /v1/{model}', 'POST /v2/{model}', 'POST /v2/requests/{id}/cancel', 'POST /v2/webhooks/test']);

/** Every route the OpenAPI document lists, so a new route is attacked without touching this suite. */
export function routes(): Route[] {
  const out: Route[] = [];
  for (const [template, ops] of Object.entries(openApiDocument.paths)) {
    for (const [method, op] of Object.entries(ops as Record<string, object>)) {
      const admin = template.startsWith('/admin');
      out.push({
        template,
        method: method.toUpperCase(),
        secured: 'security' in op || admin || template === '/metrics',
        writes: WRITE_ROUTES.has(`${method.toUpperCase()} ${template}`),
        admin: admin || template === '/metrics',
      });
    }
  }
  return out;
}

/** A route's path with real values: the template's parameters filled from the world (or `values`). */
export function fill(template: string, world: World, values: Record<string, string> = {}): string {
  if (template === '/v2/files/{token}/{name}' && values.token === undefined && values.name === undefined) return world.filePath;
  const [, , token = '', name = ''] = world.filePath.split('/').slice(1);
  const defaults: Record<string, string> = {
    model: MODEL,
    id: template.startsWith('/admin/accounts') ? world.cId : world.aRequest,
    keyId: 'key_does_not_exist',
    token,
    name,
  };
  return template.replace(/\{(\w+)\}/g, (_, p: string) => values[p] ?? defaults[p] ?? p);
}

/** A body the route accepts when the caller may call it: the baseline the fuzzer mutates. */
export function validBody(route: Route, world: World): Record<string, unknown> | undefined {
  const image = `data:image/png;base64,${world.png.toString('base64')}`;
  if (route.template.endsWith('/{model}')) return { image, prompt: 'a slow pan', duration: 5, aspect_ratio: '16:9', seed: 7 };
  if (route.template === '/v2/webhooks/test') return { url: 'http://127.0.0.1:9/hook' };
  if (route.template === '/admin/accounts' && route.method === 'POST') return { name: 'fuzz', credits: 10 };
  if (route.template.endsWith('/keys') && route.method === 'POST') return { label: 'fuzz', scopes: ['read'] };
  if (route.template.endsWith('/limits')) return { rpm_limit: 100, inflight_limit: null };
  if (route.template.endsWith('/credits')) return { action: 'grant', amount: 1, reason: 'fuzz' };
  return route.method === 'GET' ? undefined : {};
}
