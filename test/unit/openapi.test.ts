import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { parseConfig } from '../../src/config.js';
import type { Services } from '../../src/core/context.js';

describe('OpenAPI document', () => {
  it('describes exactly the routes the app serves', () => {
    // Only the route table is read: building the app needs the config, nothing else of the services.
    const app = createApp({ config: parseConfig({}) } as Services, { workerRunning: () => null });
    const served = new Set(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)(\{[^/]*\})?/g, '{$1}')}`),
    );
    const documented = new Set(Object.entries(openApiDocument.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`)));
    // Segmind's generic path parameter is named {model} in the document.
    expect([...served].sort()).toEqual([...documented].sort());
  });
});
