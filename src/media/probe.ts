import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ffprobePath } from './binaries.js';

const run = promisify(execFile);

export interface VideoProbe {
  codec: string;
  profile: string;
  pixFmt: string;
  width: number;
  height: number;
  fps: number;
  frames: number;
  durationSeconds: number;
  hasAudio: boolean;
  formatName: string;
}

/**
 * Facts about a video file read by ffprobe, counting frames by decoding rather than trusting
 * headers (`countFrames: false` reads the container's count instead: no decode, much faster).
 */
export async function probeVideo(path: string, opts: { countFrames?: boolean } = {}): Promise<VideoProbe> {
  const count = opts.countFrames ?? true;
  const { stdout } = await run(ffprobePath(), ['-v', 'error', ...(count ? ['-count_frames'] : []), '-show_streams', '-show_format', '-of', 'json', path]);
  const info = JSON.parse(stdout) as {
    streams: Array<Record<string, string | number | undefined>>;
    format: Record<string, string | undefined>;
  };
  const video = info.streams.find((s) => s.codec_type === 'video');
  if (!video) throw new Error(`no video stream in ${path}`);
  const [num, den] = String(video.r_frame_rate).split('/').map(Number);
  return {
    codec: String(video.codec_name),
    profile: String(video.profile),
    pixFmt: String(video.pix_fmt),
    width: Number(video.width),
    height: Number(video.height),
    fps: (num ?? 0) / (den || 1),
    frames: Number(count ? video.nb_read_frames : video.nb_frames),
    durationSeconds: Number(info.format.duration),
    hasAudio: info.streams.some((s) => s.codec_type === 'audio'),
    formatName: String(info.format.format_name),
  };
}
