import { parentPort, workerData } from 'node:worker_threads';
import { createFrameWarper } from './resample.js';
import { rgbToPackedYuv } from './yuv.js';

/**
 * Worker-thread entry: renders frames so the warp runs on its own core, beside x264, and the
 * main thread's event loop (which also serves the API) never blocks on pixel loops.
 */

/** What the worker is started with (`workerData`). */
export interface WarpSetup {
  rgb: Uint8Array;
  width: number;
  height: number;
  outW: number;
  outH: number;
  /** `x, y, width, height` of each frame's window in working pixels, flattened. */
  windows: Float64Array;
}

/** main → worker: render frame `index` into `buffer`. */
export interface FrameRequest {
  index: number;
  buffer: ArrayBuffer;
}

/** worker → main: `buffer` (transferred back) holds frame `index`. */
export type FrameReply = FrameRequest;

const port = parentPort;
if (port) {
  const setup = workerData as WarpSetup;
  const warp = createFrameWarper(rgbToPackedYuv(setup.rgb, setup.width, setup.height), setup.outW, setup.outH);
  const w = setup.windows;
  port.on('message', ({ index, buffer }: FrameRequest) => {
    const at = index * 4;
    const frame = warp({ x: w[at]!, y: w[at + 1]!, width: w[at + 2]!, height: w[at + 3]! });
    new Uint8Array(buffer).set(frame);
    const reply: FrameReply = { index, buffer };
    port.postMessage(reply, [buffer]);
  });
}
