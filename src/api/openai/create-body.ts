import type { Config } from '../../config.js';
import { invalidRequest, type FieldProblem } from '../../errors.js';
import type { ParsedBody } from '../body.js';
import type { DoorSubmission } from '../accept-call.js';
import { mappedModel } from '../door-fields.js';
import { SIZE_OF_ASPECT } from './video-view.js';

/** The model OpenAI's API uses when `model` is left out. */
export const OPENAI_DEFAULT_MODEL = 'sora-2';

const ASPECT_OF_SIZE: Record<string, string> = Object.fromEntries(Object.entries(SIZE_OF_ASPECT).map(([aspect, size]) => [size, aspect]));

/**
 * `POST /videos` in Reelay's terms. The official SDK always sends multipart: text fields, the image
 * as the `input_reference` file part, or `input_reference[image_url]` flattened; JSON bodies carry
 * `input_reference: {image_url}`. `seconds` is checked by the core against the mapped model.
 * Reelay extensions: `seed`, `webhook`.
 */
export function parseCreateBody(config: Pick<Config, 'doors' | 'models'>, body: ParsedBody): DoorSubmission {
  const f = body.fields;
  const problems: FieldProblem[] = [];
  const doorModel = f.model === undefined || f.model === '' ? OPENAI_DEFAULT_MODEL : f.model;
  if (typeof doorModel !== 'string') problems.push({ field: 'model', message: 'must be a string' });
  if (f.prompt === undefined) problems.push({ field: 'prompt', message: 'is required' });
  else if (typeof f.prompt !== 'string') problems.push({ field: 'prompt', message: 'must be a string' });
  const size = f.size;
  if (size !== undefined && (typeof size !== 'string' || !Object.hasOwn(ASPECT_OF_SIZE, size))) {
    problems.push({
      field: 'size',
      message: `must be ${Object.keys(ASPECT_OF_SIZE)
        .map((s) => `"${s}"`)
        .join(' or ')}`,
    });
  }
  const imageUrl = referenceUrl(f, problems);
  if (!body.upload && imageUrl === undefined && !problems.some((p) => p.field.startsWith('input_reference'))) {
    problems.push({
      field: 'input_reference',
      message: 'is required: the model turns an image into a video; send the image as a file part, or input_reference[image_url] as an http(s) or data: URL',
    });
  }
  if (problems.length > 0) throw invalidRequest(problems);
  const name = doorModel as string;
  const { openai } = config.doors;
  const model = mappedModel(config, name, Object.hasOwn(openai.models, name) ? openai.models[name] : openai.defaultModel);
  const fields: Record<string, unknown> = { prompt: f.prompt };
  if (f.seconds !== undefined) fields.duration = f.seconds;
  if (typeof size === 'string') fields.aspect_ratio = ASPECT_OF_SIZE[size];
  if (imageUrl !== undefined) fields.image = imageUrl;
  if (f.seed !== undefined) fields.seed = f.seed;
  if (f.webhook !== undefined) fields.webhook = f.webhook;
  return { model, fields, ...(body.upload ? { upload: body.upload } : {}), door: { name: 'openai', model: name } };
}

/** The image URL of `input_reference`, flattened (multipart) or nested (JSON); file ids are refused. */
function referenceUrl(f: Record<string, unknown>, problems: FieldProblem[]): string | undefined {
  const nested = typeof f.input_reference === 'object' && f.input_reference !== null ? (f.input_reference as Record<string, unknown>) : {};
  const fileId = f['input_reference[file_id]'] ?? nested.file_id;
  if (fileId !== undefined) {
    problems.push({
      field: 'input_reference[file_id]',
      message: 'is not supported: Reelay has no Files API; upload the image or give input_reference[image_url]',
    });
    return undefined;
  }
  const url = f['input_reference[image_url]'] ?? nested.image_url ?? (typeof f.input_reference === 'string' ? f.input_reference : undefined);
  if (url === undefined) return undefined;
  if (typeof url !== 'string' || url === '') {
    problems.push({ field: 'input_reference[image_url]', message: 'must be an http(s) URL or a data:image/...;base64, URL' });
    return undefined;
  }
  return url;
}
