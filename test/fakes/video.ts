import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegPath } from '../../src/media/binaries.js';

const run = promisify(execFile);
let cached: Promise<Buffer> | undefined;

/**
 * A small but real H.264 MP4 (720p, 24 fps, faststart) for the fakes to return, made once per
 * test process with the bundled ffmpeg, so "the output is ffprobe-valid" tests real bytes.
 */
export function fakeVideo(): Promise<Buffer> {
  cached ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reelay-fake-video-'));
    const out = join(dir, 'sample.mp4');
    await run(ffmpegPath(), [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=1280x720:d=5:r=24',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'high',
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      out,
    ]);
    return readFile(out);
  })();
  return cached;
}
