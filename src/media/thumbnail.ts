import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

const MAX_STDERR = 4096;

/**
 * The first frame of a video as a JPEG, by ffmpeg reading the video from a stream (Reelay's MP4s
 * are `+faststart`, so the index comes first and a pipe is enough). ffmpeg stops reading once it
 * has the frame; the rest of the input is dropped.
 */
export function firstFrameJpeg(ffmpeg: string, video: Readable, timeoutMs = 30_000): Promise<Buffer> {
  const args = ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1'];
  const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    if (err.length < MAX_STDERR) err += chunk.toString('utf8');
  });
  // ffmpeg closing stdin early (it has its frame) is success, not an error.
  child.stdin.on('error', () => video.destroy());
  video.on('error', () => child.stdin.destroy());
  video.pipe(child.stdin);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      video.destroy();
      const jpeg = Buffer.concat(out);
      if (code === 0 && jpeg.length > 0) return resolve(jpeg);
      reject(new Error(`ffmpeg could not take the first frame (${signal ?? `exit ${code}`}): ${err.trim().slice(0, 500)}`));
    });
  });
}
