import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ffmpegPath } from './binaries.js';

const run = promisify(execFile);

/** How a clip at another frame rate is re-timed to the target rate. */
export type RetimeMethod = 'duplicate' | 'interpolate';

export interface ConformTarget {
  width: number;
  height: number;
  fps: number;
  /** Exactly this many frames come out (the last frame is held if the source is short). */
  frames: number;
  method?: RetimeMethod;
  ffmpeg?: string | undefined;
}

/**
 * The ffmpeg filter that scales a clip to cover the target (centre crop, never stretched) and
 * re-times it: `duplicate` picks the nearest source frame for each output time (16→24 fps shows
 * every other frame twice), `interpolate` synthesises in-between frames by motion compensation.
 * `bench/comfyui.ts` measures both; duplicate is the default (see README, "the conform step").
 */
export function conformFilter(t: Pick<ConformTarget, 'width' | 'height' | 'fps' | 'method'>): string {
  const scale = `scale=${t.width}:${t.height}:force_original_aspect_ratio=increase:flags=lanczos,crop=${t.width}:${t.height},setsar=1`;
  const retime = t.method === 'interpolate' ? `minterpolate=fps=${t.fps}:mi_mode=mci:mc_mode=aobmc:me_mode=bidir` : `fps=${t.fps}`;
  return `${scale},${retime},tpad=stop_mode=clone:stop_duration=2`;
}

/**
 * Re-encodes `input` as docs/api.md §2's video: H.264 High, yuv420p, the target size and rate, exactly
 * `frames` frames, `+faststart`, no audio track.
 */
export async function conformVideo(input: string, output: string, t: ConformTarget): Promise<void> {
  await run(
    ffmpegPath(t.ffmpeg),
    [
      ...['-v', 'error', '-nostdin', '-y', '-i', input, '-vf', conformFilter(t), '-frames:v', String(t.frames), '-r', String(t.fps)],
      ...['-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-crf', '18'],
      ...['-an', '-sn', '-dn', '-map_metadata', '-1', '-movflags', '+faststart', output],
    ],
    { maxBuffer: 4 * 1024 * 1024 },
  );
}

/** Copies the video stream into a faststart MP4 without audio (no re-encode: the model's own pixels). */
export async function remuxVideo(input: string, output: string, ffmpeg?: string): Promise<void> {
  await run(ffmpegPath(ffmpeg), ['-v', 'error', '-nostdin', '-y', '-i', input, '-map', '0:v:0', '-c', 'copy', '-an', '-movflags', '+faststart', output]);
}
