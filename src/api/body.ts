import type { Context } from 'hono';
import { ReelayError } from '../errors.js';
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
    const bytes = await readLimited(c, c.get('services').config.maxBodyBytes, hold.take);
    const parsed = isJson ? { fields: parseJsonObject(bytes) } : await parseMultipart(bytes, c.req.header('content-type') ?? '', fileField);
    return { ...parsed, release: hold.release };
  } catch (err) {
    hold.release();
    throw err;
  }
}

/** Reads a small JSON object body (admin routes). An empty body counts as `{}`. */
export async function readJsonBody(c: Context<AppEnv>, limit = 64 * 1024): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  const bytes = await readLimited(c, limit);
  if (bytes.length === 0) return {};
  if (!type.startsWith('application/json')) {
    throw new ReelayError('unsupported_media_type', `Content-Type must be application/json (got ${type ? `"${type}"` : 'none'})`);
  }
  return parseJsonObject(bytes);
}

/**
 * Reads the body up to `limit` bytes. `take` is told of the bytes before they are buffered: all
 * of a declared Content-Length at once (so a body that will not fit is refused before reading),
 * or chunk by chunk for a chunked body.
 */
async function readLimited(c: Context<AppEnv>, limit: number, take: (bytes: number) => void = () => {}): Promise<Buffer> {
  const tooLarge = (): ReelayError => new ReelayError('payload_too_large', `Request body is larger than the limit of ${limit} bytes`);
  const declared = Number(c.req.header('content-length'));
  const known = c.req.header('content-length') !== undefined && Number.isFinite(declared) && declared >= 0;
  if (known && declared > limit) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  // Refused for lack of room: read the rest without keeping it (bounded by `limit`), so the client,
  // still sending, gets to read the 503 instead of a reset connection.
  const takeOrDrain = async (bytes: number): Promise<void> => {
    try {
      take(bytes);
    } catch (err) {
      await drain(reader, limit);
      throw err;
    }
  };
  let taken = 0;
  if (known) {
    await takeOrDrain(declared);
    taken = declared;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    if (size > taken) {
      await takeOrDrain(size - taken);
      taken = size;
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks, size);
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<void> {
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > limit) return void (await reader.cancel());
    }
  } catch {
    // The client went away meanwhile: nothing left to drain.
  }
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
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

async function parseMultipart(bytes: Buffer, contentType: string, fileField: string): Promise<ParsedBody> {
  let form: FormData;
  try {
    form = await new Request('http://body.local/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(bytes) }).formData();
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
