import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { samplePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { probeBytes } from '../helpers/video.js';
import { startSegmindFake, type SegmindFake } from '../fakes/segmind.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const SDK_ENTRY = pathToFileURL(join(ROOT, 'packages/sdk/src/index.ts')).href;
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

let server: TestServer;
let segmind: SegmindFake;
let dir: string;
let blocks: string[];

beforeAll(async () => {
  server = await startTestServer({ emulatorFaults: true });
  segmind = await startSegmindFake('sg_key');
  segmind.scenario.pollsBeforeDone = 2;
  dir = await mkdtemp(join(tmpdir(), 'reelay-readme-'));
  await writeFile(join(dir, 'photo.png'), await samplePng());
  const readme = await readFile(join(ROOT, 'packages/sdk/README.md'), 'utf8');
  blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
});
afterAll(async () => {
  await server?.stop();
  await segmind?.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs one README block as its own ES module, as a user would paste it: the package name points at
 * the SDK source, the documented URLs at the test servers, the keys come from the environment.
 */
async function runBlock(index: number, env: Record<string, string>): Promise<string> {
  const code = (blocks[index] ?? '')
    .replaceAll("'@reelay/sdk'", `'${SDK_ENTRY}'`)
    .replaceAll('http://127.0.0.1:8080', server.url)
    .replaceAll('https://api.segmind.com', segmind.url);
  const file = join(dir, `example-${index}.mts`);
  await writeFile(file, code);
  const { REELAY_API_KEY: _r, SEGMIND_API_KEY: _s, ...rest } = process.env;
  const { stdout } = await run(process.execPath, ['--import', TSX, file], { cwd: dir, env: { ...rest, ...env }, timeout: 60_000 });
  return stdout;
}

it('the README has the examples this test expects', () => {
  expect(blocks).toHaveLength(5);
});

it('every README example runs and does what it says', async () => {
  const reelay = { REELAY_API_KEY: server.key };
  const [make, later, errors, sync, seg] = await Promise.all([
    runBlock(0, reelay),
    runBlock(1, reelay),
    runBlock(2, reelay),
    runBlock(3, reelay),
    runBlock(4, { SEGMIND_API_KEY: 'sg_key' }),
  ]);
  expect(make).toMatch(/^PROCESSING/m);
  expect(make).toMatch(/^done \S+ \d+ motion$/m);
  expect((await probeBytes(await readFile(join(dir, 'video.mp4')))).frames).toBe(120);
  expect(later).toMatch(/^submitted \S+ (QUEUED|PROCESSING)$/m);
  expect(later).toMatch(/^still running after \d{3,} ms; now FAILED canceled$/m);
  expect(errors).toBe('failed: content_blocked true\nrefused: 401 unauthorized\n');
  expect(sync).toBe('sync true true 1234 motion\n');
  expect((await probeBytes(await readFile(join(dir, 'sync.mp4')))).frames).toBe(120);
  expect(seg).toBe('segmind COMPLETED string\n');
});
