import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/blobs/blob-store.js';
import { DiskBlobStore } from '../../src/blobs/disk.js';
import { S3BlobStore, type S3BlobStoreOptions } from '../../src/blobs/s3.js';
import { closedPort } from '../helpers/loopback.js';
import { startS3rver, type RunningS3rver } from '../helpers/s3rver.js';
import { tempDir } from '../helpers/temp-dir.js';

interface OpenedBlobStore {
  store: BlobStore;
  dispose(): Promise<void>;
}

const s3Options = (s3: RunningS3rver, extra: Partial<S3BlobStoreOptions> = {}): S3BlobStoreOptions => ({
  endpoint: s3.endpoint,
  bucket: s3.bucket,
  region: s3.region,
  accessKeyId: s3.accessKeyId,
  secretAccessKey: s3.secretAccessKey,
  forcePathStyle: s3.forcePathStyle,
  ...extra,
});

const BACKENDS: Array<[string, () => Promise<OpenedBlobStore>]> = [
  [
    'disk',
    async () => {
      // Opened in beforeEach: the directory goes when the test finishes.
      return { store: new DiskBlobStore(await tempDir('reelay-blobs-')), dispose: async () => {} };
    },
  ],
  [
    's3',
    async () => {
      const s3 = await startS3rver();
      const store = new S3BlobStore(s3Options(s3));
      return {
        store,
        async dispose() {
          store.destroy();
          await s3.stop();
        },
      };
    },
  ],
];

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let scratch: string;
beforeEach(async () => {
  scratch = await tempDir('reelay-blob-src-');
});

async function sourceFile(bytes: Buffer): Promise<string> {
  const path = join(scratch, `src-${randomBytes(4).toString('hex')}.bin`);
  await writeFile(path, bytes);
  return path;
}

describe.each(BACKENDS)('blob store contract: %s', (_name, open) => {
  let opened: OpenedBlobStore;
  let store: BlobStore;
  const digits = Buffer.from('0123456789');

  beforeEach(async () => {
    opened = await open();
    store = opened.store;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('puts from bytes and reports the size', async () => {
    expect(await store.put('inputs/a', { bytes: digits })).toEqual({ size: 10 });
    expect(await store.readBytes('inputs/a')).toEqual(digits);
  });

  it('puts from a file path, leaving the source in place', async () => {
    const path = await sourceFile(digits);
    expect(await store.put('inputs/b', { path })).toEqual({ size: 10 });
    expect(await store.readBytes('inputs/b')).toEqual(digits);
    expect(await store.stat('inputs/b')).toEqual({ size: 10 });
  });

  it('put from a missing file rejects with ENOENT and stores nothing', async () => {
    await expect(store.put('inputs/c', { path: join(scratch, 'absent') })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.stat('inputs/c')).toBeUndefined();
  });

  it('stats present and missing keys', async () => {
    await store.put('k', { bytes: Buffer.alloc(3) });
    expect(await store.stat('k')).toEqual({ size: 3 });
    expect(await store.stat('nope')).toBeUndefined();
  });

  it('reads whole blobs and inclusive ranges', async () => {
    await store.put('r', { bytes: digits });
    expect(await drain(await store.read('r'))).toEqual(digits);
    expect((await drain(await store.read('r', { start: 0, end: 2 }))).toString()).toBe('012');
    expect((await drain(await store.read('r', { start: 4, end: 6 }))).toString()).toBe('456');
    expect((await drain(await store.read('r', { start: 9, end: 9 }))).toString()).toBe('9');
  });

  it('read and readBytes of a missing key reject with ENOENT', async () => {
    await expect(store.read('outputs/missing.mp4')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.read('missing', { start: 0, end: 1 })).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.readBytes('missing')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('deletes, and deleting a missing key is not an error', async () => {
    await store.put('d', { bytes: digits });
    await store.delete('d');
    expect(await store.stat('d')).toBeUndefined();
    await expect(store.delete('d')).resolves.toBeUndefined();
    await expect(store.delete('never/was')).resolves.toBeUndefined();
  });

  it('overwrite replaces the content', async () => {
    await store.put('o', { bytes: digits });
    await store.put('o', { bytes: Buffer.from('xy') });
    expect(await store.stat('o')).toEqual({ size: 2 });
    expect((await store.readBytes('o')).toString()).toBe('xy');
  });

  it('keeps keys with slashes apart', async () => {
    await store.put('outputs/abc-1.mp4', { bytes: Buffer.from('video') });
    await store.put('outputs/abc-2.mp4', { bytes: Buffer.from('other') });
    expect((await store.readBytes('outputs/abc-1.mp4')).toString()).toBe('video');
    expect(await store.stat('outputs/abc-1.mp4')).toEqual({ size: 5 });
    expect(await store.stat('outputs/abc-3.mp4')).toBeUndefined();
  });

  it('refuses a key that climbs out of the store', async () => {
    await expect(store.put('../escape', { bytes: digits })).rejects.toThrow();
  });

  it('round-trips a 5 MB object byte-identically, from bytes and from a file', async () => {
    const big = randomBytes(5 * 1024 * 1024);
    expect(await store.put('big/bytes', { bytes: big })).toEqual({ size: big.length });
    expect((await store.readBytes('big/bytes')).equals(big)).toBe(true);
    expect(await store.put('big/file', { path: await sourceFile(big) })).toEqual({ size: big.length });
    expect((await drain(await store.read('big/file'))).equals(big)).toBe(true);
    const mid = { start: 2_000_000, end: 3_000_123 };
    expect((await drain(await store.read('big/file', mid))).equals(big.subarray(mid.start, mid.end + 1))).toBe(true);
  });

  it('round-trips a file larger than the in-memory upload threshold', async () => {
    const big = randomBytes(12 * 1024 * 1024 + 7);
    expect(await store.put('big/streamed', { path: await sourceFile(big) })).toEqual({ size: big.length });
    expect(await store.stat('big/streamed')).toEqual({ size: big.length });
    expect((await store.readBytes('big/streamed')).equals(big)).toBe(true);
  });
});

describe('S3BlobStore only', () => {
  let s3: RunningS3rver;
  const stores: S3BlobStore[] = [];
  const makeStore = (extra: Partial<S3BlobStoreOptions> = {}): S3BlobStore => {
    const store = new S3BlobStore(s3Options(s3, extra));
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    s3 = await startS3rver();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) store.destroy();
    await s3.stop();
  });

  it('a source that fails while it is streamed up rejects the put, and the process lives on', async () => {
    // A directory opens but fails to read (EISDIR): a read error in the middle of a streamed upload.
    const store = makeStore({ bufferFilesUpTo: 0 });
    const dir = await tempDir('reelay-s3-source-');
    await expect(store.put('outputs/broken.mp4', { path: dir })).rejects.toThrow(/could not read .* while uploading it: .*EISDIR/);
    expect(await store.stat('outputs/broken.mp4')).toBeUndefined();
  });

  it('prefix isolates two stores on one bucket', async () => {
    const a = makeStore({ prefix: 'tenant-a' });
    const b = makeStore({ prefix: '/tenant-b/' });
    const bare = makeStore();
    await a.put('outputs/x.mp4', { bytes: Buffer.from('from a') });
    await b.put('outputs/x.mp4', { bytes: Buffer.from('from b') });
    expect((await a.readBytes('outputs/x.mp4')).toString()).toBe('from a');
    expect((await b.readBytes('outputs/x.mp4')).toString()).toBe('from b');
    expect(await bare.stat('outputs/x.mp4')).toBeUndefined();
    expect((await bare.readBytes('tenant-a/outputs/x.mp4')).toString()).toBe('from a');
    await a.delete('outputs/x.mp4');
    expect(await a.stat('outputs/x.mp4')).toBeUndefined();
    expect(await b.stat('outputs/x.mp4')).toEqual({ size: 6 });
  });

  it('presignedGetUrl downloads with a plain fetch, typed from the key or the override', async () => {
    const store = makeStore({ prefix: 'p' });
    const bytes = randomBytes(100_000);
    await store.put('outputs/abc-1.mp4', { bytes });
    const url = await store.presignedGetUrl('outputs/abc-1.mp4', 300);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

    await store.put('inputs/img', { bytes: Buffer.from('png') });
    const typed = await fetch(await store.presignedGetUrl('inputs/img', 60, { contentType: 'image/png' }));
    expect(typed.headers.get('content-type')).toBe('image/png');
    expect(await typed.text()).toBe('png');
  });

  it('presigned URLs carry their lifetime and stop working once expired', async () => {
    const store = makeStore();
    await store.put('short', { bytes: Buffer.from('s') });
    const url = await store.presignedGetUrl('short', 1);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('1');
    expect(new URL(url).searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    // X-Amz-Date has one-second resolution, so wait two seconds to be past it for sure.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await fetch(url)).status).toBe(403);
  });

  it('errors other than not-found propagate from stat and read', async () => {
    const store = makeStore({ accessKeyId: 'WRONG', secretAccessKey: 'WRONG', maxAttempts: 1 });
    const forbidden = { $metadata: { httpStatusCode: 403 } };
    await expect(store.stat('anything')).rejects.toMatchObject(forbidden);
    await expect(store.read('anything')).rejects.toMatchObject(forbidden);
  });

  it('put against a closed port rejects promptly', async () => {
    const port = await closedPort();
    const store = makeStore({ endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 1_000, maxAttempts: 1 });
    const started = Date.now();
    await expect(store.put('x', { bytes: Buffer.from('x') })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects half-given credentials at construction', () => {
    expect(() => new S3BlobStore({ bucket: 'b', region: 'us-east-1', accessKeyId: 'only' })).toThrow(/both/);
  });
});
