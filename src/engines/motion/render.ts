import path from 'node:path';
import { EngineError, type EngineContext, type EngineJob, type EngineResult } from '../engine.js';
import type { AspectRatio } from '../../core/types.js';
import { FPS, planCamera, type Size } from './camera.js';
import { chooseMove } from './moves.js';
import { workingFraming } from './framing.js';
import { decodeWorking, sourceSize } from './source.js';
import { Encoder } from './encoder.js';
import { FrameSource } from './frame-source.js';

export interface MotionOptions {
  ffmpegPath: string;
  /** x264 threads (default 2); fixed, not per machine, so output bytes do not depend on it. */
  threads?: number;
}

/** docs/api.md §2: the output frame size per aspect ratio. */
export function outputSize(aspect: AspectRatio): Size {
  return aspect === '9:16' ? { width: 720, height: 1280 } : { width: 1280, height: 720 };
}

/** Share of progress reported once the image is decoded; frames fill the rest. */
const DECODED = 5;
/** Frames rendered ahead of the encoder: enough to ride out scheduling hiccups. */
const FRAMES_AHEAD = 3;

export async function renderMotion(job: EngineJob, ctx: EngineContext, opts: MotionOptions): Promise<EngineResult> {
  const { signal } = ctx;
  signal.throwIfAborted();
  const started = performance.now();
  const since = (): number => Math.round(performance.now() - started);
  const output = outputSize(job.params.aspect_ratio);
  const source = await sourceSize(job.image.bytes);
  const move = chooseMove(job.params.prompt, job.params.seed);
  const plan = planCamera({ move, source, output, durationSeconds: job.params.duration });
  const working = workingFraming(plan, source, output);
  const videoPath = path.join(job.workDir, 'output.mp4');

  // The worker thread and ffmpeg start up (~50-100 ms each) while sharp decodes the image.
  const frames = new FrameSource(FRAMES_AHEAD);
  const encoder = new Encoder({
    ffmpegPath: opts.ffmpegPath,
    ...output,
    fps: FPS,
    output: videoPath,
    threads: opts.threads,
  });
  const stop = (): void => {
    void encoder.kill();
    void frames.close();
  };
  signal.addEventListener('abort', stop, { once: true });
  let finished = false;
  try {
    const rgb = await decodeWorking(job.image.bytes, working);
    signal.throwIfAborted();
    ctx.log.debug({ move, source, working: [working.width, working.height], ms: since() }, 'motion: decoded');
    ctx.progress(DECODED);
    const windows = new Float64Array(working.windows.flatMap((w) => [w.x, w.y, w.width, w.height]));
    const setup = { rgb: rgb.data, width: rgb.width, height: rgb.height, outW: output.width, outH: output.height, windows };
    frames.begin(setup, plan.frames, (output.width * output.height * 3) / 2);

    let reported = DECODED;
    for (let i = 0; i < plan.frames; i++) {
      const frame = await frames.take(i);
      if (i === 0) ctx.log.debug({ ms: since() }, 'motion: first frame');
      await encoder.write(frame);
      frames.release(i, frame);
      const percent = Math.floor(DECODED + ((100 - DECODED - 1) * (i + 1)) / plan.frames);
      if (percent > reported) ctx.progress((reported = percent));
    }
    ctx.log.debug({ ms: since() }, 'motion: all frames sent');
    await encoder.finish();
    finished = true;
  } catch (err) {
    // Whatever broke first, an abort is the reason the caller needs to see.
    signal.throwIfAborted();
    if (err instanceof EngineError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new EngineError('engine_error', `motion render failed: ${reason}`, { cause: err });
  } finally {
    signal.removeEventListener('abort', stop);
    await frames.close();
    if (!finished) await encoder.kill();
  }
  ctx.progress(100);
  ctx.log.debug({ ms: since(), frames: plan.frames }, 'motion: encoded');
  return { videoPath, contentType: 'video/mp4' };
}
