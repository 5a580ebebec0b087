import type { Readable } from 'node:stream';

/** Bytes kept outside the store: input images and output videos, addressed by key ("outputs/<id>.mp4"). */
export interface BlobStore {
  /** Stores a file (moved or copied in) or a buffer; the blob appears complete or not at all. */
  put(key: string, source: { path: string } | { bytes: Buffer }): Promise<{ size: number }>;
  /** Size of the blob, or undefined when it does not exist. */
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Streams the blob, or an inclusive byte range of it. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  readBytes(key: string): Promise<Buffer>;
  /** Deleting a missing blob is not an error (the sweeper may run twice). */
  delete(key: string): Promise<void>;
  /** A URL that fetches the blob directly from the storage service, where it has one (S3). */
  presignedGetUrl?(key: string, expiresInSeconds: number): Promise<string>;
  /** Frees connections; called once at shutdown. */
  destroy?(): void;
}
