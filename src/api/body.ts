import type { Context } from 'hono';
import { ReelayError } from '../errors.js';
import { chunksSink, readLimited, textSink } from './body-read.js';
import type { AppEnv } from './env.js';

export interface ParsedBody {
  fields: Record<string, unknown>;
  /** The image part of a multipart form (`image`, or the door's field name), when it was a file. */
  upload?: Buffer;
}

export interface HeldBody extends ParsedBody {
  /** Gives the body's bytes back to the process's budget: call when the call is done with it. */
  release(): void;
}

/**
 * Reads a submit body: JSON (Segmind's format) or multipart/form-data (Reelay extension, image as
 * a file part). Enforces the size limit while reading, so a huge body is refused without being
 * buffered, and holds its bytes from the process's body budget until the caller releases them.
 */
export async function readSubmitBody(c: Context<AppEnv>, fileField = 'image'): Promise<HeldBody> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  const isJson = type.startsWith('application/json') || /^application\/[\w.+-]+\+json/.test(type);
  const isMultipart = type.startsWith('multipart/form-data');
  if (!isJson && !isMultipart) {
    throw new ReelayError('unsupported_media_type', `Content-Type must be application/json or multipart/form-data (got ${type ? `"${type}"` : 'none'})`);
  }
  const hold = c.get('bodyBudget').hold();
  try {
    const limit = c.get('services').config.maxBodyBytes;
    const parsed = isJson
      ? { fields: parseJsonObject(await readLimited(c, limit, textSink(), hold.take)) }
      : await parseMultipart(await readLimited(c, limit, chunksSink(), hold.take), c.req.header('content-type') ?? '', fileField);
    return { ...parsed, release: hold.release };
  } catch (err) {
    hold.release();
    throw err;
  }
}

/** Reads a small JSON object body (admin routes). An empty body counts as `{}`. */
export async function readJsonBody(c: Context<AppEnv>, limit = 64 * 1024): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  const text = await readLimited(c, limit, textSink());
  if (text.length === 0) return {};
  if (!type.startsWith('application/json')) {
    throw new ReelayError('unsupported_media_type', `Content-Type must be application/json (got ${type ? `"${type}"` : 'none'})`);
  }
  return parseJsonObject(text);
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReelayError('invalid_request', `Malformed JSON body: ${(err as Error).message}`, {
      details: [{ field: 'body', message: 'must be a JSON object' }],
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReelayError('invalid_request', 'The JSON body must be an object of parameters', {
      details: [{ field: 'body', message: 'must be a JSON object' }],
    });
  }
  return value as Record<string, unknown>;
}

async function parseMultipart(chunks: Uint8Array[], contentType: string, fileField: string): Promise<ParsedBody> {
  // Handed over as a stream of the chunks read: the parser joins them once, where a Buffer body
  // would have been joined here and copied again by Request.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  // Node requires `duplex` with a stream body; the DOM typing of RequestInit does not know it.
  const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers: { 'content-type': contentType }, body, duplex: 'half' };
  let form: FormData;
  try {
    form = await new Request('http://body.local/', init).formData();
  } catch (err) {
    throw new ReelayError('invalid_request', `Malformed multipart/form-data body: ${(err as Error).message}`, {
      details: [{ field: 'body', message: 'must be a valid multipart/form-data body' }],
    });
  }
  const fields: Record<string, unknown> = {};
  let upload: Buffer | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === fileField) upload = Buffer.from(await value.arrayBuffer());
  }
  return upload ? { fields, upload } : { fields };
}
