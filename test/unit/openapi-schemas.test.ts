import { describe, expect, it } from 'vitest';
import { createAccountInput, creditsInput, pageInput } from '../../src/core/admin-schemas.js';
import { videoParamsSchema } from '../../src/core/params.js';
import { parametersJsonSchema } from '../../src/core/params-schema.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { jsonSchema } from '../../src/api/openapi-parts.js';
import { WIRE_SCHEMAS, type WireName } from '../../src/api/openapi-wire.js';
import { checkAnswer } from '../helpers/openapi-check.js';

type Json = Record<string, unknown>;
const doc = JSON.parse(JSON.stringify(openApiDocument)) as { paths: Record<string, Record<string, Json>>; components: { schemas: Json; headers: Json } };
const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
const responses = operations.flatMap(({ path, method, op }) =>
  Object.entries(op.responses as Record<string, Json>).map(([status, r]) => ({ route: `${method.toUpperCase()} ${path} ${status}`, r })),
);

describe('OpenAPI document generated from zod', () => {
  it('names a wire schema for every JSON answer, and each component is that zod schema as JSON Schema', () => {
    const unnamed = responses.filter(({ r }) => {
      const json = (r.content as Record<string, { schema: Json }> | undefined)?.['application/json'];
      return json !== undefined && !String(json.schema.$ref ?? '').startsWith('#/components/schemas/');
    });
    // Only /openapi.json itself answers JSON without a wire schema (it is this document).
    expect(unnamed.map((u) => u.route)).toEqual(['GET /openapi.json 200']);
    for (const name of Object.keys(WIRE_SCHEMAS) as WireName[]) expect(doc.components.schemas[name]).toEqual(jsonSchema(WIRE_SCHEMAS[name]));
  });

  it('every header an answer names is described, and every 429 carries Retry-After', () => {
    for (const { route, r } of responses) {
      for (const h of Object.values((r.headers ?? {}) as Record<string, { $ref: string }>)) {
        expect(doc.components.headers[h.$ref.replace('#/components/headers/', '')], route).toBeDefined();
      }
      if (route.endsWith(' 429')) expect(Object.keys((r.headers ?? {}) as Json), route).toContain('Retry-After');
    }
  });

  it('takes request bodies and queries from the schemas the routes validate with', () => {
    const post = doc.paths['/admin/accounts']!.post as { requestBody: { content: { 'application/json': { schema: Json } } } };
    expect(post.requestBody.content['application/json'].schema).toEqual(jsonSchema(createAccountInput, 'input'));
    const credits = doc.paths['/admin/accounts/{id}/credits']!.post as { requestBody: { content: { 'application/json': { schema: Json } } } };
    expect(credits.requestBody.content['application/json'].schema).toEqual(jsonSchema(creditsInput, 'input'));
    const list = doc.paths['/admin/accounts']!.get as { parameters: Array<{ name: string; schema: Json }> };
    expect(list.parameters.map((p) => p.name)).toEqual(Object.keys(pageInput.shape));
    expect(list.parameters[0]!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200, default: 50 });
    // The submit body is the JSON Schema /v1/models serves for veo-2-image2video, plus the webhook extension.
    const params = doc.components.schemas.Params as Json;
    const served = parametersJsonSchema(videoParamsSchema());
    expect(params.properties).toMatchObject(served.properties as Json);
    expect(Object.keys(params.properties as Json)).toEqual([...Object.keys(served.properties as Json), 'webhook']);
  });
});

describe('the answer check the API tests run', () => {
  const failed = { request_id: 'r1', status: 'FAILED', error: 'no', code: 'canceled', metrics: { inference_time: 0 }, seed: 1, engine: 'motion' };
  const json = 'application/json; charset=UTF-8';

  it('accepts an answer that matches its operation and status', () => {
    expect(checkAnswer('POST', '/v2/requests/r1/cancel', 200, json, JSON.stringify(failed))).toMatchObject({
      schema: 'Failed',
      template: '/v2/requests/{id}/cancel',
    });
    expect(checkAnswer('GET', '/v1/models', 401, json, '{"error":"Missing or invalid API key","code":"unauthorized"}').mismatch).toBeUndefined();
  });

  it('flags an undocumented field, a wrong type, an undocumented status and a JSON answer documented as a video', () => {
    expect(checkAnswer('POST', '/v2/requests/r1/cancel', 200, json, JSON.stringify({ ...failed, surprise: 1 })).mismatch).toMatch(/surprise/);
    expect(checkAnswer('POST', '/v2/requests/r1/cancel', 200, json, JSON.stringify({ ...failed, seed: '1' })).mismatch).toMatch(/seed/);
    expect(checkAnswer('GET', '/healthz', 418, json, '{}').mismatch).toMatch(/status 418 is not documented/);
    expect(checkAnswer('POST', '/v1/veo-2-image2video', 200, json, '{}').mismatch).toMatch(/answered JSON, documented as video\/mp4/);
    expect(checkAnswer('GET', '/healthz', 200, 'text/plain', 'ok').mismatch).toMatch(/documented as JSON/);
    expect(checkAnswer('GET', '/v2/requests/r1/events', 200, 'text/plain', '').mismatch).toMatch(/documented as text\/event-stream/);
  });

  it('leaves alone what the document does not describe', () => {
    expect(checkAnswer('GET', '/no/such/route', 404, json, '{}')).toMatchObject({ skipped: 'no documented operation' });
    expect(checkAnswer('GET', '/v2/requests/r1/events', 200, 'text/event-stream', '')).toMatchObject({ skipped: 'not JSON' });
    expect(checkAnswer('GET', '/gemini/v1beta/files/http://x/gemini/v1beta/files/ab:download', 200, 'video/mp4', '')).toMatchObject({
      template: '/gemini/v1beta/files/{file}',
    });
  });
});
