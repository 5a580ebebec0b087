import type { CameraPlan, Size, Window } from './camera.js';

/**
 * The working image: the part of the source the camera ever sees, resampled once to the
 * resolution the closest frame needs. Per-frame work and memory then depend on the output
 * size only, never on the source size (a 40 MP photo costs the same per frame as a thumbnail).
 */
export interface Working {
  /** The source region decoded, in whole source pixels. */
  region: { left: number; top: number; width: number; height: number };
  /** Size of the working image; even width and a height divisible by 4 (chroma row pairs). */
  width: number;
  height: number;
  /** Each frame's window in working-image pixels. */
  windows: Window[];
}

/** Working pixels kept around the visited area, so filter taps at a window's edge read real pixels. */
const MARGIN = 2;

export function workingFraming(plan: CameraPlan, source: Size, output: Size): Working {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let smallest = Infinity;
  for (const w of plan.windows) {
    minX = Math.min(minX, w.x);
    minY = Math.min(minY, w.y);
    maxX = Math.max(maxX, w.x + w.width);
    maxY = Math.max(maxY, w.y + w.height);
    smallest = Math.min(smallest, w.width);
  }
  // One working pixel per output pixel at the tightest window: enough for the max zoom, and
  // every other frame is a mild minification (never more than the zoom range).
  const scale = output.width / smallest;
  const margin = MARGIN / scale;
  const left = Math.max(0, Math.floor(minX - margin));
  const top = Math.max(0, Math.floor(minY - margin));
  const right = Math.min(source.width, Math.ceil(maxX + margin));
  const bottom = Math.min(source.height, Math.ceil(maxY + margin));
  const region = { left, top, width: right - left, height: bottom - top };
  const width = Math.max(2, roundTo(region.width * scale, 2));
  const height = Math.max(4, roundTo(region.height * scale, 4));
  const kx = width / region.width;
  const ky = height / region.height;
  const windows = plan.windows.map((w) => ({
    x: (w.x - left) * kx,
    y: (w.y - top) * ky,
    width: w.width * kx,
    height: w.height * ky,
  }));
  return { region, width, height, windows };
}

function roundTo(value: number, multiple: number): number {
  return Math.round(value / multiple) * multiple;
}
