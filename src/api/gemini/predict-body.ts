import type { Config } from '../../config.js';
import { invalidRequest, type FieldProblem } from '../../errors.js';
import type { DoorSubmission } from '../accept-call.js';
import { mappedModel } from '../door-fields.js';

const INSTANCE_KEYS = new Set(['prompt', 'image']);
const IMAGE_KEYS = new Set(['bytesBase64Encoded', 'imageBytes', 'mimeType']);
const PARAMETER_KEYS = new Set([
  'aspectRatio',
  'durationSeconds',
  'seed',
  'negativePrompt',
  'personGeneration',
  'sampleCount',
  'numberOfVideos',
  'enhancePrompt',
  'resolution',
]);
const PERSON_GENERATION = ['allow_adult', 'dont_allow', 'allow_all'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `models/{model}:predictLongRunning` in Reelay's terms. The body is what `@google/genai` sends in
 * Gemini mode: `instances[0].{prompt, image{bytesBase64Encoded, mimeType}}`, `parameters{...}` and
 * `webhookConfig{uris}`. Values the core checks (duration, aspect ratio, seed, the image) keep
 * their Gemini names in errors. `negativePrompt`, `personGeneration` and `enhancePrompt` are
 * checked and accepted, but the engine's own settings decide them. Anything Reelay cannot honour
 * (several videos, a last frame, reference images, a video, 1080p) is a 400 naming it.
 */
export function parsePredictBody(config: Pick<Config, 'doors' | 'models'>, doorModel: string, body: Json): DoorSubmission {
  const problems: FieldProblem[] = [];
  unknownKeys(body, new Set(['instances', 'parameters', 'webhookConfig']), '', problems);
  const instances = body.instances;
  let instance: Json = {};
  if (!Array.isArray(instances) || instances.length !== 1 || !isObject(instances[0])) {
    problems.push({ field: 'instances', message: 'must be a list of exactly one instance {prompt, image}' });
  } else {
    instance = instances[0];
    unknownKeys(instance, INSTANCE_KEYS, 'instances[0].', problems);
  }
  const parameters = body.parameters === undefined ? {} : body.parameters;
  if (!isObject(parameters)) problems.push({ field: 'parameters', message: 'must be an object' });
  const p: Json = isObject(parameters) ? parameters : {};
  unknownKeys(p, PARAMETER_KEYS, 'parameters.', problems);
  for (const key of ['sampleCount', 'numberOfVideos']) {
    if (p[key] !== undefined && p[key] !== 1) problems.push({ field: `parameters.${key}`, message: 'must be 1: Reelay makes one video per request' });
  }
  if (p.personGeneration !== undefined && !PERSON_GENERATION.includes(p.personGeneration as string)) {
    problems.push({ field: 'parameters.personGeneration', message: `must be one of ${PERSON_GENERATION.join(', ')}` });
  }
  if (p.negativePrompt !== undefined && typeof p.negativePrompt !== 'string')
    problems.push({ field: 'parameters.negativePrompt', message: 'must be a string' });
  if (p.enhancePrompt !== undefined && typeof p.enhancePrompt !== 'boolean')
    problems.push({ field: 'parameters.enhancePrompt', message: 'must be true or false' });
  if (p.resolution !== undefined && p.resolution !== '720p')
    problems.push({ field: 'parameters.resolution', message: 'must be "720p": the mapped models render 1280x720 or 720x1280' });
  const image = imageOf(instance.image, problems);
  const webhook = webhookOf(body.webhookConfig, problems);
  if (problems.length > 0) throw invalidRequest(problems);

  const fields: Json = {};
  if (instance.prompt !== undefined) fields.prompt = instance.prompt;
  if (image !== undefined) fields.image = image;
  if (p.durationSeconds !== undefined) fields.duration = p.durationSeconds;
  if (p.aspectRatio !== undefined) fields.aspect_ratio = p.aspectRatio;
  if (p.seed !== undefined) fields.seed = p.seed;
  if (webhook !== undefined) fields.webhook = webhook;
  const model = mappedModel(config, doorModel, Object.hasOwn(config.doors.gemini.models, doorModel) ? config.doors.gemini.models[doorModel] : undefined);
  return { model, fields, door: { name: 'gemini', model: doorModel } };
}

function unknownKeys(object: Json, known: ReadonlySet<string>, at: string, problems: FieldProblem[]): void {
  for (const key of Object.keys(object)) {
    if (!known.has(key)) problems.push({ field: `${at}${key}`, message: `is not supported by this server (Unknown name "${key}")` });
  }
}

/** The image's base64 (the core sniffs its type), or undefined with a problem. */
function imageOf(value: unknown, problems: FieldProblem[]): string | undefined {
  if (value === undefined) {
    problems.push({ field: 'instances[0].image', message: 'is required: the model turns an image into a video; send {bytesBase64Encoded, mimeType}' });
    return undefined;
  }
  if (!isObject(value)) {
    problems.push({ field: 'instances[0].image', message: 'must be an object {bytesBase64Encoded, mimeType}' });
    return undefined;
  }
  if (value.gcsUri !== undefined) {
    problems.push({ field: 'instances[0].image.gcsUri', message: 'is not supported: send the bytes as bytesBase64Encoded' });
    return undefined;
  }
  unknownKeys(value, IMAGE_KEYS, 'instances[0].image.', problems);
  const bytes = value.bytesBase64Encoded ?? value.imageBytes;
  if (typeof bytes !== 'string' || bytes === '') {
    problems.push({ field: 'instances[0].image.bytesBase64Encoded', message: 'is required: the image as base64 (JPEG, PNG or WebP)' });
    return undefined;
  }
  return bytes;
}

/** `webhookConfig.uris`: Reelay delivers to one URL per request. */
function webhookOf(value: unknown, problems: FieldProblem[]): string | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || value.userMetadata !== undefined) {
    problems.push({ field: 'webhookConfig', message: 'must be {uris: [one URL]}; userMetadata is not supported' });
    return undefined;
  }
  const uris = value.uris;
  if (!Array.isArray(uris) || uris.length !== 1 || typeof uris[0] !== 'string') {
    problems.push({ field: 'webhookConfig.uris', message: 'must be a list of exactly one URL' });
    return undefined;
  }
  return uris[0];
}
