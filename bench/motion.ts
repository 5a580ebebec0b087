import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { ENCODER_DEFAULTS } from '../src/engines/motion/index.js';
import { ffmpegPath } from '../src/media/binaries.js';
import { ratio, table } from './lib.js';

const run = promisify(execFile);
const RUNS = 3;

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

/** A fixed photo-like test image: smooth gradients, hard edges, fine texture and noise, 2400×1600 JPEG. */
async function testImage(path: string): Promise<void> {
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

async function runCase(args: string[]): Promise<{ ms: number; rssMb: number }> {
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
  return { ms: (JSON.parse(out) as { ms: number }).ms, rssMb: peak };
}

async function median(args: string[]): Promise<{ ms: number; rssMb: number }> {
  const results: Array<{ ms: number; rssMb: number }> = [];
  for (let i = 0; i < RUNS; i++) results.push(await runCase(args));
  results.sort((a, b) => a.ms - b.ms);
  return { ms: results[Math.floor(RUNS / 2)]!.ms, rssMb: Math.max(...results.map((r) => r.rssMb)) };
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
    const rows: Array<Record<string, string | number>> = [];
    const cases: Array<{ label: string; duration: number; aspect: '16:9' | '9:16'; baselines: boolean }> = [
      { label: '5 s 16:9', duration: 5, aspect: '16:9', baselines: true },
      { label: '5 s 9:16', duration: 5, aspect: '9:16', baselines: false },
      { label: '8 s 16:9', duration: 8, aspect: '16:9', baselines: false },
    ];
    console.log(`\nMotion engine (${RUNS} runs each, median; peak RSS of the process tree): a 2400×1600 photo-like JPEG`);
    for (const c of cases) {
      const [w, h] = c.aspect === '16:9' ? [1280, 720] : [720, 1280];
      const frames = c.duration * 24;
      const out = join(dir, `reelay-${c.duration}-${w}.mp4`);
      const reelay = await median(['reelay', image, out, String(c.duration), c.aspect]);
      // The floor: Reelay's own frames, decoded to raw before the clock starts, through the same encoder.
      const raw = join(dir, 'frames.yuv');
      await run(ffmpegPath(), ['-v', 'error', '-i', out, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-y', raw]);
      const floor = await median([
        'ffmpeg',
        raw,
        '-',
        '0',
        '-',
        JSON.stringify([
          '-v',
          'error',
          '-f',
          'rawvideo',
          '-pix_fmt',
          'yuv420p',
          '-s',
          `${w}x${h}`,
          '-r',
          '24',
          '-i',
          raw,
          ...ENCODE,
          '-y',
          join(dir, 'floor.mp4'),
        ]),
      ]);
      await rm(raw);
      const realtime = (c.duration * 1000) / reelay.ms;
      rows.push({
        case: `Reelay motion, ${c.label}`,
        'wall ms': reelay.ms.toFixed(0),
        'vs Reelay': '1.00×',
        realtime: `${realtime.toFixed(2)}×`,
        'peak RSS MB': reelay.rssMb.toFixed(0),
      });
      rows.push({
        case: `  encode-only floor (same frames)`,
        'wall ms': floor.ms.toFixed(0),
        'vs Reelay': ratio(floor.ms, reelay.ms),
        realtime: `${((c.duration * 1000) / floor.ms).toFixed(2)}×`,
        'peak RSS MB': floor.rssMb.toFixed(0),
      });
      if (c.baselines) {
        for (const [label, up] of [
          ['ffmpeg zoompan, raw image (jitters)', 1],
          ['ffmpeg zoompan, 4× upscaled (no-jitter recipe)', 4],
        ] as const) {
          const zp = await median([
            'ffmpeg',
            image,
            '-',
            '0',
            '-',
            JSON.stringify([
              '-v',
              'error',
              '-loop',
              '1',
              '-i',
              image,
              '-vf',
              zoompan(w, h, frames, up),
              '-frames:v',
              String(frames),
              ...ENCODE,
              '-y',
              join(dir, 'zp.mp4'),
            ]),
          ]);
          rows.push({
            case: `  ${label}`,
            'wall ms': zp.ms.toFixed(0),
            'vs Reelay': ratio(zp.ms, reelay.ms),
            realtime: `${((c.duration * 1000) / zp.ms).toFixed(2)}×`,
            'peak RSS MB': zp.rssMb.toFixed(0),
          });
        }
      }
    }
    table(rows);
    console.log(
      '  "vs Reelay" is that case\'s wall time ÷ Reelay\'s: above 1 means Reelay is faster. Goals: zoompan 4× ≥ 2.00×, naive zoompan ≥ 1.00×, floor ≥ 0.77× (Reelay ≤ 1.3× the floor), realtime ≥ 4×, RSS < 300 MB.',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
