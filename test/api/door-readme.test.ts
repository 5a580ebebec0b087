import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { samplePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { probeBytes } from '../helpers/video.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

let server: TestServer;
let dir: string;
let readme: string;

beforeAll(async () => {
  server = await startTestServer();
  // Inside the repository (git-ignored), so the examples' `openai` and `@google/genai` imports resolve as in a user's project.
  await mkdir(join(ROOT, '.test-tmp'), { recursive: true });
  dir = await mkdtemp(join(ROOT, '.test-tmp', 'door-readme-'));
  await writeFile(join(dir, 'photo.png'), await samplePng());
  readme = await readFile(join(ROOT, 'README.md'), 'utf8');
});
afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The first ```ts block of a README section, run as its own module against the test server, as a user would paste it. */
async function runSection(heading: string): Promise<string> {
  const section = readme.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  const code = /```ts\n([\s\S]*?)```/.exec(section ?? '')?.[1];
  expect(code, `README section "${heading}" with a ts block`).toBeDefined();
  const file = join(dir, `${heading.replace(/\W+/g, '-')}.mts`);
  await writeFile(file, code!.replaceAll('http://127.0.0.1:8080', server.url));
  const { stdout } = await run(process.execPath, ['--import', TSX, file], { cwd: dir, env: { ...process.env, REELAY_API_KEY: server.key }, timeout: 120_000 });
  return stdout;
}

it("the README's OpenAI and Gemini SDK examples run and make their videos", async () => {
  const [openai, gemini] = await Promise.all([runSection("Using OpenAI's SDK"), runSection("Using Google's Gen AI SDK")]);
  expect(openai).toMatch(/^done video_[0-9a-f]{32} 8 1280x720$/m);
  expect(await probeBytes(await readFile(join(dir, 'openai.mp4')))).toMatchObject({ width: 1280, height: 720, frames: 192 });
  expect(await sharp(join(dir, 'openai.jpg')).metadata()).toMatchObject({ format: 'jpeg', width: 1280, height: 720 });
  expect(gemini).toMatch(/^done models\/veo-2\.0-generate-001\/operations\/[0-9a-f]{32}$/m);
  expect(await probeBytes(await readFile(join(dir, 'gemini.mp4')))).toMatchObject({ width: 720, height: 1280, frames: 120 });
}, 180_000);
