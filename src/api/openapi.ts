import { ASPECT_RATIOS, DURATIONS, MAX_PROMPT_CHARS, MAX_SEED } from '../core/params.js';
import { FAILURE_CODES } from '../core/types.js';
import { adminPaths } from './openapi-admin.js';
import { doorPaths, doorSchemas, doorSecuritySchemes } from './openapi-doors.js';
import { error, secured } from './openapi-parts.js';

const failed = { description: 'The request FAILED', content: { 'application/json': { schema: { $ref: '#/components/schemas/Failed' } } } };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const modelParam = { name: 'model', in: 'path', required: true, schema: { type: 'string', example: 'veo-2-image2video' } };

/** The OpenAPI 3.1 description of the HTTP API, served at /openapi.json; a test keeps it in step with the routes. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Reelay',
    version: '0.1.0',
    description:
      "Segmind-compatible image-to-video API (veo-2-image2video). See SPEC.md for the exact contract. The same requests also through OpenAI's Videos API (/openai/v1) and the Gemini API's Veo calls (/gemini/v1beta). Any call may answer 503 server_busy with Retry-After while the database is unreachable or locked; retry it (submits with an Idempotency-Key).",
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      bearer: { type: 'http', scheme: 'bearer' },
      ...doorSecuritySchemes,
    },
    schemas: {
      ...doorSchemas,
      Error: {
        type: 'object',
        required: ['error', 'code'],
        properties: {
          error: { type: 'string' },
          code: { type: 'string' },
          request_id: { type: 'string' },
          details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
      Params: {
        type: 'object',
        required: ['image'],
        properties: {
          image: { type: 'string', description: 'http(s) URL, data:image/...;base64, URI or bare base64 (JPEG, PNG, WebP; ≤ 20 MB, ≤ 40 MP)' },
          prompt: { type: 'string', default: '', maxLength: MAX_PROMPT_CHARS },
          duration: { type: 'integer', enum: DURATIONS, default: 5 },
          aspect_ratio: { type: 'string', enum: ASPECT_RATIOS, default: '16:9' },
          seed: { type: ['integer', 'null'], minimum: 0, maximum: MAX_SEED, default: null },
          webhook: { type: 'string', format: 'uri', maxLength: 2048, description: 'Reelay extension: POSTed the final result, signed (Standard Webhooks)' },
        },
      },
      Submitted: {
        type: 'object',
        properties: {
          request_id: { type: 'string' },
          status: { const: 'QUEUED' },
          status_url: { type: 'string', format: 'uri' },
          response_url: { type: 'string', format: 'uri' },
          poll_url: { type: 'string', format: 'uri' },
        },
      },
      Status: {
        type: 'object',
        properties: {
          request_id: { type: 'string' },
          status: { enum: ['QUEUED', 'PROCESSING', 'COMPLETED'] },
          created_at: { type: 'string', format: 'date-time' },
          started_at: { type: ['string', 'null'], format: 'date-time' },
          completed_at: { type: 'string', format: 'date-time' },
          expires_at: { type: 'string', format: 'date-time' },
          progress: { type: 'integer', minimum: 0, maximum: 100 },
          queue_position: { type: 'integer' },
        },
      },
      Completed: {
        type: 'object',
        properties: {
          request_id: { type: 'string' },
          status: { const: 'COMPLETED' },
          error: { type: 'null' },
          output: { type: 'string', format: 'uri' },
          metrics: { type: 'object', properties: { inference_time: { type: 'number' }, queue_time: { type: 'number' } } },
          output_type: { const: 'video/mp4' },
          seed: { type: 'integer' },
          seed_honoured: { type: 'boolean', description: 'Reelay extension: false when the engine could not apply the seed (Veo via the Gemini API)' },
          engine: { type: 'string' },
          expires_at: { type: 'string', format: 'date-time' },
        },
      },
      Failed: {
        type: 'object',
        properties: {
          request_id: { type: 'string' },
          status: { const: 'FAILED' },
          error: { type: 'string' },
          code: { enum: FAILURE_CODES },
          metrics: { type: 'object', properties: { inference_time: { type: 'number' } } },
          seed: { type: 'integer' },
          engine: { type: 'string' },
        },
      },
    },
  },
  paths: {
    '/v1/{model}': {
      post: {
        summary: 'Generate synchronously: waits for the video and returns its bytes',
        security: secured,
        parameters: [modelParam, { name: 'x-reelay-fault', in: 'header', required: false, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/Params' } },
            'multipart/form-data': { schema: { $ref: '#/components/schemas/Params' } },
          },
        },
        responses: {
          200: { description: 'The video', content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } },
          400: error('Invalid parameters'),
          401: error('Missing or invalid API key'),
          403: error('Key lacks the generate scope'),
          404: error('Model not found'),
          406: error('Insufficient credits'),
          413: error('Body too large'),
          503: error('server_busy: too many large bodies being read at once; retry after Retry-After'),
          415: error('Not JSON nor multipart'),
          422: failed,
          429: error('Rate limited; Retry-After is set'),
          504: error('Timed out; the request goes on and can be fetched with v2'),
        },
      },
    },
    '/v2/{model}': {
      post: {
        summary: 'Submit asynchronously',
        security: secured,
        parameters: [
          modelParam,
          { name: 'x-reelay-fault', in: 'header', required: false, schema: { type: 'string' } },
          { name: 'idempotency-key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/Params' } },
            'multipart/form-data': { schema: { $ref: '#/components/schemas/Params' } },
          },
        },
        responses: {
          406: error('Insufficient credits'),
          409: error('Idempotency-Key reused with other parameters'),
          429: error('Rate limited; Retry-After is set'),
          200: { description: 'Queued', content: { 'application/json': { schema: { $ref: '#/components/schemas/Submitted' } } } },
          400: error('Invalid parameters'),
          401: error('Missing or invalid API key'),
          403: error('Key lacks the generate scope'),
          404: error('Model not found'),
          413: error('Body too large'),
          503: error('server_busy: too many large bodies being read at once; retry after Retry-After'),
          415: error('Not JSON nor multipart'),
        },
      },
    },
    '/v2/requests/{id}/status': {
      get: {
        summary: 'Status of a request; ?wait=N (0-60 s) answers as soon as status or progress changes',
        security: secured,
        parameters: [idParam, { name: 'wait', in: 'query', required: false, schema: { type: 'number', minimum: 0, maximum: 60 } }],
        responses: {
          200: { description: 'Not failed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Status' } } } },
          401: error('Unauthorized'),
          404: error('Not found or expired'),
          422: failed,
        },
      },
    },
    '/v2/requests/{id}/events': {
      get: {
        summary: 'Server-Sent Events: status, progress, then completed or failed (same body as the result); Last-Event-ID resumes',
        security: secured,
        parameters: [idParam, { name: 'last-event-id', in: 'header', required: false, schema: { type: 'string' } }],
        responses: { 200: { description: 'text/event-stream' }, 401: error('Unauthorized'), 404: error('Not found or expired') },
      },
    },
    '/v2/requests/{id}/cancel': {
      post: {
        summary: 'Cancel a QUEUED or PROCESSING request: it ends FAILED with code "canceled" and is refunded',
        security: secured,
        parameters: [idParam],
        responses: { 200: failed, 401: error('Unauthorized'), 404: error('Not found or expired'), 409: error('Already finished; the body has its status') },
      },
    },
    '/v2/webhooks/test': {
      post: {
        summary: 'Send a signed test delivery to a webhook receiver and report its answer',
        security: secured,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri' } } } } },
        },
        responses: { 200: { description: '{ok, webhook_id, status, error, duration_ms}' }, 400: error('Bad or forbidden URL') },
      },
    },
    '/v2/requests': {
      get: {
        summary: "Reelay extension: this key's account's requests, newest first, in pages (limit 1-100, default 20; cursor = next of the previous page)",
        security: secured,
        parameters: [
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: {
          200: {
            description:
              '{requests: [{request_id, model, engine, status, progress, params, seed, price, error, code, output, inference_time, created_at, started_at, completed_at, expires_at}], next}',
          },
          400: error('Bad limit or cursor'),
          401: error('Unauthorized'),
          429: error('Rate limited; Retry-After is set'),
        },
      },
    },
    '/v2/requests/{id}/input': {
      get: {
        summary: 'Reelay extension: the image a request was submitted with (to show or re-run it), until the request expires',
        security: secured,
        parameters: [idParam],
        responses: { 200: { description: 'The image (image/jpeg, image/png or image/webp)' }, 401: error('Unauthorized'), 404: error('Not found or expired') },
      },
    },
    '/v2/requests/{id}': {
      get: {
        summary: 'Result of a request',
        security: secured,
        parameters: [idParam],
        responses: {
          200: { description: 'Completed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Completed' } } } },
          202: { description: 'Not finished yet' },
          401: error('Unauthorized'),
          404: error('Not found or expired'),
          422: failed,
        },
      },
    },
    '/v1/requests/{id}': {
      get: {
        summary: 'Same as GET /v2/requests/{id}',
        security: secured,
        parameters: [idParam],
        responses: { 200: { description: 'Completed' }, 202: { description: 'Not finished yet' }, 404: error('Not found or expired'), 422: failed },
      },
    },
    '/v2/files/{token}/{name}': {
      get: {
        summary: 'An output video (signed URL, no key needed; Range supported)',
        parameters: [
          { name: 'token', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'range', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          200: { description: 'The video' },
          206: { description: 'A byte range' },
          404: error('Unknown, forged or expired'),
          416: error('Range not satisfiable (code range_not_satisfiable; Content-Range gives the size)'),
        },
      },
    },
    '/v1/models': {
      get: {
        summary: 'Models, their parameters (also as JSON Schema in parameters_schema), price and engines',
        description:
          "Each model's `parameters` list what it accepts: veo-2-image2video has SPEC §2's; a self-hosted model may offer fewer durations or aspect ratios (config `models.<slug>.parameters`).",
        security: secured,
        responses: { 200: { description: 'The models' }, 401: error('Unauthorized') },
      },
    },
    ...adminPaths,
    '/': { get: { summary: 'The web playground (HTML; works with any API key)', tags: ['web'], responses: { 200: { description: 'text/html' } } } },
    '/console': { get: { summary: 'The operator console (HTML; needs an admin key)', tags: ['web'], responses: { 200: { description: 'text/html' } } } },
    '/docs': { get: { summary: 'This document, rendered, with try-it (HTML)', tags: ['web'], responses: { 200: { description: 'text/html' } } } },
    '/assets/{name}': {
      get: {
        summary: "The pages' built scripts and styles",
        tags: ['web'],
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'JavaScript or CSS' }, 404: error('No such asset'), 503: { description: 'Assets not built (npm run build:web)' } },
      },
    },
    '/healthz': { get: { summary: 'Process is up', responses: { 200: { description: 'ok' } } } },
    '/readyz': {
      get: {
        summary: 'Store reachable and worker running',
        description:
          'Also `engines`: what the worker\'s engines depend on (each ComfyUI server: "ok" or "unreachable"; each ComfyUI model: "ok" or "unavailable: <server>: node <id> (<class>): model file … is not on the server"). These do not make the process unready.',
        responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics of this process; Authorization: Bearer <metricsToken>, or an admin key',
        responses: { 200: { description: 'text/plain; version=0.0.4' }, 401: error('No metrics token or key'), 403: error('Key is not an admin key') },
      },
    },
    ...doorPaths,
    '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
  },
} as const;
