import type { Engine } from '../engine.js';
import { renderMotion, type MotionOptions } from './render.js';

/**
 * The built-in `motion` engine: a camera move (zoom, pan, tilt, drift, push-in, ken burns)
 * over the still image, rendered on the CPU with sub-pixel accuracy and encoded as H.264.
 *
 * Pipeline: sharp decodes the input once into a working image sized for the tightest frame;
 * a worker thread converts it to YUV 4:2:0 and resamples each frame's window with a WebAssembly
 * SIMD kernel (simd-warper.ts; resample.ts is its TypeScript reference and fallback, same
 * bytes); frames stream into ffmpeg/libx264 over a pipe. Same image, params and seed: same bytes.
 *
 * @example
 * const engine = createMotionEngine({ ffmpegPath: ffmpegPath() });
 * const { videoPath } = await engine.run(job, ctx);
 */
export function createMotionEngine(opts: MotionOptions): Engine {
  return {
    name: 'motion',
    run: (job, ctx) => renderMotion(job, ctx, opts),
  };
}

export type { MotionOptions } from './render.js';
export { outputSize } from './render.js';
export { planCamera, ease, FPS, MOVE_KINDS, type CameraPlan, type Move, type MoveKind, type Size, type Window } from './camera.js';
export { chooseMove, moveFromPrompt } from './moves.js';
export { ENCODER_DEFAULTS, encoderArgs, type EncoderSettings } from './encoder.js';
