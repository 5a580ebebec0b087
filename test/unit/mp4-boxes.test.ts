import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath } from '../../src/media/binaries.js';
import { inspectMp4 } from '../../src/media/mp4-boxes.js';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reelay-mp4-boxes-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function encode(name: string, args: string[]): Promise<Buffer> {
  const out = join(dir, name);
  await run(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=160x96:d=0.5', ...args, out]);
  return readFile(out);
}

describe('inspectMp4 (box structure, no decode)', () => {
  it.each([
    ['faststart H.264 4:2:0', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart'], { servable: true, faststart: true }],
    ['index at the end (as PyAV writes it)', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'], { servable: true, faststart: false }],
    ['4:4:4 chroma', ['-c:v', 'libx264', '-pix_fmt', 'yuv444p', '-movflags', '+faststart'], { servable: false, faststart: true }],
    ['not H.264', ['-c:v', 'mpeg4', '-movflags', '+faststart'], { servable: false, faststart: true }],
  ])('%s', async (name, args, expected) => {
    expect(inspectMp4(await encode(`${name.replace(/\W/g, '_')}.mp4`, args))).toEqual(expected);
  });

  it('an audio track or bytes that are not MP4 are not servable', async () => {
    const withAudio = join(dir, 'audio.mp4');
    await run(ffmpegPath(), [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=160x96:d=0.5',
      '-f',
      'lavfi',
      '-i',
      'sine=d=0.5',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-shortest',
      withAudio,
    ]);
    expect(inspectMp4(await readFile(withAudio)).servable).toBe(false);
    expect(inspectMp4(Buffer.from('<html>502 Bad Gateway</html>'))).toEqual({ servable: false, faststart: false });
  });
});
