import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { Context } from 'hono';
import { ReelayError } from '../errors.js';
import type { AppEnv } from './env.js';

/**
 * Where a body's chunks go as they arrive. Large bodies (29 MB submits) are why this exists: kept
 * as a list of 64 KB Buffers until the end, each body left hundreds of small blocks in glibc's main
 * heap, interleaved with everything else the process allocated meanwhile, and that heap cannot
 * shrink past a block still in use above them. Measured after bursts of 21 MB-image bodies: the
 * brk heap grew from 10 MB to 70–160 MB and stayed there while V8's heap and `arrayBuffers` were
 * back at base (README, "Memory").
 */
export interface BodySink<T> {
  push(chunk: Uint8Array): void;
  end(): T;
}

/**
 * Decodes UTF-8 as it arrives (split characters are carried over), so each chunk is garbage as
 * soon as it is read and the text lives in V8's heap, which gives its pages back when collected.
 * The same text as `Buffer.toString('utf8')` of the whole body: a BOM is kept, bad bytes are U+FFFD.
 */
export function textSink(): BodySink<string> {
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  return {
    push: (chunk) => void parts.push(decoder.write(chunk)),
    end: () => {
      parts.push(decoder.end());
      return parts.join('');
    },
  };
}

/** The chunks as the HTTP parser made them, for multipart bodies: neither copied nor joined here. */
export function chunksSink(): BodySink<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  return { push: (chunk) => void chunks.push(chunk), end: () => chunks };
}

interface ChunkSource {
  /** The next chunk, or null at the end of the body. */
  next(): Promise<Uint8Array | null>;
  cancel(): Promise<void>;
}

/**
 * The body's chunks. Under the Node adapter they are read from the IncomingMessage itself: its
 * web-stream view copies every chunk once more ("to detach it from the pool"), for nothing, since
 * the HTTP parser already gives each chunk its own memory. Elsewhere (app.request in tests), the
 * Request's stream.
 */
function chunkSource(c: Context<AppEnv>): ChunkSource | null {
  // The Node adapter passes `{ incoming, outgoing }` as the env; AppEnv does not declare Bindings.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && typeof incoming.on === 'function') {
    const it = incoming[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    return {
      next: async () => {
        const r = await it.next();
        return r.done ? null : r.value;
      },
      cancel: async () => {
        await it.return?.();
      },
    };
  }
  const body = c.req.raw.body;
  if (!body) return null;
  const reader = body.getReader();
  return {
    next: async () => {
      const r = await reader.read();
      return r.done ? null : r.value;
    },
    cancel: () => reader.cancel(),
  };
}

/**
 * Reads the body up to `limit` bytes into `sink`. `take` is told of the bytes before they are
 * kept: all of a declared Content-Length at once (so a body that will not fit is refused before
 * reading), or chunk by chunk for a chunked body.
 */
export async function readLimited<T>(c: Context<AppEnv>, limit: number, sink: BodySink<T>, take: (bytes: number) => void = () => {}): Promise<T> {
  const tooLarge = (): ReelayError => new ReelayError('payload_too_large', `Request body is larger than the limit of ${limit} bytes`);
  const declared = Number(c.req.header('content-length'));
  const known = c.req.header('content-length') !== undefined && Number.isFinite(declared) && declared >= 0;
  if (known && declared > limit) throw tooLarge();
  const source = chunkSource(c);
  if (!source) return sink.end();
  // Refused for lack of room: read the rest without keeping it (bounded by `limit`), so the client,
  // still sending, gets to read the 503 instead of a reset connection.
  const takeOrDrain = async (bytes: number): Promise<void> => {
    try {
      take(bytes);
    } catch (err) {
      await drain(source, limit);
      throw err;
    }
  };
  let taken = 0;
  if (known) {
    await takeOrDrain(declared);
    taken = declared;
  }
  let size = 0;
  for (;;) {
    const chunk = await source.next();
    if (chunk === null) break;
    size += chunk.byteLength;
    if (size > limit) {
      await source.cancel();
      throw tooLarge();
    }
    if (size > taken) {
      await takeOrDrain(size - taken);
      taken = size;
    }
    sink.push(chunk);
  }
  return sink.end();
}

async function drain(source: ChunkSource, limit: number): Promise<void> {
  let seen = 0;
  try {
    for (;;) {
      const chunk = await source.next();
      if (chunk === null) return;
      seen += chunk.byteLength;
      if (seen > limit) return void (await source.cancel());
    }
  } catch {
    // The client went away meanwhile: nothing left to drain.
  }
}
