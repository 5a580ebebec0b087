import { describe, expect, it } from 'vitest';
import { MOVE_KINDS, chooseMove, moveFromPrompt, type MoveKind } from '../../src/engines/motion/index.js';

const PHRASINGS: Array<[string, MoveKind]> = [
  ['Zoom in on the lighthouse', 'zoom-in'],
  ['slow zoom towards her face', 'zoom-in'],
  ['a dramatic close-up of the eyes', 'zoom-in'],
  ['the camera is zooming into the forest', 'zoom-in'],
  ['Push in slowly on the car', 'push-in'],
  ['dolly in toward the door', 'push-in'],
  ['the camera moves forward through the hall', 'push-in'],
  ['Zoom out to reveal the valley', 'zoom-out'],
  ['pull back from the statue', 'zoom-out'],
  ['camera pulling out, wide shot', 'zoom-out'],
  ['dolly out', 'zoom-out'],
  ['Pan left across the skyline', 'pan-left'],
  ['camera moves left', 'pan-left'],
  ['The camera slowly pans to the left.', 'pan-left'],
  ['tracking left past the shelves', 'pan-left'],
  ['pan right', 'pan-right'],
  ['camera moves to the right over the river', 'pan-right'],
  ['truck right', 'pan-right'],
  ['tilt up to the sky', 'tilt-up'],
  ['camera tilts upward along the tower', 'tilt-up'],
  ['crane up over the crowd', 'tilt-up'],
  ['tilt down to the street', 'tilt-down'],
  ['the camera pans down the waterfall', 'tilt-down'],
  ['slow orbit around the sculpture', 'drift'],
  ['gentle drift over the landscape', 'drift'],
  ['dreamy floating camera', 'drift'],
  ['Ken Burns effect', 'ken-burns-in'],
  ['ken burns out', 'ken-burns-out'],
  ['ZOOM-OUT!!!', 'zoom-out'],
];

describe('moveFromPrompt', () => {
  it.each(PHRASINGS)('%s → %s', (prompt, kind) => {
    expect(moveFromPrompt(prompt)).toBe(kind);
  });

  it('picks the move mentioned first when several are', () => {
    expect(moveFromPrompt('pan left, then zoom in')).toBe('pan-left');
    expect(moveFromPrompt('zoom in, then pan left')).toBe('zoom-in');
  });

  it('finds nothing in prompts without camera words', () => {
    for (const prompt of ['', 'a cat on a sofa', 'sunset over the panorama', 'a zoologist with a camera', 'leftovers on a plate']) {
      expect(moveFromPrompt(prompt), prompt).toBeNull();
    }
  });
});

describe('chooseMove', () => {
  it('uses the prompt when it names a move, whatever the seed', () => {
    for (let seed = 0; seed < 50; seed++) expect(chooseMove('pan right please', seed).kind).toBe('pan-right');
  });

  it('is deterministic in the seed', () => {
    for (const seed of [0, 1, 42, 4294967295]) expect(chooseMove('a cat', seed)).toEqual(chooseMove('a cat', seed));
  });

  it('spreads seeds over every move, favouring zoom-in, and always varies strength and aim', () => {
    const counts = new Map<MoveKind, number>();
    const strengths = new Set<number>();
    for (let seed = 0; seed < 2000; seed++) {
      const m = chooseMove('', seed);
      counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
      strengths.add(m.strength);
      expect(m.strength).toBeGreaterThanOrEqual(0.85);
      expect(m.strength).toBeLessThanOrEqual(1.15);
      for (const a of [m.aim.x, m.aim.y]) expect(Math.abs(a)).toBeGreaterThanOrEqual(0.4);
    }
    for (const kind of MOVE_KINDS) expect(counts.get(kind) ?? 0, kind).toBeGreaterThan(20);
    const zoomIn = counts.get('zoom-in')!;
    for (const kind of MOVE_KINDS) expect(zoomIn).toBeGreaterThanOrEqual(counts.get(kind)!);
    expect(strengths.size).toBe(2000);
  });

  it('gives neighbouring seeds different moves or parameters', () => {
    expect(chooseMove('', 1)).not.toEqual(chooseMove('', 2));
    expect(chooseMove('zoom in', 1)).not.toEqual(chooseMove('zoom in', 2));
  });
});
