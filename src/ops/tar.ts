import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

// A minimal POSIX ustar archive: regular files only, which is all a backup holds. Readable by
// any `tar` (`tar -tf backup.tar`), so a backup can be inspected or unpacked by hand.

const BLOCK = 512;

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`path too long for the archive: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  const field = (value: string, offset: number, length: number): void => void h.write(value, offset, length, 'utf8');
  const octal = (value: number, offset: number, length: number): void => field(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length);
  field(base, 0, 100);
  octal(0o644, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(Math.floor(mtime / 1000), 136, 12);
  field('        ', 148, 8); // checksum is computed with this field as spaces
  field('0', 156, 1);
  field('ustar\x0000', 257, 8);
  field(prefix, 345, 155);
  let sum = 0;
  for (const byte of h) sum += byte;
  field(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** Writes an archive entry by entry; `finish` closes it. Files are streamed, never held in memory. */
export class TarWriter {
  private readonly out: WriteStream;

  constructor(path: string) {
    this.out = createWriteStream(path);
  }

  private write(chunk: Buffer): Promise<void> {
    return new Promise((done, fail) => this.out.write(chunk, (err) => (err ? fail(err) : done())));
  }

  /** Adds `file` under `name`, with exactly `size` bytes (the size read before copying). */
  async addFile(name: string, file: string, size: number, mtime: number): Promise<void> {
    await this.write(header(name, size, mtime));
    if (size > 0) {
      const source = createReadStream(file, { start: 0, end: size - 1 });
      for await (const chunk of source) await this.write(chunk as Buffer);
    }
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) await this.write(Buffer.alloc(pad));
  }

  async addBytes(name: string, bytes: Buffer): Promise<void> {
    await this.write(header(name, bytes.length, Date.now()));
    await this.write(Buffer.concat([bytes, Buffer.alloc((BLOCK - (bytes.length % BLOCK)) % BLOCK)]));
  }

  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    await new Promise<void>((done, fail) => this.out.end((err?: Error | null) => (err ? fail(err) : done())));
  }
}

export interface TarEntry {
  name: string;
  size: number;
  /** Offset of the content in the archive. */
  offset: number;
}

/** Lists the regular files of an archive; a header whose checksum is wrong means it is not one. */
export async function listTar(path: string): Promise<TarEntry[]> {
  const handle = await open(path, 'r');
  try {
    const entries: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    for (let offset = 0; ;) {
      const { bytesRead } = await handle.read(h, 0, BLOCK, offset);
      if (bytesRead < BLOCK || h.every((b) => b === 0)) break;
      const text = (start: number, length: number): string => h.toString('utf8', start, start + length).replace(/\0.*$/s, '');
      const stored = parseInt(text(148, 8).trim(), 8);
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
      if (stored !== sum) throw new Error(`${path} is not a Reelay backup (bad archive header at byte ${offset})`);
      const size = parseInt(text(124, 12).trim(), 8);
      const prefix = text(345, 155);
      const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
      if (text(156, 1) === '0' || text(156, 1) === '') entries.push({ name, size, offset: offset + BLOCK });
      offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Writes one entry to `root/name` (through a temp file), refusing names that leave `root`. */
export async function extractEntry(archive: string, entry: TarEntry, root: string): Promise<void> {
  const target = resolve(join(root, entry.name));
  if (!target.startsWith(resolve(root) + sep)) throw new Error(`archive entry escapes the target: ${entry.name}`);
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.restore-tmp`;
  try {
    if (entry.size === 0) await (await open(temp, 'w')).close();
    else await pipeline(createReadStream(archive, { start: entry.offset, end: entry.offset + entry.size - 1 }), createWriteStream(temp));
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
