/** The part of a Node.js Writable (fs.WriteStream, process.stdout, ...) the SDK uses. */
export interface WritableLike {
  write(chunk: Uint8Array): boolean;
  end(callback?: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
  on(event: 'error', listener: (err?: unknown) => void): unknown;
  removeListener(event: 'error', listener: (err?: unknown) => void): unknown;
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
  // One 'error' listener for the whole copy: one per 'drain' wait would pile up on every full
  // buffer and print MaxListenersExceededWarning for any video larger than a few buffers.
  let failure: unknown;
  let wake: (() => void) | undefined;
  const onError = (err?: unknown): void => {
    failure = err ?? new Error('write failed');
    wake?.();
  };
  /** Resolves when `start`'s callback fires, rejects at once if the stream errors meanwhile. */
  const until = (start: (done: () => void) => void): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      wake = () => reject(failure);
      if (failure) return wake();
      start(() => {
        wake = undefined;
        resolve();
      });
    });
  out.on('error', onError);
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (failure) throw failure;
      if (!out.write(value)) await until((done) => out.once('drain', done));
    }
    await until((done) => out.end(done));
  } finally {
    reader.releaseLock();
    out.removeListener('error', onError);
  }
}
