import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeVideo, type VideoProbe } from '../../src/media/probe.js';

/** Writes bytes to a temp file and probes them with the real ffprobe. */
export async function probeBytes(bytes: Uint8Array): Promise<VideoProbe> {
  const dir = await mkdtemp(join(tmpdir(), 'reelay-probe-'));
  try {
    const path = join(dir, 'video.mp4');
    await writeFile(path, bytes);
    return await probeVideo(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What SPEC 2 "The video produced" demands of every output. */
export function expectSpecVideo(probe: VideoProbe, size: { width: number; height: number }, duration: number): void {
  const expected = {
    codec: 'h264',
    profile: 'High',
    pixFmt: 'yuv420p',
    width: size.width,
    height: size.height,
    fps: 24,
    frames: duration * 24,
    hasAudio: false,
  };
  const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, probe[k as keyof VideoProbe]]));
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`video does not match SPEC: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
  }
  if (Math.abs(probe.durationSeconds - duration) > 0.05) throw new Error(`duration ${probe.durationSeconds} != ${duration}`);
}
