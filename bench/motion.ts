import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { ENCODER_DEFAULTS } from '../src/engines/motion/index.js';
import { ffmpegPath } from '../src/media/binaries.js';
import { ratio, table } from './lib.js';

const run = promisify(execFile);
const RUNS = 5;

/** The engine's own encoder settings for every case, so only the way frames are made differs. */
const ENCODE = [
  '-c:v',
  'libx264',
  '-preset',
  ENCODER_DEFAULTS.preset,
  '-crf',
  String(ENCODER_DEFAULTS.crf),
  '-profile:v',
  'high',
  '-pix_fmt',
  'yuv420p',
  '-threads',
  String(ENCODER_DEFAULTS.threads),
  '-movflags',
  '+faststart',
  '-an',
];

/** motion-case.ts arguments for an ffmpeg run. */
function ffmpegCase(args: string[]): string[] {
  return ['ffmpeg', '-', '-', '0', '-', JSON.stringify(args)];
}

/** A fixed photo-like test image: smooth gradients, hard edges, fine texture and noise, 2400×1600 JPEG. */
export async function testImage(path: string): Promise<void> {
  const w = 2400,
    h = 1600;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b6ea8"/><stop offset="0.6" stop-color="#f3c89b"/><stop offset="1" stop-color="#4a5d23"/></linearGradient>
    <pattern id="bricks" width="40" height="20" patternUnits="userSpaceOnUse"><rect width="40" height="20" fill="#8a4b2f"/><path d="M0 0H40M0 10H40M20 0V10M0 10V20" stroke="#d9c3a5" stroke-width="2"/></pattern></defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>
    <circle cx="1800" cy="380" r="150" fill="#fff3c4"/>
    <rect x="300" y="700" width="700" height="700" fill="url(#bricks)"/>
    <rect x="1300" y="900" width="500" height="500" fill="url(#bricks)"/>
    ${Array.from({ length: 60 }, (_, i) => `<line x1="${i * 40}" y1="1450" x2="${i * 40 + 20}" y2="1600" stroke="#2e3b12" stroke-width="3"/>`).join('')}
    <text x="320" y="650" font-size="90" font-family="sans-serif" fill="#1b1b1b">REELAY 0123456789</text>
  </svg>`;
  const base = await sharp(Buffer.from(svg)).raw().toBuffer({ resolveWithObject: true });
  const noise = Buffer.alloc(base.data.length);
  let seed = 42;
  for (let i = 0; i < noise.length; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    noise[i] = Math.max(0, Math.min(255, base.data[i]! + ((seed >>> 24) % 17) - 8));
  }
  await sharp(noise, { raw: base.info }).jpeg({ quality: 90 }).toFile(path);
}

/** Sum of RSS over a process and its descendants, from /proc, in MB. */
async function treeRssMb(pid: number): Promise<number> {
  let total = 0;
  const walk = async (p: number): Promise<void> => {
    try {
      const status = await readFile(`/proc/${p}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      const children = await readFile(`/proc/${p}/task/${p}/children`, 'utf8').catch(() => '');
      for (const c of children.trim().split(/\s+/).filter(Boolean)) await walk(Number(c));
    } catch {
      // the process ended between listing and reading
    }
  };
  await walk(pid);
  return total;
}

interface Sample {
  ms: number;
  cpuMs: number;
  rssMb: number;
}

async function runCase(args: string[]): Promise<Sample> {
  const child = spawn(process.execPath, ['--conditions=@reelay/source', '--import', 'tsx', 'bench/motion-case.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  let peak = 0;
  const sampler = setInterval(() => void treeRssMb(child.pid!).then((mb) => (peak = Math.max(peak, mb))), 25);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`bench case failed: ${args.join(' ')}`);
  const { ms, cpuMs } = JSON.parse(out) as { ms: number; cpuMs: number };
  return { ms, cpuMs, rssMb: peak };
}

/** Median wall and CPU time, peak memory. */
function summarize(samples: Sample[]): Sample {
  const mid = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { ms: mid(samples.map((s) => s.ms)), cpuMs: mid(samples.map((s) => s.cpuMs)), rssMb: Math.max(...samples.map((s) => s.rssMb)) };
}

function zoompan(w: number, h: number, frames: number, upscale: number): string {
  // The usual recipe: cover-scale the image, then zoompan with a centred, linearly growing zoom.
  const cover = `scale=${w * upscale}:${h * upscale}:force_original_aspect_ratio=increase,crop=${w * upscale}:${h * upscale}`;
  return `${cover},zoompan=z='min(zoom+0.0015,1.5)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=${frames}:s=${w}x${h}:fps=24`;
}

export async function motionBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'reelay-bench-motion-'));
  try {
    const image = join(dir, 'photo.jpg');
    await testImage(image);
    const loadNow = (): string => loadavg()[0]!.toFixed(2);
    const startLoad = loadNow();
    const rows: Array<Record<string, string | number>> = [];
    const cases: Array<{ label: string; duration: number; aspect: '16:9' | '9:16'; baselines: boolean }> = [
      { label: '5 s 16:9', duration: 5, aspect: '16:9', baselines: true },
      { label: '5 s 9:16', duration: 5, aspect: '9:16', baselines: false },
      { label: '8 s 16:9', duration: 8, aspect: '16:9', baselines: false },
    ];
    console.log(`\nMotion engine (${RUNS} alternating rounds, median; CPU time and peak RSS of the process tree): a 2400×1600 photo-like JPEG`);
    for (const c of cases) {
      const [w, h] = c.aspect === '16:9' ? [1280, 720] : [720, 1280];
      const frames = c.duration * 24;
      const out = join(dir, `reelay-${c.duration}-${w}.mp4`);
      // The floor: Reelay's own frames, decoded to raw before the clock starts, through the same encoder.
      const raw = join(dir, 'frames.yuv');
      const rawIn = ['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${w}x${h}`, '-r', '24', '-i', raw];
      const variants: Array<{ label: string; args: string[] }> = [
        { label: `Reelay motion, ${c.label}`, args: ['reelay', image, out, String(c.duration), c.aspect] },
        { label: '  encode-only floor (same frames)', args: ffmpegCase(['-v', 'error', ...rawIn, ...ENCODE, '-y', join(dir, 'floor.mp4')]) },
      ];
      if (c.baselines) {
        for (const [label, up] of [
          ['ffmpeg zoompan, raw image (jitters)', 1],
          ['ffmpeg zoompan, 4× upscaled (no-jitter recipe)', 4],
        ] as const) {
          const vf = zoompan(w, h, frames, up);
          const args = ['-v', 'error', '-loop', '1', '-i', image, '-vf', vf, '-frames:v', String(frames), ...ENCODE, '-y', join(dir, 'zp.mp4')];
          variants.push({ label: `  ${label}`, args: ffmpegCase(args) });
        }
      }
      // Rounds alternate the cases, so a change in the machine's load hits all of them alike.
      const samples: Sample[][] = variants.map(() => []);
      for (let round = 0; round < RUNS; round++) {
        for (const [i, v] of variants.entries()) {
          samples[i]!.push(await runCase(v.args));
          if (round === 0 && i === 0) await run(ffmpegPath(), ['-v', 'error', '-i', out, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-y', raw]);
        }
      }
      await rm(raw);
      const reelay = summarize(samples[0]!);
      for (const [i, v] of variants.entries()) {
        const s = summarize(samples[i]!);
        rows.push({
          case: v.label,
          'wall ms': s.ms.toFixed(0),
          'vs Reelay': ratio(s.ms, reelay.ms),
          realtime: `${((c.duration * 1000) / s.ms).toFixed(2)}×`,
          'CPU ms': s.cpuMs.toFixed(0),
          'peak RSS MB': s.rssMb.toFixed(0),
        });
      }
    }
    table(rows);
    console.log(`  load average at the start ${startLoad}, at the end ${loadNow()}`);
    console.log(
      '  "vs Reelay" is that case\'s wall time ÷ Reelay\'s: above 1 means Reelay is faster. Goals: zoompan 4× ≥ 2.50×, naive zoompan ≥ 1.20×, floor ≥ 0.87× (Reelay ≤ 1.15× the floor), realtime ≥ 5×, RSS < 300 MB.',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
