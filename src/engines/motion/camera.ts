/**
 * Camera paths: where the virtual camera looks in the source image at every frame.
 *
 * Glossary
 * - cover window: the largest centred window of the output's aspect ratio that fits in the
 *   source, i.e. the image scaled to cover the frame and centre-cropped (docs/api.md §2). Zoom 1.
 * - window: what one frame shows, in source pixels (edge coordinates, floats). At zoom `z`
 *   it is the cover window shrunk by `z`, moved by an offset from the source centre.
 * - room: how far the centre of a zoom-`z` window can move on one axis and stay inside.
 *
 * Every path is closed-form in the eased time `e`, and each one is built so its windows stay
 * inside the source by construction (no clamping, which would put kinks in the motion).
 */

export const FPS = 24;

export const MOVE_KINDS = [
  'zoom-in',
  'zoom-out',
  'pan-left',
  'pan-right',
  'tilt-up',
  'tilt-down',
  'drift',
  'push-in',
  'ken-burns-in',
  'ken-burns-out',
] as const;
export type MoveKind = (typeof MOVE_KINDS)[number];

/** A move and the seed-derived variations that make two seeds render differently. */
export interface Move {
  kind: MoveKind;
  /** Scales the speed of the move; around 1. */
  strength: number;
  /** Direction of drift and push-in, or focal point of ken-burns, each axis in [-1, 1]. */
  aim: { x: number; y: number };
}

export interface Size {
  width: number;
  height: number;
}

export interface Window {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CameraPlan {
  move: Move;
  frames: number;
  /** One window per frame, in source pixels. */
  windows: Window[];
  /** The window of frame 0: what the first frame shows. */
  start: Window;
  cover: Window;
  /** The largest zoom of the path, relative to the cover window. */
  maxZoom: number;
}

// Speeds are per second, so a longer clip moves further rather than faster.
/** Natural-log zoom change per second (5 s ≈ ×1.16, 8 s ≈ ×1.27 at strength 1). */
const ZOOM_RATE = 0.03;
const KEN_BURNS_ZOOM = 1.25;
/** Pan speed on screen, as a fraction of the frame's shorter side per second. */
const PAN_SPEED = 0.04;
/** Share of the room its own zoom creates that a push-in drifts sideways. */
const PUSH_SIDEWAYS = 0.5;

/** Ease-in-out: starts and stops with zero velocity, and is smooth in every derivative. */
export function ease(t: number): number {
  return (1 - Math.cos(Math.PI * t)) / 2;
}

interface Pose {
  zoom: number;
  dx: number;
  dy: number;
}
type Path = (e: number) => Pose;

/** Plans every frame's window for `move` on a `source`-sized image rendered at `output` size. */
export function planCamera(opts: { move: Move; source: Size; output: Size; durationSeconds: number }): CameraPlan {
  const { move, source, output, durationSeconds } = opts;
  const frames = Math.round(durationSeconds * FPS);
  const coverScale = Math.max(output.width / source.width, output.height / source.height);
  const cover: Size = { width: output.width / coverScale, height: output.height / coverScale };
  const path = pathFor(move, source, cover, output, durationSeconds);
  const windows: Window[] = [];
  let maxZoom = 1;
  for (let i = 0; i < frames; i++) {
    const pose = path(ease(frames > 1 ? i / (frames - 1) : 0));
    maxZoom = Math.max(maxZoom, pose.zoom);
    const width = cover.width / pose.zoom;
    const height = cover.height / pose.zoom;
    windows.push({
      x: source.width / 2 + pose.dx - width / 2,
      y: source.height / 2 + pose.dy - height / 2,
      width,
      height,
    });
  }
  const centred = { x: (source.width - cover.width) / 2, y: (source.height - cover.height) / 2, ...cover };
  return { move, frames, windows, start: windows[0] ?? centred, cover: centred, maxZoom };
}

function pathFor(move: Move, source: Size, cover: Size, output: Size, seconds: number): Path {
  const zoomTo = Math.exp(ZOOM_RATE * seconds * move.strength);
  const kenBurnsTo = Math.exp(ZOOM_RATE * KEN_BURNS_ZOOM * seconds * move.strength);
  const travel = PAN_SPEED * Math.min(output.width, output.height) * seconds * move.strength;
  switch (move.kind) {
    case 'zoom-in':
      return zoomTowards(zoomTo, 0, 0, source, cover);
    case 'zoom-out':
      return reversed(zoomTowards(zoomTo, 0, 0, source, cover));
    case 'pan-left':
      return pan(-travel, 0, source, cover, output);
    case 'pan-right':
      return pan(travel, 0, source, cover, output);
    case 'tilt-up':
      return pan(0, -travel, source, cover, output);
    case 'tilt-down':
      return pan(0, travel, source, cover, output);
    case 'drift': {
      const norm = Math.hypot(move.aim.x, move.aim.y) || 1;
      return pan((travel * move.aim.x) / norm, (travel * move.aim.y) / norm, source, cover, output);
    }
    case 'push-in': {
      // Sideways only within the room the zoom itself creates, so "slight" stays slight on
      // a panorama too.
      const sideways = (PUSH_SIDEWAYS * Math.sign(move.aim.x) * cover.width * (1 - 1 / zoomTo)) / 2;
      return zoomTowards(zoomTo, sideways, 0, source, cover);
    }
    case 'ken-burns-in':
    case 'ken-burns-out': {
      // Towards a focal point, no faster on screen than a pan (measured where it is fastest:
      // mid-move, at zoom √to).
      const reach = (aim: number, sourceLen: number, coverLen: number, outLen: number): number =>
        aim * Math.min(room(sourceLen, coverLen, kenBurnsTo), (travel * coverLen) / outLen / Math.sqrt(kenBurnsTo));
      const path = zoomTowards(
        kenBurnsTo,
        reach(move.aim.x, source.width, cover.width, output.width),
        reach(move.aim.y, source.height, cover.height, output.height),
        source,
        cover,
      );
      return move.kind === 'ken-burns-in' ? path : reversed(path);
    }
  }
}

/** How far a zoom-`zoom` window's centre may move from the source centre on one axis. */
function room(sourceLen: number, coverLen: number, zoom: number): number {
  return (sourceLen - coverLen / zoom) / 2;
}

/**
 * Zoom from the cover window to `to` while the centre moves by `dx, dy` source pixels, which
 * must be within the room at `to`. Then every frame is inside too: with zoom interpolated
 * geometrically, room(to^e) ≥ e·room(to) for e in [0, 1] (the room grows concavely in e).
 */
function zoomTowards(to: number, dx: number, dy: number, source: Size, cover: Size): Path {
  const fits = (d: number, s: number, c: number): boolean => Math.abs(d) <= room(s, c, to) + 1e-9;
  if (!fits(dx, source.width, cover.width) || !fits(dy, source.height, cover.height)) {
    throw new Error(`camera offset ${dx},${dy} exceeds the room at zoom ${to}`);
  }
  // Geometric interpolation: equal steps of apparent size per unit of time.
  return (e) => ({ zoom: Math.pow(to, e), dx: dx * e, dy: dy * e });
}

function reversed(path: Path): Path {
  return (e) => path(1 - e);
}

/**
 * A pan at constant zoom moving the view `sx, sy` output pixels across the screen. The zoom is
 * the least that leaves room for the whole travel (1 when the source is wider or taller than
 * the frame), and the start is as close to centred as the room allows, so a pan starts from
 * the cover framing whenever the image has room for it.
 */
function pan(sx: number, sy: number, source: Size, cover: Size, output: Size): Path {
  const tx = Math.abs(sx) / output.width;
  const ty = Math.abs(sy) / output.height;
  // Travel in source pixels is tau·cover/zoom; fitting it needs source ≥ cover/zoom·(1 + tau).
  const zoom = Math.max(1, (cover.width * (1 + tx)) / source.width, (cover.height * (1 + ty)) / source.height);
  const axis = (signed: number, tau: number, sourceLen: number, coverLen: number): [number, number] => {
    const distance = (tau * coverLen) / zoom;
    const r = room(sourceLen, coverLen, zoom);
    const from = Math.min(0, r - distance);
    return signed < 0 ? [-from, -distance] : [from, distance];
  };
  const [x0, dxTotal] = axis(sx, tx, source.width, cover.width);
  const [y0, dyTotal] = axis(sy, ty, source.height, cover.height);
  return (e) => ({ zoom, dx: x0 + dxTotal * e, dy: y0 + dyTotal * e });
}
