import { spawn, type ChildProcess } from 'node:child_process';
import { EngineError } from '../engine.js';

/**
 * The H.264 encoder: an ffmpeg child fed raw yuv420p frames on stdin, one at a time, each
 * write awaited so at most one frame is buffered on our side (backpressure), and the pipe
 * drains as fast as x264 takes frames.
 */

/**
 * x264 settings, chosen by quality per CPU second (the warper's raw frames of the bench's
 * 5 s 16:9 case, encoded from a raw file, SSIM/PSNR against those raw frames, 2026-12-08):
 *
 * | preset, CRF     | x264 CPU   | file    | SSIM   | PSNR     |
 * |-----------------|------------|---------|--------|----------|
 * | veryfast, 23    | 1.16-1.45 s| 590 KB  | 0.9752 | 41.35 dB |
 * | faster, 23      | 2.08 s     | 613 KB  | 0.9767 | 42.18 dB |
 * | superfast, 23   | 1.09-1.12 s| 1.80 MB | 0.9815 | 43.42 dB |
 * | superfast, 26   | 0.73-0.81 s| 1.00 MB | 0.9759 | 41.55 dB |
 * | superfast, 27   | 0.73-0.76 s| 825 KB  | 0.9746 | 40.93 dB |
 * | ultrafast, 23   | 1.75 s     | 4.67 MB | 0.9780 | 44.06 dB |
 *
 * superfast at CRF 26 matches veryfast CRF 23's quality (slightly above on both measures) for
 * ~40% less encoder CPU, at 1.7× the bytes (1.6 Mbit/s for 720p): on two cores the encoder is
 * the render, so CPU is what counts. Threads are fixed so output bytes never depend on the
 * machine.
 */
export const ENCODER_DEFAULTS = { preset: 'superfast', crf: 26, threads: 2 } as const;

export interface EncoderSettings {
  ffmpegPath: string;
  width: number;
  height: number;
  fps: number;
  output: string;
  threads?: number;
  preset?: string;
  crf?: number;
}

/** The ffmpeg command line; exported so benchmarks can time exactly the same encode. */
export function encoderArgs(s: EncoderSettings): string[] {
  const preset = s.preset ?? ENCODER_DEFAULTS.preset;
  const crf = s.crf ?? ENCODER_DEFAULTS.crf;
  const threads = s.threads ?? ENCODER_DEFAULTS.threads;
  return [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'error',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    '-s',
    `${s.width}x${s.height}`,
    '-r',
    String(s.fps),
    '-i',
    'pipe:0',
    '-an',
    '-sn',
    '-dn',
    '-c:v',
    'libx264',
    '-preset',
    preset,
    '-crf',
    String(crf),
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    '-threads',
    String(threads),
    // The frames are BT.709 limited range (yuv.ts); say so, or players guess.
    '-colorspace',
    'bt709',
    '-color_primaries',
    'bt709',
    '-color_trc',
    'bt709',
    '-color_range',
    'tv',
    // No version strings, dates or per-run metadata: same frames, same bytes.
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-map_metadata',
    '-1',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    '-y',
    s.output,
  ];
}

const STDERR_TAIL = 4000;

export class Encoder {
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderr = '';
  private spawnError: Error | null = null;

  constructor(settings: EncoderSettings) {
    // Its own process group: a stop signalled to Reelay's whole group (systemd's default, a terminal's
    // Ctrl-C) must not kill the render under way; Reelay stops ffmpeg itself (abort, kill()). If
    // Reelay dies, the closed stdin ends ffmpeg, so it never outlives its parent for long.
    this.child = spawn(settings.ffmpegPath, encoderArgs(settings), { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
    });
    // A dead ffmpeg makes writes fail with EPIPE; the exit status says why, so report that.
    this.child.stdin?.on('error', () => {});
    this.exited = new Promise((resolve) => {
      // `on`, not `once`: a later 'error' (a failed kill) must not go unhandled and end the process.
      this.child.on('error', (err) => {
        this.spawnError ??= err;
        resolve({ code: null, signal: null });
      });
      this.child.once('close', (code, signal) => resolve({ code, signal }));
    });
  }

  /** Resolves once the frame has been handed to the pipe. */
  async write(frame: Uint8Array): Promise<void> {
    const stdin = this.child.stdin;
    const failed = await new Promise<boolean>((resolve) => {
      if (!stdin || stdin.destroyed) resolve(true);
      else stdin.write(frame, (err) => resolve(err != null));
    });
    if (failed) throw await this.failure('stopped accepting frames');
  }

  /** Closes the input and waits for the finished file. */
  async finish(): Promise<void> {
    this.child.stdin?.end();
    const { code, signal } = await this.exited;
    if (code !== 0 || signal !== null || this.spawnError) throw await this.failure('failed');
  }

  /** Stops ffmpeg now and waits until it is gone (reaped, not a zombie). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private async failure(what: string): Promise<EngineError> {
    const { code, signal } = await this.exited;
    const status = this.spawnError ? `could not start: ${this.spawnError.message}` : `exit ${signal ?? code}`;
    const tail = this.stderr.trim();
    return new EngineError('engine_error', `ffmpeg ${what} (${status})${tail ? `: ${tail}` : ''}`, {
      cause: this.spawnError ?? undefined,
    });
  }
}
