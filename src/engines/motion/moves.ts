import type { Move, MoveKind } from './camera.js';

/**
 * Choosing the camera move: from words in the prompt when it names one, otherwise from the
 * seed. The seed always also sets the strength and aim, so two seeds never render alike.
 */

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed gives the same sequence everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEFT = 'left|leftward|leftwards';
const RIGHT = 'right|rightward|rightwards';
const UP = 'up|upward|upwards|skyward';
const DOWN = 'down|downward|downwards';
/** Verbs of a camera that travels or turns; "dolly left" and "pan up" mean what people intend. */
const TRAVEL = [
  'pan(?:s|ned|ning)?',
  'tilt(?:s|ed|ing)?',
  'mov(?:e|es|ed|ing)',
  'track(?:s|ed|ing)?',
  'truck(?:s|ed|ing)?',
  'slid(?:e|es|ing)',
  'sweep(?:s|ing)?',
  'glid(?:e|es|ing)',
  'drift(?:s|ed|ing)?',
  'doll(?:y|ies|ied|ying)',
  'cran(?:e|es|ed|ing)',
  'boom(?:s|ed|ing)?',
  'pedestal(?:s|ing)?',
  'swing(?:s|ing)?',
  'turn(?:s|ed|ing)?',
  'look(?:s|ed|ing)?',
  'ris(?:e|es|ing)',
  'descend(?:s|ed|ing)?',
  'go(?:es|ing)?',
  'head(?:s|ed|ing)?',
  'shift(?:s|ed|ing)?',
].join('|');
const TO = '(?:\\s+(?:slowly|gently|smoothly|gradually))?(?:\\s+(?:to|toward|towards))?(?:\\s+the)?\\s+';

function travelling(direction: string): RegExp {
  return new RegExp(`\\b(?:${TRAVEL})${TO}(?:${direction})\\b`);
}

/** Phrasings per move. When several match, the one mentioned first in the prompt wins. */
const PHRASES: ReadonlyArray<readonly [MoveKind, RegExp]> = [
  ['ken-burns-out', /\bken\s*burns?\s+(?:effect\s+)?(?:out|outward|zoom(?:ing)?\s+out)\b/],
  ['ken-burns-in', /\bken\s*burns?\b/],
  [
    'zoom-out',
    /\b(?:zoom(?:s|ed|ing)?\s+(?:out|away|back)|pull(?:s|ed|ing)?\s+(?:back|out|away)|dolly(?:ing)?\s+(?:out|back)|track(?:s|ing)?\s+(?:out|back)|move(?:s|d)?\s+(?:back|away)|wide\s+reveal|reveal(?:s|ing)?\s+the\s+(?:whole|full|entire|scene))\b/,
  ],
  [
    'push-in',
    /\b(?:push(?:es|ed|ing)?\s+(?:in|into|forward|closer)|dolly(?:ing)?\s+(?:in|forward|into)|track(?:s|ing)?\s+(?:in|forward)|move(?:s|d)?\s+(?:in|forward|closer)|approach(?:es|ing)?)\b/,
  ],
  ['zoom-in', /\b(?:zoom(?:s|ed|ing)?(?:\s+(?:in|into|closer))?|close[\s-]?up|punch(?:es|ing)?\s+in|magnif(?:y|ies|ying))\b/],
  ['pan-left', travelling(LEFT)],
  ['pan-right', travelling(RIGHT)],
  ['tilt-up', travelling(UP)],
  ['tilt-down', travelling(DOWN)],
  ['drift', /\b(?:orbit(?:s|ing)?|drift(?:s|ing)?|float(?:s|ing)?|diagonal(?:ly)?|parallax|glid(?:e|es|ing)|hover(?:s|ing)?)\b/],
];

/** The move a prompt names, or null. Case and punctuation do not matter. */
export function moveFromPrompt(prompt: string): MoveKind | null {
  const text = prompt.toLowerCase().replace(/[^a-z0-9]+/g, ' ');
  let best: { kind: MoveKind; at: number } | null = null;
  for (const [kind, pattern] of PHRASES) {
    const at = text.search(pattern);
    if (at >= 0 && (best === null || at < best.at)) best = { kind, at };
  }
  return best?.kind ?? null;
}

/** Moves picked by the seed, weighted towards those that start from the cover framing. */
const BY_SEED: ReadonlyArray<readonly [MoveKind, number]> = [
  ['zoom-in', 3],
  ['push-in', 2],
  ['ken-burns-in', 2],
  ['pan-left', 1],
  ['pan-right', 1],
  ['drift', 1],
  ['zoom-out', 1],
  ['ken-burns-out', 1],
  ['tilt-up', 0.5],
  ['tilt-down', 0.5],
];

/** The move for a request: deterministic in `prompt` and `seed`. */
export function chooseMove(prompt: string, seed: number): Move {
  const random = prng(seed);
  const pick = random();
  const strength = 0.85 + 0.3 * random();
  // Focal points away from dead centre (rule-of-thirds-ish) read as intentional framing.
  const side = (r: number): number => (r < 0.5 ? -1 : 1) * (0.4 + 0.6 * random());
  const aim = { x: side(random()), y: side(random()) };
  return { kind: moveFromPrompt(prompt) ?? weighted(pick), strength, aim };
}

function weighted(r: number): MoveKind {
  const total = BY_SEED.reduce((sum, [, w]) => sum + w, 0);
  let left = r * total;
  for (const [kind, w] of BY_SEED) {
    left -= w;
    if (left < 0) return kind;
  }
  return 'zoom-in';
}
