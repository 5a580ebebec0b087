import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobStore } from './blob-store.js';

export interface S3BlobStoreOptions {
  /** For S3-compatible servers (MinIO, R2, s3rver); omit for AWS. */
  endpoint?: string;
  bucket: string;
  region: string;
  /** Both or neither; without them the SDK's default provider chain (env, profile, instance role) applies. */
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
  /** Namespace inside the bucket, e.g. "reelay" stores "outputs/x.mp4" as "reelay/outputs/x.mp4". */
  prefix?: string;
  /** Fail a request whose connection or socket stays idle this long. Unset: connect timeout only. */
  requestTimeoutMs?: number;
  /** Total attempts per request including the SDK's own retries (SDK default 3). */
  maxAttempts?: number;
  /** Files up to this many bytes are uploaded from memory, larger ones streamed (default 8 MiB). */
  bufferFilesUpTo?: number;
}

/** A single PutObject is limited to 5 GiB; anything larger needs multipart, which this store does not do. */
const MAX_SINGLE_PUT = 5 * 1024 ** 3;
/**
 * Files up to this size are uploaded from memory: the SDK cannot rewind a stream, so it never retries a
 * streamed PutObject, while a buffered one survives a 503 or reset connection. Outputs are mostly smaller.
 */
const BUFFER_FILES_UP_TO = 8 * 1024 ** 2;
/** Without it a black-holed endpoint hangs until the OS gives up on the SYN (minutes). */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const CONTENT_TYPES: Record<string, string> = { '.mp4': 'video/mp4' };

/** Blobs as objects in one S3 bucket; same semantics as DiskBlobStore (PutObject is atomic). */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly bufferFilesUpTo: number;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.bufferFilesUpTo = options.bufferFilesUpTo ?? BUFFER_FILES_UP_TO;
    const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = prefix === '' ? '' : `${prefix}/`;
    const { accessKeyId, secretAccessKey } = options;
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      throw new Error('S3 blob store: give both accessKeyId and secretAccessKey, or neither');
    }
    const config: S3ClientConfig = {
      region: options.region,
      forcePathStyle: options.forcePathStyle ?? false,
      // The SDK's default sends streamed bodies as aws-chunked with a trailing CRC, which many
      // S3-compatible servers (s3rver, older MinIO and Ceph) store verbatim or reject.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: Math.min(options.requestTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS),
        // An idle timeout, not a total one: large uploads and slow readers of a stream are fine while bytes move.
        ...(options.requestTimeoutMs !== undefined ? { socketTimeout: options.requestTimeoutMs } : {}),
      },
    };
    if (options.endpoint !== undefined) config.endpoint = options.endpoint;
    if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
    if (accessKeyId !== undefined && secretAccessKey !== undefined) config.credentials = { accessKeyId, secretAccessKey };
    this.client = new S3Client(config);
  }

  async put(key: string, source: { path: string } | { bytes: Buffer }): Promise<{ size: number }> {
    const Key = this.keyOf(key);
    const ContentType = CONTENT_TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';
    if ('bytes' in source) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: source.bytes, ContentType }));
      return { size: source.bytes.length };
    }
    const size = (await stat(source.path)).size; // a missing source fails here with ENOENT, as on disk
    if (size > MAX_SINGLE_PUT) throw new Error(`blob too large for a single S3 PutObject (${size} bytes): ${key}`);
    if (size <= this.bufferFilesUpTo) {
      const bytes = await readFile(source.path);
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentType }));
      return { size: bytes.length };
    }
    // ContentLength makes S3 reject a short body, so a file that shrinks mid-upload never lands half-written.
    const body = createReadStream(source.path);
    // The SDK pipes the stream, and a pipe does not listen for the source's errors: a read error
    // with no listener would end the process. Listen, and abort the upload with that error.
    const aborter = new AbortController();
    let readError: Error | undefined;
    body.on('error', (err) => {
      readError = err;
      aborter.abort(err);
    });
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentLength: size, ContentType }), {
        abortSignal: aborter.signal,
      });
    } catch (err) {
      throw readError ? new Error(`could not read ${source.path} while uploading it: ${readError.message}`, { cause: readError }) : err;
    } finally {
      body.destroy();
    }
    return { size };
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      return { size: head.ContentLength ?? 0 };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    let body: unknown;
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      body = out.Body;
    } catch (err) {
      if (isMissing(err)) throw notFound(key, err);
      throw err;
    }
    if (!(body instanceof Readable)) throw new Error(`S3 GetObject returned no Node stream for ${key}`);
    return body;
  }

  async readBytes(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.read(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a missing key too, so the sweeper's second pass needs no special case.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
  }

  /** A time-limited GET URL for the blob, so clients download straight from the bucket. */
  async presignedGetUrl(key: string, expiresInSeconds: number, opts?: { contentType?: string }): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.keyOf(key),
      ...(opts?.contentType !== undefined ? { ResponseContentType: opts.contentType } : {}),
    });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }

  /** Releases pooled sockets; the store is unusable afterwards. */
  destroy(): void {
    this.client.destroy();
  }

  private keyOf(key: string): string {
    // Parity with DiskBlobStore, which refuses keys escaping its root: dot segments could be normalised
    // by a proxy or an S3-compatible server into another key, so only plain relative paths are accepted.
    const segments = key.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..')) {
      throw new Error(`blob key is not a plain relative path: ${key}`);
    }
    return this.prefix + key;
  }
}

function isMissing(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { $metadata, name } = err as { $metadata?: { httpStatusCode?: number }; name?: string };
  // A missing bucket is a misconfiguration, not a missing blob (HEAD cannot tell them apart: no body).
  return $metadata?.httpStatusCode === 404 && name !== 'NoSuchBucket';
}

/** Shaped like the fs error DiskBlobStore raises, so callers treat a missing blob alike in both stores. */
function notFound(key: string, cause: unknown): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`ENOENT: no such blob '${key}'`, { cause });
  err.code = 'ENOENT';
  return err;
}
