import { describe, expect, it } from 'vitest';
import { MOVE_KINDS, ease, planCamera, type CameraPlan, type Move, type MoveKind, type Size, type Window } from '../../src/engines/motion/index.js';
import { workingFraming } from '../../src/engines/motion/framing.js';

const OUTPUTS: Record<string, Size> = { '16:9': { width: 1280, height: 720 }, '9:16': { width: 720, height: 1280 } };
const SOURCES: Size[] = [
  { width: 1, height: 1 },
  { width: 3000, height: 2 },
  { width: 2, height: 3000 },
  { width: 64, height: 64 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 4000, height: 3000 },
  { width: 3000, height: 4000 },
  { width: 8000, height: 6000 },
  { width: 8000, height: 300 },
  { width: 300, height: 8000 },
  { width: 1080, height: 1920 },
];
const DURATIONS = [5, 6, 7, 8] as const;
const AIMS = [
  { x: 1, y: 1 },
  { x: -1, y: 0.4 },
  { x: 0.4, y: -1 },
];

function move(kind: MoveKind, aim = { x: 0.7, y: -0.5 }, strength = 1.15): Move {
  return { kind, strength, aim };
}

function plan(kind: MoveKind, source: Size, output: Size, seconds: number, aim?: Move['aim']): CameraPlan {
  return planCamera({ move: move(kind, aim), source, output, durationSeconds: seconds });
}

/** The window's motion from frame to frame, as pixels on screen (largest corner displacement). */
function screenSteps(p: CameraPlan, output: Size): number[] {
  const steps: number[] = [];
  for (let i = 1; i < p.windows.length; i++) {
    const a = p.windows[i - 1]!;
    const b = p.windows[i]!;
    const s = output.width / b.width;
    const corners = [Math.abs(b.x - a.x), Math.abs(b.y - a.y), Math.abs(b.x + b.width - a.x - a.width), Math.abs(b.y + b.height - a.y - a.height)];
    steps.push(Math.max(...corners) * s);
  }
  return steps;
}

const EPS = 1e-6;
function inside(w: Window, s: Size): boolean {
  return w.x >= -EPS && w.y >= -EPS && w.x + w.width <= s.width + EPS && w.y + w.height <= s.height + EPS;
}

describe('planCamera', () => {
  it('keeps every window inside the image for all moves, durations, aspects and sources', () => {
    let checked = 0;
    for (const kind of MOVE_KINDS)
      for (const source of SOURCES)
        for (const output of Object.values(OUTPUTS))
          for (const seconds of DURATIONS)
            for (const aim of AIMS) {
              const p = plan(kind, source, output, seconds, aim);
              expect(p.frames).toBe(seconds * 24);
              for (const w of p.windows) {
                const where = `${kind} ${source.width}x${source.height} ${seconds}s: ${JSON.stringify(w)}`;
                if (!inside(w, source)) throw new Error(`outside: ${where}`);
                // Never stretched: every window has exactly the output's aspect ratio.
                if (Math.abs(w.width / w.height - output.width / output.height) > 1e-9) throw new Error(`aspect: ${where}`);
                checked++;
              }
            }
    expect(checked).toBeGreaterThan(100_000);
  });

  it('starts from the cover framing (zoom 1, centred) for moves that allow it', () => {
    const source = { width: 1920, height: 1080 };
    const output = OUTPUTS['16:9']!;
    for (const kind of ['zoom-in', 'push-in', 'ken-burns-in'] as const) {
      const p = plan(kind, source, output, 5);
      expect(p.start).toEqual(p.windows[0]);
      expect(p.start.x).toBeCloseTo(0, 9);
      expect(p.start.width).toBeCloseTo(1920, 9);
      expect(p.start.height).toBeCloseTo(1080, 9);
    }
    // A 4:3 image in a 9:16 frame has room to pan sideways from the centred cover framing.
    const wide = plan('pan-left', { width: 4000, height: 3000 }, OUTPUTS['9:16']!, 6);
    expect(wide.start).toEqual(wide.cover);
    expect(wide.maxZoom).toBe(1);
    // With no room, a pan zooms just enough and starts off-centre.
    const tight = plan('pan-left', source, output, 6);
    expect(tight.maxZoom).toBeGreaterThan(1);
    expect(tight.windows.at(-1)!.x).toBeCloseTo(0, 6);
  });

  it('moves the window the way each move is named', () => {
    const source = { width: 1920, height: 1080 };
    const output = OUTPUTS['16:9']!;
    const delta = (kind: MoveKind): Window => {
      const p = plan(kind, source, output, 5);
      const a = p.windows[0]!;
      const b = p.windows.at(-1)!;
      return { x: b.x + b.width / 2 - (a.x + a.width / 2), y: b.y + b.height / 2 - (a.y + a.height / 2), width: b.width - a.width, height: 0 };
    };
    expect(delta('pan-left').x).toBeLessThan(-50);
    expect(delta('pan-right').x).toBeGreaterThan(50);
    expect(delta('tilt-up').y).toBeLessThan(-50);
    expect(delta('tilt-down').y).toBeGreaterThan(50);
    expect(delta('zoom-in').width).toBeLessThan(-200);
    expect(delta('zoom-out').width).toBeGreaterThan(200);
    expect(Math.abs(delta('zoom-in').x)).toBeLessThan(1e-9);
    const out = plan('ken-burns-out', source, output, 5);
    expect(out.windows.at(-1)!.width).toBeCloseTo(out.cover.width, 9);
    expect(out.windows.at(-1)!.x).toBeCloseTo(out.cover.x, 9);
  });

  it('eases in and out: still at both ends, fastest in the middle', () => {
    expect(ease(0)).toBe(0);
    expect(ease(1)).toBe(1);
    for (const kind of MOVE_KINDS) {
      const steps = screenSteps(plan(kind, { width: 1920, height: 1080 }, OUTPUTS['16:9']!, 5), OUTPUTS['16:9']!);
      const peak = Math.max(...steps);
      expect(peak).toBeGreaterThan(0.3);
      expect(steps[0]!).toBeLessThan(peak / 20);
      expect(steps.at(-1)!).toBeLessThan(peak / 20);
    }
  });

  it('is not faster for longer clips: intensity scales with duration', () => {
    for (const kind of MOVE_KINDS)
      for (const [name, output] of Object.entries(OUTPUTS)) {
        const source = { width: 1920, height: 1080 };
        const peak = (s: number): number => Math.max(...screenSteps(plan(kind, source, output, s), output));
        const short = peak(5);
        const long = peak(8);
        expect(long, `${kind} ${name}`).toBeLessThanOrEqual(short * 1.02);
        // ... and the longer clip travels further rather than the same distance slower.
        expect(long, `${kind} ${name}`).toBeGreaterThan(short * 0.9);
      }
  });

  it('maps windows into a working image no larger than the tightest frame needs', () => {
    for (const source of SOURCES)
      for (const kind of MOVE_KINDS) {
        const output = OUTPUTS['16:9']!;
        const p = plan(kind, source, output, 8);
        const work = workingFraming(p, source, output);
        expect(work.width % 2).toBe(0);
        expect(work.height % 4).toBe(0);
        const zoomRange = p.maxZoom * 1.05;
        // Bounded by the output size and zoom range (plus the pan travel), not the source size.
        // (A source a pixel or two across cannot be cropped finer than whole pixels.)
        const side = Math.min(source.width, source.height) < 4 ? Math.max(output.width, output.height) : 0;
        const bound = Math.max(output.width, side) * Math.max(output.height, side) * zoomRange * zoomRange * 1.6;
        expect(work.width * work.height).toBeLessThan(bound);
        for (const w of work.windows) expect(inside(w, work)).toBe(true);
        const tightest = Math.min(...work.windows.map((w) => w.width));
        expect(tightest).toBeGreaterThan(output.width * 0.99);
        expect(tightest).toBeLessThan(output.width * 1.01);
      }
  });
});
