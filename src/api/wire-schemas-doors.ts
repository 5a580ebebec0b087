import { z } from 'zod';

/**
 * The JSON bodies of the two other front doors (docs/api.md, the door rows of Routes): OpenAI's Videos API and the
 * Gemini API's Veo calls, in those services' own shapes. The OpenAPI document is generated from
 * these and the API tests check every door answer against them.
 */
export const OpenAiError = z
  .strictObject({
    error: z.strictObject({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
  })
  .meta({ example: { error: { message: 'Missing or invalid API key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } });

export const GoogleError = z
  .strictObject({ error: z.strictObject({ code: z.int(), message: z.string(), status: z.string() }) })
  .meta({ example: { error: { code: 404, message: 'Request not found', status: 'NOT_FOUND' } } });

const videoId = z.string().meta({ example: 'video_0123456789abcdef0123456789abcdef' });
export const Video = z
  .strictObject({
    id: videoId,
    object: z.literal('video'),
    model: z.string(),
    status: z.enum(['queued', 'in_progress', 'completed', 'failed']),
    progress: z.int().min(0).max(100),
    created_at: z.int().meta({ description: 'Unix seconds' }),
    completed_at: z.int().nullable(),
    expires_at: z.int().nullable(),
    seconds: z.string().meta({ example: '8' }),
    size: z.enum(['1280x720', '720x1280']),
    prompt: z.string(),
    remixed_from_video_id: z.null(),
    error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  })
  .meta({ description: "OpenAI's Video object" });

export const VideoList = z.strictObject({
  object: z.literal('list'),
  data: z.array(Video),
  first_id: videoId.nullable(),
  last_id: videoId.nullable(),
  has_more: z.boolean(),
});

export const VideoDeleted = z.strictObject({ id: videoId, object: z.literal('video.deleted'), deleted: z.literal(true) });

export const GeminiModel = z.strictObject({
  name: z.string().meta({ example: 'models/veo-2.0-generate-001' }),
  version: z.string(),
  displayName: z.string(),
  description: z.string(),
  supportedGenerationMethods: z.array(z.string()),
});
export const GeminiModelList = z.strictObject({ models: z.array(GeminiModel) });

const operationName = z.string().meta({ example: 'models/veo-2.0-generate-001/operations/0123456789abcdef0123456789abcdef' });
const responseType = z.literal('type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse');
export const Operation = z
  .union([
    z.strictObject({
      name: operationName,
      metadata: z.strictObject({ '@type': z.literal('type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningMetadata') }),
      done: z.literal(false),
    }),
    z.strictObject({
      name: operationName,
      done: z.literal(true),
      response: z.strictObject({
        '@type': responseType,
        generateVideoResponse: z.union([
          z.strictObject({ generatedSamples: z.array(z.strictObject({ video: z.strictObject({ uri: z.url() }) })).length(1) }),
          z.strictObject({ raiMediaFilteredCount: z.int(), raiMediaFilteredReasons: z.array(z.string()) }),
        ]),
      }),
    }),
    z.strictObject({ name: operationName, done: z.literal(true), error: z.strictObject({ code: z.int(), message: z.string() }) }),
  ])
  .meta({ description: 'A google.longrunning.Operation: pending, done with the video (or a content block), or done with an error' });

export const Empty = z.strictObject({}).meta({ description: 'An empty object, as Google answers a cancel' });
