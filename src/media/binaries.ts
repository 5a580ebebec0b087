import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

/**
 * The ffmpeg binary: an explicit path from config wins; otherwise the one shipped inside the
 * `@ffmpeg-installer/ffmpeg` npm package, so `npm ci` on a fresh machine is enough. (That 2018
 * static build measured faster than Debian's ffmpeg 5.1 on this hardware; see shared/reference.)
 */
export function ffmpegPath(configured?: string): string {
  if (configured) return checked(configured, 'ffmpeg');
  const pkg = require('@ffmpeg-installer/ffmpeg') as { path: string };
  return checked(pkg.path, 'ffmpeg');
}

/** The ffprobe binary, from config or the `@ffprobe-installer/ffprobe` npm package. */
export function ffprobePath(configured?: string): string {
  if (configured) return checked(configured, 'ffprobe');
  const pkg = require('@ffprobe-installer/ffprobe') as { path: string };
  return checked(pkg.path, 'ffprobe');
}

function checked(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`${what} binary not found at ${path}`);
  return path;
}
