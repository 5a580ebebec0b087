import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegPath } from '../../src/media/binaries.js';

/** How the fake ComfyUI "executes" a graph: node order, sampler steps, and the clip it saves. */

const run = promisify(execFile);

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

const encoded = new Map<string, Promise<Buffer>>();

/**
 * The uploaded still as a real H.264 clip of `frames` frames at `fps` (what a GPU would take
 * minutes over), framed as the image-to-video nodes frame their start image: cover-cropped to the
 * size from the centre (`common_upscale(…, "center")`). Cached per process by content and shape:
 * tests submit the same image many times.
 */
export function encodeStill(image: Buffer, w: number, h: number, frames: number, fps: number): Promise<Buffer> {
  const key = `${createHash('sha256').update(image).digest('hex')}:${w}x${h}:${frames}@${fps}`;
  let pending = encoded.get(key);
  if (!pending) {
    pending = (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'reelay-comfy-still-'));
      try {
        // ffmpeg's image2 demuxer picks the decoder by extension: name the file after its content.
        const input = join(dir, `in.${image[0] === 0xff ? 'jpg' : image.subarray(8, 12).toString('latin1') === 'WEBP' ? 'webp' : 'png'}`);
        await writeFile(input, image);
        await run(ffmpegPath(), [
          // A graph without an uploaded image (another client's) gets a grey clip.
          ...(image.length > 0
            ? ['-v', 'error', '-y', '-loop', '1', '-framerate', String(fps), '-i', input]
            : ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=gray:s=${w}x${h}:r=${fps}`]),
          ...[
            '-vf',
            `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,format=yuv420p`,
            '-frames:v',
            String(frames),
            '-r',
            String(fps),
            '-c:v',
            'libx264',
            '-preset',
            'ultrafast',
          ],
          join(dir, 'out.mp4'),
        ]);
        return await readFile(join(dir, 'out.mp4'));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    encoded.set(key, pending);
    pending.catch(() => encoded.delete(key));
  }
  return pending;
}

/** Steps a sampler reports: KSamplerAdvanced runs its start..end slice of the schedule. */
export function samplerSteps(node: { class_type: string; inputs: Record<string, unknown> }): number {
  const steps = Number(node.inputs.steps ?? 10);
  if (node.class_type === 'KSamplerAdvanced') return Math.max(1, Math.min(steps, Number(node.inputs.end_at_step)) - Number(node.inputs.start_at_step));
  return steps;
}

/** Nodes in an order where each comes after the nodes it links to (execution.py runs outputs' dependencies first). */
export function topological(graph: Graph): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id) || !graph[id]) return;
    seen.add(id);
    for (const v of Object.values(graph[id]!.inputs)) if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'number') visit(v[0]);
    order.push(id);
  };
  for (const id of Object.keys(graph)) visit(id);
  return order;
}
