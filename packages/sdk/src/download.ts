/** The part of a Node.js Writable (fs.WriteStream, process.stdout, ...) the SDK uses. */
export interface WritableLike {
  write(chunk: Uint8Array): boolean;
  end(callback?: () => void): unknown;
  once(event: 'drain' | 'error' | 'finish', listener: (arg?: unknown) => void): unknown;
  removeListener?(event: 'error', listener: (arg?: unknown) => void): unknown;
}

/** A file path (Node only), a Node writable stream, or a web WritableStream. */
export type Destination = string | WritableLike | WritableStream<Uint8Array>;

interface FsModule {
  createWriteStream(path: string): WritableLike;
  promises: { rm(path: string, options: { force: boolean }): Promise<void> };
}

// A variable specifier keeps bundlers from pulling node:fs into browser builds; only the path form needs it.
const FS_MODULE = 'node:fs';

export async function downloadTo(body: ReadableStream<Uint8Array>, destination: Destination): Promise<void> {
  if (destination instanceof WritableStream) return body.pipeTo(destination);
  if (typeof destination !== 'string') return pump(body, destination);
  const fs = (await import(FS_MODULE)) as FsModule;
  try {
    await pump(body, fs.createWriteStream(destination));
  } catch (err) {
    await fs.promises.rm(destination, { force: true }); // no half-written video left behind
    throw err;
  }
}

/** Copies with backpressure (waits for 'drain'), and ends the stream; a stream error rejects. */
async function pump(body: ReadableStream<Uint8Array>, out: WritableLike): Promise<void> {
  let failure: unknown;
  const onError = (err?: unknown): void => {
    failure = err ?? new Error('write failed');
  };
  out.once('error', onError);
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (failure) throw failure;
      if (!out.write(value))
        await new Promise<void>((resolve, reject) => {
          out.once('drain', () => resolve());
          out.once('error', reject);
        });
    }
    await new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      out.once('error', reject);
      out.end(() => resolve());
    });
  } finally {
    reader.releaseLock();
    out.removeListener?.('error', onError);
  }
}
