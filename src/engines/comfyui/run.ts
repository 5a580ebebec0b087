import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { EngineError, type EngineContext, type EngineJob, type EngineResult } from '../engine.js';
import { conformVideo, remuxVideo } from '../../media/conform.js';
import { inspectMp4 } from '../../media/mp4-boxes.js';
import { probeVideo } from '../../media/probe.js';
import type { ComfyClient } from './client.js';
import { followPrompt } from './follow.js';
import { applyBindings, samplerOrder } from './graph.js';
import { frameCount, type ComfyModel } from './models.js';
import { videoOf } from './outcome.js';
import { RunSocket } from './socket.js';

export interface RunSettings {
  quietMs: number;
  ffmpegPath?: string | undefined;
  /** Called once the video is copied out: the server is free for the next prompt while this one is conformed. */
  release(): void;
}

/** docs/api.md §2's frame size for an aspect ratio. */
const SPEC_SIZE = { '16:9': { width: 1280, height: 720 }, '9:16': { width: 720, height: 1280 } } as const;

/**
 * One attempt on one server: frame and upload the image, queue the graph with the request's
 * values, follow it to the end, copy the video out, forget the prompt, conform the video. On
 * cancel or timeout the prompt is interrupted (or dequeued) before this returns, so nothing of a
 * FAILED request keeps a GPU busy.
 */
export async function runOnServer(client: ComfyClient, model: ComfyModel, job: EngineJob, ctx: EngineContext, s: RunSettings): Promise<EngineResult> {
  const { signal } = ctx;
  const portrait = job.params.aspect_ratio === '9:16';
  const width = portrait ? model.height : model.width;
  const height = portrait ? model.width : model.height;
  const frames = frameCount(job.params.duration, model.fps, model.frameStep);
  const clientId = randomUUID();
  const promptId = randomUUID();
  const socket = new RunSocket(client, clientId, s.quietMs);
  let queued = false;
  let finished = false;
  try {
    // Framed here (cover, centre) so the model's first frame is the input as docs/api.md §2 frames it.
    const png = await sharp(job.image.bytes).rotate().resize(width, height, { fit: 'cover', position: 'centre' }).png({ compressionLevel: 1 }).toBuffer();
    const [imageName] = await Promise.all([client.uploadImage(`reelay-${job.requestId}-${clientId.slice(0, 8)}.png`, png, signal), socket.opened()]);
    const graph = applyBindings(model.graph, model.bindings, {
      image: imageName,
      prompt: job.params.prompt,
      negativePrompt: model.negativePrompt,
      seed: job.params.seed,
      width,
      height,
      frames,
      fps: model.fps,
    });
    ctx.progress(2);
    queued = true;
    await client.submit(graph, clientId, promptId, signal).catch((err: unknown) => {
      // A refused graph is the operator's to fix (a missing file, a renamed input): say so loudly.
      if (err instanceof EngineError) ctx.log.error({ server: client.base, model: model.slug }, err.message);
      throw err;
    });
    ctx.progress(5);
    const entry = await followPrompt(client, socket, promptId, {
      signal,
      quietMs: s.quietMs,
      samplers: samplerOrder(graph),
      onProgress: (f) => ctx.progress(5 + Math.floor(f * 850) / 10),
    });
    finished = true;
    const file = videoOf(entry, client.base, false);
    const bytes = await client.view(file, signal);
    const native = join(job.workDir, `native-${file.filename.replace(/[^\w.-]/g, '_')}`);
    s.release();
    // Not awaited: the video is ours now; a failed delete only leaves an entry in ComfyUI's capped history.
    void client.deleteHistory(promptId).catch((err: unknown) => ctx.log.warn({ err, promptId }, 'could not delete the prompt from ComfyUI history'));
    await writeFile(native, bytes);
    ctx.progress(92);
    const videoPath = join(job.workDir, 'output.mp4');
    const started = Date.now();
    if (model.output === 'conform') {
      await conformVideo(native, videoPath, { ...SPEC_SIZE[job.params.aspect_ratio], fps: 24, frames: job.params.duration * 24, ffmpeg: s.ffmpegPath });
    } else {
      const mp4 = inspectMp4(Buffer.from(bytes));
      // SaveVideo's MP4 is usually H.264 4:2:0 with its index at the end: a stream copy makes it streamable.
      if (mp4.servable && mp4.faststart) await writeFile(videoPath, bytes);
      else if (mp4.servable) await remuxVideo(native, videoPath, s.ffmpegPath);
      else {
        const probe = await probeVideo(native, { countFrames: false }).catch((err: unknown) => {
          throw new EngineError('engine_error', `ComfyUI's output is not a readable video: ${(err as Error).message}`, { cause: err });
        });
        await conformVideo(native, videoPath, { width: probe.width, height: probe.height, fps: probe.fps, frames: probe.frames, ffmpeg: s.ffmpegPath });
      }
    }
    ctx.log.debug({ conformMs: Date.now() - started, output: model.output }, 'ComfyUI video conformed');
    ctx.progress(100);
    return { videoPath, contentType: 'video/mp4' };
  } finally {
    socket.close();
    if (signal.aborted && queued && !finished) {
      const outcome = await client.stop(promptId).catch((err: unknown) => `failed: ${(err as Error).message}`);
      ctx.log.info({ promptId, server: client.base, outcome }, 'ComfyUI prompt stopped');
      await client.deleteHistory(promptId).catch(() => undefined);
    }
  }
}
