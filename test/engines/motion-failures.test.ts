import { chmod, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engines/engine.js';
import { ffmpegPath } from '../../src/media/binaries.js';
import { texturedImage } from '../helpers/images.js';
import { renderMotion, tempDirs } from '../helpers/frames.js';

const dirs = tempDirs();
let image: Buffer;
beforeAll(async () => {
  image = await texturedImage(640, 360, { format: 'jpeg' });
});
afterAll(() => dirs.cleanup());

/** This process's child processes running ffmpeg (from /proc). */
async function ffmpegChildren(): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('ffmpeg')) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

async function fakeFfmpeg(script: string): Promise<string> {
  const file = path.join(await dirs.make(), 'ffmpeg');
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return file;
}

describe('motion engine failures', () => {
  it('stops mid-render on abort: rejects with the reason and leaves no ffmpeg behind', async () => {
    const controller = new AbortController();
    const reason = new Error('lease lost');
    let running: number[] = [];
    const render = renderMotion(image, { duration: 8 }, await dirs.make(), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p >= 20 && !controller.signal.aborted && running.length === 0) {
          running = [-1]; // once
          // Under load /proc may lag the spawn: look a few times before aborting.
          void (async () => {
            for (let i = 0; i < 20; i++) {
              running = await ffmpegChildren();
              if (running.length > 0) break;
              await new Promise((r) => setTimeout(r, 50));
            }
            controller.abort(reason);
          })();
        }
      },
    });
    await expect(render).rejects.toBe(reason);
    expect(running.length).toBe(1);
    expect(await ffmpegChildren()).toEqual([]);
  });

  it('rejects at once when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(renderMotion(image, {}, await dirs.make(), { signal: controller.signal })).rejects.toThrow('cancelled');
    expect(await ffmpegChildren()).toEqual([]);
  });

  it('reports ffmpeg dying early as engine_error with its stderr', async () => {
    const ffmpeg = await fakeFfmpeg('echo "Unknown encoder libx264" >&2; exit 3');
    const err = await renderMotion(image, {}, await dirs.make(), { ffmpeg }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'engine_error', retryable: false });
    expect((err as Error).message).toMatch(/exit 3.*Unknown encoder libx264/);
  });

  it('reports ffmpeg failing after all frames as engine_error with its stderr', async () => {
    const ffmpeg = await fakeFfmpeg('cat >/dev/null; echo "moov atom not written" >&2; exit 1');
    const err = await renderMotion(image, {}, await dirs.make(), { ffmpeg }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'engine_error' });
    expect((err as Error).message).toMatch(/moov atom not written/);
  });

  it('reports a missing ffmpeg binary as engine_error', async () => {
    const missing = path.join(path.dirname(ffmpegPath()), 'no-such-ffmpeg');
    const err = await renderMotion(image, {}, await dirs.make(), { ffmpeg: missing }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'engine_error' });
    expect((err as Error).message).toMatch(/could not start/);
  });

  it.each([
    ['text', Buffer.from('definitely not an image')],
    ['a PNG signature with garbage', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)])],
  ])('rejects an undecodable image (%s) as invalid_input', async (_, bytes) => {
    const err = await renderMotion(bytes, {}, await dirs.make()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: 'invalid_input' });
    expect(await ffmpegChildren()).toEqual([]);
  });
});
