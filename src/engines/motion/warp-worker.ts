import { parentPort } from 'node:worker_threads';
import { createFrameWarper } from './resample.js';
import { createSimdFrameWarper } from './simd-warper.js';
import { rgbToPackedYuv } from './yuv.js';

/**
 * Worker-thread entry: renders frames so the warp runs on its own core, beside x264, and the
 * main thread's event loop (which also serves the API) never blocks on pixel loops.
 */

/** The job: the working image and every frame's window. */
export interface WarpSetup {
  rgb: Uint8Array;
  width: number;
  height: number;
  outW: number;
  outH: number;
  /** `x, y, width, height` of each frame's window in working pixels, flattened. */
  windows: Float64Array;
}

/**
 * main → worker: first `setup` (a message rather than `workerData`, so the worker can boot
 * while the image is still decoding), then `frame` requests: render frame `index` into `buffer`.
 */
export type WarpRequest = { kind: 'setup'; setup: WarpSetup } | { kind: 'frame'; index: number; buffer: ArrayBuffer };

/** worker → main: `buffer` (transferred back) now holds frame `index`. */
export interface FrameReply {
  index: number;
  buffer: ArrayBuffer;
}

const port = parentPort;
if (port) {
  let render: ((index: number) => Uint8Array) | null = null;
  port.on('message', (message: WarpRequest) => {
    if (message.kind === 'setup') {
      const { rgb, width, height, outW, outH, windows: w } = message.setup;
      const warp = createSimdFrameWarper(rgb, width, height, outW, outH) ?? createFrameWarper(rgbToPackedYuv(rgb, width, height), outW, outH);
      render = (i) => warp({ x: w[4 * i]!, y: w[4 * i + 1]!, width: w[4 * i + 2]!, height: w[4 * i + 3]! });
      return;
    }
    if (!render) throw new Error('frame requested before setup');
    const { index, buffer } = message;
    new Uint8Array(buffer).set(render(index));
    const reply: FrameReply = { index, buffer };
    port.postMessage(reply, [buffer]);
  });
}
