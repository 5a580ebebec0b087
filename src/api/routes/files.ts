import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { verifyFileToken } from '../segmind/file-urls.js';
import { findVisibleRequest } from '../../core/lookup.js';
import type { RequestRecord } from '../../core/types.js';
import { notFound } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { parseRange } from '../range.js';

export const fileRoutes = new Hono<AppEnv>();

/** docs/api.md §5.5: the output video, without the API key, by signed URL, with Range support. */
fileRoutes.get('/v2/files/:token/:name', async (c) => {
  const services = c.get('services');
  const id = /^(.+)\.mp4$/.exec(c.req.param('name'))?.[1];
  if (!id || !verifyFileToken(services.fileSigningSecret, id, c.req.param('token'))) throw notFound();
  const request = await findVisibleRequest(services, id, null);
  if (request.status !== 'COMPLETED') throw notFound();
  c.header('X-Request-Id', request.id);
  return streamOutput(c, request, c.req.header('range'));
});

/** Streams a completed request's video, whole or one byte range. */
export async function streamOutput(c: Context<AppEnv>, request: RequestRecord, rangeHeader: string | undefined): Promise<Response> {
  const { blobs } = c.get('services');
  const key = request.outputKey;
  const info = key ? await blobs.stat(key) : undefined;
  if (!key || !info) throw notFound();
  const headers: Record<string, string> = {
    'Content-Type': 'video/mp4',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, max-age=3600',
    'Content-Disposition': `inline; filename="${request.id}.mp4"`,
  };
  const range = parseRange(rangeHeader, info.size);
  if (range.kind === 'unsatisfiable') {
    // An error like every other: JSON, not an empty body labelled video/mp4.
    const body = { error: `Range not satisfiable: the file has ${info.size} bytes (valid: bytes=0-${info.size - 1})`, code: 'range_not_satisfiable' };
    return c.json(body, 416, { 'Accept-Ranges': 'bytes', 'Content-Range': `bytes */${info.size}` });
  }
  if (c.req.method === 'HEAD') {
    return c.body(null, 200, { ...headers, 'Content-Length': String(info.size) });
  }
  if (range.kind === 'partial') {
    const stream = await blobs.read(key, { start: range.start, end: range.end });
    return c.body(Readable.toWeb(stream) as ReadableStream, 206, {
      ...headers,
      'Content-Range': `bytes ${range.start}-${range.end}/${info.size}`,
      'Content-Length': String(range.end - range.start + 1),
    });
  }
  const stream = await blobs.read(key);
  return c.body(Readable.toWeb(stream) as ReadableStream, 200, { ...headers, 'Content-Length': String(info.size) });
}
