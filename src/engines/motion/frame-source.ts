import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameReply, WarpRequest, WarpSetup } from './warp-worker.js';

/**
 * The main-thread side of the warp worker: frames come back in order, rendered ahead into a
 * small pool of buffers that travel between the threads (transferred, never copied).
 *
 * One worker per render, on purpose: a reused worker builds a second instance of the
 * resampler's closures, and V8 then runs the pixel loops ~2× slower (measured: 13 against
 * 6.5 ms per frame). Booting one costs less and overlaps the image decode.
 */
export class FrameSource {
  private readonly worker: Worker;
  private readonly ready = new Map<number, Uint8Array>();
  private waiting: { index: number; resolve: (f: Uint8Array) => void; reject: (e: unknown) => void } | null = null;
  private failed: unknown = null;
  private closed = false;
  private frameCount = 0;

  /** Starts the worker; frames come once `begin` has the job. */
  constructor(private readonly ahead = 3) {
    this.worker = spawnWarpWorker();
    this.worker.on('message', ({ index, buffer }: FrameReply) => {
      const frame = new Uint8Array(buffer);
      if (this.waiting?.index === index) {
        const { resolve } = this.waiting;
        this.waiting = null;
        resolve(frame);
      } else this.ready.set(index, frame);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`warp worker exited (${code})`));
    });
  }

  /** Sends the job and starts rendering the first frames; `frameBytes` is the size of one frame. */
  begin(setup: WarpSetup, frameCount: number, frameBytes: number): void {
    this.frameCount = frameCount;
    this.post({ kind: 'setup', setup });
    for (let i = 0; i < Math.min(this.ahead, frameCount); i++) this.request(i, new ArrayBuffer(frameBytes));
  }

  /** Frame `index`; call in order, one at a time. */
  take(index: number): Promise<Uint8Array> {
    if (this.failed !== null) return Promise.reject(this.failed);
    const frame = this.ready.get(index);
    if (frame) {
      this.ready.delete(index);
      return Promise.resolve(frame);
    }
    return new Promise((resolve, reject) => {
      this.waiting = { index, resolve, reject };
    });
  }

  /** Hands frame `index`'s buffer back, once consumed, to render a frame further ahead. */
  release(index: number, frame: Uint8Array): void {
    const next = index + this.ahead;
    if (next < this.frameCount && !this.closed) this.request(next, frame.buffer as ArrayBuffer);
  }

  /** Ends the worker (also mid-render: pending `take`s reject). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new Error('frame source closed'));
    await this.worker.terminate();
  }

  private request(index: number, buffer: ArrayBuffer): void {
    this.post({ kind: 'frame', index, buffer }, [buffer]);
  }

  private post(message: WarpRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private fail(err: unknown): void {
    this.failed ??= err;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(this.failed);
  }
}

/**
 * Compiled (`dist/*.js`), the worker is a plain module. Run from TypeScript sources (tests,
 * `node --import tsx`), Node 20 cannot load a `.ts` worker and workers do not inherit the
 * parent's loader hooks, so the worker registers tsx (a dev dependency) itself first; that
 * adds ~0.1-0.2 s per render that compiled code does not pay.
 */
function spawnWarpWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./warp-worker.js', here));
  const entry = new URL('./warp-worker.ts', here).href;
  const boot = `import(${JSON.stringify(tsxApiUrl(here))}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

/** The ESM build of `tsx/esm/api`, found through tsx's own export map (require() would pick the CJS build). */
function tsxApiUrl(from: string): string {
  const manifestPath = createRequire(from).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const file = manifest.exports['./esm/api']?.import?.default;
  if (!file) throw new Error('tsx/esm/api not found: run from compiled JavaScript or install tsx');
  return pathToFileURL(path.join(path.dirname(manifestPath), file)).href;
}
