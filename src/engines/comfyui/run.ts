import { randomUUID } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError, type EngineContext, type EngineJob, type EngineResult } from '../engine.js';
import { conformVideo, remuxVideo } from '../../media/conform.js';
import { inspectMp4 } from '../../media/mp4-boxes.js';
import { probeVideo } from '../../media/probe.js';
import type { ComfyClient } from './client.js';
import { VideoCopy } from './copy-out.js';
import { followPrompt } from './follow.js';
import { applyBindings, samplerOrder } from './graph.js';
import { frameCount, type ComfyModel } from './models.js';
import { videoOf } from './outcome.js';
import type { ServerSocket } from './socket.js';
import { startImage } from './start-image.js';

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
 * values under the server socket's client id, follow it to the end, copy the video out, forget
 * the prompt, conform the video. On cancel or timeout the prompt is interrupted (or dequeued)
 * before this returns, so nothing of a FAILED request keeps a GPU busy.
 */
export async function runOnServer(
  client: ComfyClient,
  socket: ServerSocket,
  model: ComfyModel,
  job: EngineJob,
  ctx: EngineContext,
  s: RunSettings,
): Promise<EngineResult> {
  const { signal } = ctx;
  const portrait = job.params.aspect_ratio === '9:16';
  const width = portrait ? model.height : model.width;
  const height = portrait ? model.width : model.height;
  const frames = frameCount(job.params.duration, model.fps, model.frameStep);
  const promptId = randomUUID();
  // Watched before it is queued: a fast prompt's messages can come before POST /prompt answers.
  const feed = socket.watch(promptId);
  const copy = new VideoCopy(client, job.workDir, signal);
  let queued = false;
  let finished = false;
  // Stage times (performance.now(), ms) for the debug line: the bench splits Reelay's overhead by them.
  const at: Record<string, number> = { start: performance.now() };
  const mark = (stage: string): void => void (at[stage] = performance.now());
  try {
    // The socket is opened (on a server's first run, or after a drop) alongside framing and upload.
    const opened = socket.ready();
    const image = await startImage(job.image, width, height, model.graphFramesImage);
    mark('framed');
    const name = `reelay-${job.requestId}-${promptId.slice(0, 8)}.${image.extension}`;
    const [imageName] = await Promise.all([client.uploadImage(name, image, signal), opened]);
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
    mark('uploaded');
    queued = true;
    await client.submit(graph, socket.clientId, promptId, signal).catch((err: unknown) => {
      // A refused graph is the operator's to fix (a missing file, a renamed input): say so loudly.
      if (err instanceof EngineError) ctx.log.error({ server: client.base, model: model.slug }, err.message);
      throw err;
    });
    mark('queued');
    ctx.progress(5);
    const entry = await followPrompt(client, feed, promptId, {
      signal,
      quietMs: s.quietMs,
      samplers: samplerOrder(graph),
      onProgress: (f) => ctx.progress(5 + Math.floor(f * 850) / 10),
      onOutput: (output) => copy.offer(output),
    });
    finished = true;
    mark('ended');
    const native = await copy.take(videoOf(entry, client.base, false));
    s.release();
    // Not awaited: the video is ours now; a failed delete only leaves an entry in ComfyUI's capped history.
    void client.deleteHistory(promptId).catch((err: unknown) => ctx.log.warn({ err, promptId }, 'could not delete the prompt from ComfyUI history'));
    mark('copied');
    const videoPath = join(job.workDir, 'output.mp4');
    const started = Date.now();
    const output = outputVideo(native, videoPath, model, job, s.ffmpegPath);
    // Reported once ffmpeg is under way: the worker's store write for it then overlaps the conform.
    ctx.progress(92);
    await output;
    mark('conformed');
    ctx.log.debug({ conformMs: Date.now() - started, output: model.output, promptId, at }, 'ComfyUI video conformed');
    ctx.progress(100);
    return { videoPath, contentType: 'video/mp4' };
  } finally {
    feed.close();
    await copy.settle();
    if (signal.aborted && queued && !finished) {
      const outcome = await client.stop(promptId).catch((err: unknown) => `failed: ${(err as Error).message}`);
      ctx.log.info({ promptId, server: client.base, outcome }, 'ComfyUI prompt stopped');
      await client.deleteHistory(promptId).catch(() => undefined);
    }
  }
}

/** The stored MP4 from ComfyUI's file: conformed to docs/api.md §2, or the model's own frames made servable. */
async function outputVideo(native: string, videoPath: string, model: ComfyModel, job: EngineJob, ffmpeg: string | undefined): Promise<void> {
  if (model.output === 'conform') {
    return conformVideo(native, videoPath, { ...SPEC_SIZE[job.params.aspect_ratio], fps: 24, frames: job.params.duration * 24, ffmpeg });
  }
  const mp4 = inspectMp4(await readFile(native));
  // SaveVideo's MP4 is usually H.264 4:2:0 with its index at the end: a stream copy makes it streamable.
  if (mp4.servable && mp4.faststart) return rename(native, videoPath);
  if (mp4.servable) return remuxVideo(native, videoPath, ffmpeg);
  const probe = await probeVideo(native, { countFrames: false }).catch((err: unknown) => {
    throw new EngineError('engine_error', `ComfyUI's output is not a readable video: ${(err as Error).message}`, { cause: err });
  });
  await conformVideo(native, videoPath, { width: probe.width, height: probe.height, fps: probe.fps, frames: probe.frames, ffmpeg });
}
