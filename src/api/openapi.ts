import { historyInput } from '../core/history.js';
import { videoParamsSchema } from '../core/params.js';
import { parametersJsonSchema } from '../core/params-schema.js';
import { webhookTestInput } from './routes/webhook-test.js';
import { adminPaths } from './openapi-admin.js';
import { doorPaths, doorSecuritySchemes } from './openapi-doors.js';
import { body, componentHeaders, componentSchemas, error, json, media, query, rateLimited, RATE_HEADERS, secured } from './openapi-parts.js';

const failed = json('Failed', 'The request FAILED', ['X-Request-Id', 'X-Engine']);
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const modelParam = { name: 'model', in: 'path', required: true, schema: { type: 'string', example: 'veo-2-image2video' } };
const faultHeader = {
  name: 'x-reelay-fault',
  in: 'header',
  required: false,
  description: 'Test hook (replay and motion engines only): make the request end as this fault',
  schema: { type: 'string' },
};

// The submit body: the very JSON Schema GET /v1/models serves, from the zod schema submits are validated with.
const params = parametersJsonSchema(videoParamsSchema());
const Params = {
  ...params,
  properties: {
    ...(params.properties as object),
    webhook: { type: 'string', format: 'uri', maxLength: 2048, description: 'Reelay extension: POSTed the final result, signed (Standard Webhooks)' },
  },
  example: { image: 'https://example.com/photo.jpg', prompt: 'a slow pan across the valley', duration: 5, aspect_ratio: '16:9', seed: 7 },
};
// GET /v2/requests/{id} and Segmind's v1 path answer alike.
const resultHeaders = ['X-Request-Id', 'X-Engine', ...RATE_HEADERS.slice(1)] as const;
const resultResponses = {
  200: json('Completed', 'Completed', resultHeaders),
  202: json('Pending', 'Not finished yet', resultHeaders),
  401: error('Unauthorized'),
  403: error('Key lacks the read scope, or its account is suspended'),
  404: error('Not found or expired'),
  422: failed,
  429: rateLimited(),
};
const paramsBody = {
  required: true,
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/Params' } },
    'multipart/form-data': { schema: { $ref: '#/components/schemas/Params' } },
  },
};

/** The OpenAPI 3.1 description of the HTTP API, served at /openapi.json; a test keeps it in step with the routes. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Reelay',
    version: '0.1.0',
    description:
      "Segmind-compatible image-to-video API (veo-2-image2video). docs/api.md in the repository is the full reference (every route, field, status, error code and header). The same requests also through OpenAI's Videos API (/openai/v1) and the Gemini API's Veo calls (/gemini/v1beta). Any call may answer 503 server_busy with Retry-After while the database is unreachable or locked; retry it (submits with an Idempotency-Key).",
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      bearer: { type: 'http', scheme: 'bearer' },
      ...doorSecuritySchemes,
    },
    headers: componentHeaders,
    schemas: { ...componentSchemas, Params },
  },
  paths: {
    '/v1/{model}': {
      post: {
        summary: 'Generate synchronously: waits for the video and returns its bytes',
        security: secured,
        parameters: [modelParam, faultHeader],
        requestBody: paramsBody,
        responses: {
          200: media('video/mp4', 'The video', ['X-Request-Id', 'X-Engine', 'X-Seed', 'X-Seed-Honoured', 'X-Remaining-Credits', ...RATE_HEADERS.slice(1)]),
          400: error('Invalid parameters'),
          401: error('Missing or invalid API key'),
          403: error('Key lacks the generate scope, or its account is suspended'),
          404: error('Model not found'),
          406: error('Insufficient credits', ['X-Request-Id', 'X-Remaining-Credits']),
          413: error('Body too large'),
          415: error('Not JSON nor multipart'),
          422: failed,
          429: rateLimited(),
          503: error('server_busy: too many large bodies being read at once; retry after Retry-After', ['X-Request-Id', 'Retry-After']),
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
          faultHeader,
          {
            name: 'idempotency-key',
            in: 'header',
            required: false,
            description: 'The same key with the same parameters within 24 h answers the first submit again',
            schema: { type: 'string', maxLength: 255 },
          },
        ],
        requestBody: paramsBody,
        responses: {
          200: json('Submitted', 'Queued', ['X-Request-Id', 'X-Remaining-Credits', ...RATE_HEADERS.slice(1)]),
          400: error('Invalid parameters'),
          401: error('Missing or invalid API key'),
          403: error('Key lacks the generate scope, or its account is suspended'),
          404: error('Model not found'),
          406: error('Insufficient credits', ['X-Request-Id', 'X-Remaining-Credits']),
          409: error('Idempotency-Key reused with other parameters'),
          413: error('Body too large'),
          415: error('Not JSON nor multipart'),
          429: rateLimited(),
          503: error('server_busy: too many large bodies being read at once; retry after Retry-After', ['X-Request-Id', 'Retry-After']),
        },
      },
    },
    '/v2/requests/{id}/status': {
      get: {
        summary: 'Status of a request; ?wait=N (0-60 s) answers as soon as status or progress changes',
        security: secured,
        parameters: [idParam, { name: 'wait', in: 'query', required: false, schema: { type: 'number', minimum: 0, maximum: 60 } }],
        responses: {
          200: json('Status', 'Not failed', RATE_HEADERS),
          400: error('Bad wait'),
          401: error('Unauthorized'),
          403: error('Key lacks the read scope, or its account is suspended'),
          404: error('Not found or expired'),
          422: failed,
          429: rateLimited(),
        },
      },
    },
    '/v2/requests/{id}/events': {
      get: {
        summary: 'Server-Sent Events: status, progress, then completed or failed (same body as the result); Last-Event-ID resumes',
        security: secured,
        parameters: [idParam, { name: 'last-event-id', in: 'header', required: false, schema: { type: 'string' } }],
        responses: {
          200: {
            description: 'Events whose data are the Status, Completed and Failed bodies',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          401: error('Unauthorized'),
          403: error('Key lacks the read scope, or its account is suspended'),
          404: error('Not found or expired'),
          429: rateLimited(),
        },
      },
    },
    '/v2/requests/{id}/cancel': {
      post: {
        summary: 'Cancel a QUEUED or PROCESSING request: it ends FAILED with code "canceled" and is refunded',
        security: secured,
        parameters: [idParam],
        responses: {
          200: failed,
          401: error('Unauthorized'),
          403: error('Key lacks the generate scope, or its account is suspended'),
          404: error('Not found or expired'),
          409: error('Already finished; the body has its status'),
          429: rateLimited(),
        },
      },
    },
    '/v2/webhooks/test': {
      post: {
        summary: 'Send a signed test delivery to a webhook receiver and report its answer',
        security: secured,
        requestBody: body(webhookTestInput),
        responses: {
          200: json('WebhookTestResult', "The receiver's answer", RATE_HEADERS),
          400: error('Bad or forbidden URL'),
          401: error('Unauthorized'),
          403: error('Key lacks the generate scope, or its account is suspended'),
          429: rateLimited(),
        },
      },
    },
    '/v2/requests': {
      get: {
        summary: "Reelay extension: this key's account's requests, newest first, in pages (limit 1-100, default 20; cursor = next of the previous page)",
        security: secured,
        parameters: query(historyInput),
        responses: {
          200: json('HistoryPage', 'A page of requests', RATE_HEADERS),
          400: error('Bad limit or cursor'),
          401: error('Unauthorized'),
          403: error('Key lacks the read scope, or its account is suspended'),
          429: rateLimited(),
        },
      },
    },
    '/v2/requests/{id}/input': {
      get: {
        summary: 'Reelay extension: the image a request was submitted with (to show or re-run it), until the request expires',
        security: secured,
        parameters: [idParam],
        responses: {
          200: { description: 'The image', content: { 'image/jpeg': {}, 'image/png': {}, 'image/webp': {} } },
          401: error('Unauthorized'),
          403: error('Key lacks the read scope, or its account is suspended'),
          404: error('Not found or expired'),
          429: rateLimited(),
        },
      },
    },
    '/v2/requests/{id}': {
      get: {
        summary: 'Result of a request',
        security: secured,
        parameters: [idParam],
        responses: resultResponses,
      },
    },
    '/v1/requests/{id}': {
      get: {
        summary: 'Same as GET /v2/requests/{id}',
        security: secured,
        parameters: [idParam],
        responses: resultResponses,
      },
    },
    '/v2/files/{token}/{name}': {
      get: {
        summary: 'An output video (signed URL, no key needed; Range supported)',
        parameters: [
          { name: 'token', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'range', in: 'header', required: false, schema: { type: 'string', example: 'bytes=0-1023' } },
        ],
        responses: {
          200: media('video/mp4', 'The video'),
          206: media('video/mp4', 'A byte range (Content-Range says which)'),
          404: error('Unknown, forged or expired'),
          416: error('Range not satisfiable (code range_not_satisfiable; Content-Range gives the size)'),
        },
      },
    },
    '/v1/models': {
      get: {
        summary: 'Models, their parameters (also as JSON Schema in parameters_schema), price and engines',
        description:
          "Each model's `parameters` list what it accepts: veo-2-image2video has docs/api.md §2's; a self-hosted model may offer fewer durations or aspect ratios (config `models.<slug>.parameters`).",
        security: secured,
        responses: {
          200: json('ModelList', 'The models'),
          401: error('Unauthorized'),
          403: error('Key lacks the read scope, or its account is suspended'),
        },
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
    '/healthz': { get: { summary: 'Process is up', responses: { 200: json('Healthz', 'ok') } } },
    '/readyz': {
      get: {
        summary: 'Store reachable and worker running',
        description:
          'Also `engines`: what the worker\'s engines depend on (each ComfyUI server: "ok" or "unreachable"; each ComfyUI model: "ok" or "unavailable: <server>: node <id> (<class>): model file … is not on the server"). These do not make the process unready.',
        responses: { 200: json('Readiness', 'ready'), 503: json('Readiness', 'not ready') },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics of this process; Authorization: Bearer <metricsToken>, or an admin key',
        responses: {
          200: { description: 'Prometheus text format', content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } } },
          401: error('No metrics token or key'),
          403: error('Key is not an admin key'),
        },
      },
    },
    ...doorPaths,
    '/openapi.json': {
      get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } },
    },
  },
} as const;
