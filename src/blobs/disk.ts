import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobStore } from './blob-store.js';

/** Blobs as files under one directory. Writes go to a temp file in the same directory, then rename (atomic). */
export class DiskBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(key: string, source: { path: string } | { bytes: Buffer }): Promise<{ size: number }> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      if ('bytes' in source) await writeFile(temp, source.bytes);
      else await copyFile(source.path, temp);
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    return { size: (await stat(target)).size };
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      // A key that is a prefix of other keys is a directory on disk, not a blob.
      return info.isFile() ? { size: info.size } : undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const path = this.pathOf(key);
    await stat(path); // fail now with ENOENT rather than later inside the stream
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async readBytes(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    // Keys are made by Reelay, but a traversal bug must never reach outside the root.
    if (!path.startsWith(this.root + sep)) throw new Error(`blob key escapes the blob root: ${key}`);
    return path;
  }
}
