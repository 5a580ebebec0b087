import { json, media, rateLimited, RATE_HEADERS, type HeaderName } from './openapi-parts.js';

/**
 * The OpenAPI description of the two other front doors (OpenAI's Videos API, the Gemini API's Veo
 * calls), spread into src/api/openapi.ts. Their bodies are the upstream services' own; this names
 * what Reelay serves of them and what it refuses.
 */
const openAiError = (description: string, names: readonly HeaderName[] = ['X-Request-Id']) =>
  json('OpenAiError', `${description}; body {"error":{"message","type","param","code"}}`, names);
const googleError = (description: string, names: readonly HeaderName[] = ['X-Request-Id']) =>
  json('GoogleError', `${description}; body {"error":{"code","message","status"}}`, names);
const binary = { schema: { type: 'string', format: 'binary' } };
const openAi = { security: [{ bearer: [] }], tags: ['openai'] };
const gemini = { security: [{ googApiKey: [] }, { googKeyQuery: [] }], tags: ['gemini'] };
const videoId = { name: 'id', in: 'path', required: true, schema: { type: 'string', example: 'video_0123456789abcdef0123456789abcdef' } };
const geminiModel = { name: 'model', in: 'path', required: true, schema: { type: 'string', example: 'veo-2.0-generate-001' } };
const openAiErrors = {
  401: openAiError('Missing or invalid key'),
  403: openAiError('Key lacks the scope (read, or generate to create and delete), or its account is suspended'),
  404: openAiError("No such video (or another door's, or expired)"),
  429: rateLimited(openAiError),
};
const googleErrors = {
  400: googleError('INVALID_ARGUMENT (also a wrong key)'),
  403: googleError('PERMISSION_DENIED: no key'),
  404: googleError('NOT_FOUND'),
  429: rateLimited(googleError),
};

export const doorSecuritySchemes = {
  googApiKey: { type: 'apiKey', in: 'header', name: 'x-goog-api-key' },
  googKeyQuery: { type: 'apiKey', in: 'query', name: 'key' },
} as const;

export const doorPaths = {
  '/openai/v1/videos': {
    post: {
      ...openAi,
      summary:
        'OpenAI Videos API: create a video. multipart/form-data (as the SDK sends it) or JSON: model (mapped by config; default any name → veo-2-image2video), prompt (required), seconds (what the mapped model allows: 5-8), size ("1280x720" or "720x1280"), input_reference (file part) or input_reference[image_url] (http(s) or data: URL; required). Reelay extensions: seed, webhook. Refused: input_reference[file_id], other sizes.',
      responses: {
        200: json('Video', 'The Video object', RATE_HEADERS),
        400: openAiError('Invalid input, param names the field'),
        402: openAiError('Insufficient credits (type/code insufficient_quota)'),
        ...openAiErrors,
      },
    },
    get: {
      ...openAi,
      summary: 'List videos made through this door (after = a video id, limit 1-100, order asc|desc)',
      responses: { 200: json('VideoList', 'A page of videos', RATE_HEADERS), 400: openAiError('Bad query'), ...openAiErrors },
    },
  },
  '/openai/v1/videos/{id}': {
    get: { ...openAi, summary: 'A Video object', parameters: [videoId], responses: { 200: json('Video', 'The Video object', RATE_HEADERS), ...openAiErrors } },
    delete: {
      ...openAi,
      summary: 'Delete a video; an unfinished one is canceled (and refunded) first',
      parameters: [videoId],
      responses: { 200: json('VideoDeleted', 'Deleted', RATE_HEADERS), ...openAiErrors },
    },
  },
  '/openai/v1/videos/{id}/content': {
    get: {
      ...openAi,
      summary: 'variant=video (the MP4, Range supported) or thumbnail (JPEG of the first frame); spritesheet is a 400',
      parameters: [videoId, { name: 'variant', in: 'query', schema: { type: 'string', enum: ['video', 'thumbnail', 'spritesheet'] } }],
      responses: {
        200: {
          ...media('video/mp4', 'The video (variant=video) or a JPEG of its first frame (variant=thumbnail)', RATE_HEADERS),
          content: { 'video/mp4': binary, 'image/jpeg': binary },
        },
        400: openAiError('Not completed yet, or spritesheet'),
        ...openAiErrors,
      },
    },
  },
  '/gemini/v1beta/models': {
    get: {
      ...gemini,
      summary: 'The Gemini model names this server maps to Reelay models',
      responses: { 200: json('GeminiModelList', 'The mapped models', RATE_HEADERS), ...googleErrors },
    },
  },
  '/gemini/v1beta/models/{model}': {
    get: {
      ...gemini,
      summary: 'One mapped model',
      parameters: [geminiModel],
      responses: { 200: json('GeminiModel', 'The model', RATE_HEADERS), ...googleErrors },
    },
  },
  '/gemini/v1beta/models/{action}': {
    post: {
      ...gemini,
      summary:
        '{action} is "{model}:predictLongRunning". Body as @google/genai sends it: instances[0].prompt, instances[0].image{bytesBase64Encoded|imageBytes, mimeType}, parameters{aspectRatio, durationSeconds, seed, negativePrompt, personGeneration, enhancePrompt, resolution "720p", sampleCount/numberOfVideos 1}, webhookConfig{uris:[one URL]}. Refused: several videos, gcsUri, lastFrame, referenceImages, video, userMetadata, unknown fields.',
      parameters: [{ name: 'action', in: 'path', required: true, schema: { type: 'string', example: 'veo-2.0-generate-001:predictLongRunning' } }],
      responses: {
        200: json('Operation', 'The operation {name, done:false}', RATE_HEADERS),
        ...googleErrors,
        429: googleError('RESOURCE_EXHAUSTED: rate limit (Retry-After) or insufficient credits', ['X-Request-Id', 'Retry-After', ...RATE_HEADERS.slice(1)]),
      },
    },
  },
  '/gemini/v1beta/models/{model}/operations/{op}': {
    get: {
      ...gemini,
      summary:
        'Poll: {name, done, response.generateVideoResponse.generatedSamples[0].video.uri}; a content block is raiMediaFilteredCount/Reasons, other failures error{code,message}',
      parameters: [geminiModel, { name: 'op', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: json('Operation', 'The operation', RATE_HEADERS), ...googleErrors },
    },
    delete: {
      ...gemini,
      summary: 'Cancel (and refund) an unfinished operation',
      parameters: [geminiModel, { name: 'op', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: json('Empty', '{}', RATE_HEADERS), ...googleErrors },
    },
  },
  '/gemini/v1beta/models/{model}/operations/{action}': {
    post: {
      ...gemini,
      summary: '{action} is "{op}:cancel": cancel (and refund) an unfinished operation',
      parameters: [geminiModel, { name: 'action', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: json('Empty', '{}', RATE_HEADERS), ...googleErrors },
    },
  },
  '/gemini/v1beta/files/{file}': {
    get: {
      ...gemini,
      summary: 'The video: {file} is "{id}:download" (alt=media), as ai.files.download asks for a generated sample\'s uri',
      parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: media('video/mp4', 'The video', RATE_HEADERS), ...googleErrors },
    },
  },
} as const;
