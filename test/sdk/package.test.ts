import { execFile } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listenLoopback, type Loopback } from '../helpers/loopback.js';
import { tempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const SDK = join(ROOT, 'packages/sdk');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** Bigger than many stream buffers, so a listener added per 'drain' would pass Node's limit of 10. */
const VIDEO = Buffer.alloc(3 * 1024 * 1024, 7);

let site: Loopback;
beforeAll(async () => {
  site = await listenLoopback((req, res) => {
    if (req.url === '/v2/requests/abc/status') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"QUEUED","request_id":"abc"}');
    if (req.url === '/video.mp4') return res.writeHead(200, { 'content-type': 'video/mp4' }).end(VIDEO);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found","code":"not_found"}');
  });
});
afterAll(() => site?.close());

const CONSUMER = `
import { Reelay, isDuration } from '@reelay/sdk';
// Any warning (MaxListenersExceededWarning above all) fails the run.
process.on('warning', (w) => { console.error('WARNING', w.name, w.message); process.exitCode = 3; });
const client = new Reelay({ apiKey: 'k', baseUrl: process.env.BASE });
const status = await client.job('abc').status();
await client.downloadOutput(process.env.BASE + '/video.mp4', 'video.mp4');
console.log(JSON.stringify({ status: status.status, five: isDuration(5), nine: isDuration(9) }));
`;

const TYPED = `
import { Reelay, type CompletedResult } from '@reelay/sdk';
const client = new Reelay({ apiKey: 'k' });
export const done: Promise<CompletedResult> = client.run('veo-2-image2video', { image: 'https://x/y.png', duration: 5 });
`;

it('npm pack gives a tarball that installs offline in an empty folder, imports, runs and typechecks', { timeout: 240_000 }, async () => {
  const dir = await tempDir('reelay-sdk-pack-');
  // `prepare` builds dist/ with the package's own `tsc` (a devDependency), then packs.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: SDK, timeout: 120_000 });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
  const paths = packed!.files.map((f) => f.path);
  expect(paths).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'package.json', 'README.md']));
  expect(paths.some((p) => p.startsWith('test') || p.startsWith('node_modules') || p.includes('tsconfig'))).toBe(false);

  const app = join(dir, 'app');
  await run('mkdir', [app]);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // --offline: the SDK has no dependencies, so nothing may need the network.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed!.filename)], { cwd: app, timeout: 120_000 });
  expect(await readdir(join(app, 'node_modules/@reelay/sdk/dist'))).toContain('index.js');

  await writeFile(join(app, 'main.js'), CONSUMER);
  const out = await run(process.execPath, ['main.js'], { cwd: app, env: { ...process.env, BASE: site.url } });
  expect(out.stderr).toBe('');
  expect(JSON.parse(out.stdout)).toEqual({ status: 'QUEUED', five: true, nine: false });
  expect((await stat(join(app, 'video.mp4'))).size).toBe(VIDEO.length);

  // The published types: a typed consumer compiles under strict NodeNext resolution.
  await writeFile(join(app, 'typed.ts'), TYPED);
  const tsArgs = ['--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2023,dom', 'typed.ts'];
  await run(process.execPath, [TSC, ...tsArgs], { cwd: app });
  await writeFile(join(app, 'typed.ts'), TYPED.replace('duration: 5', 'duration: 9'));
  const bad = await run(process.execPath, [TSC, ...tsArgs], { cwd: app }).catch((err: { stdout: string }) => err);
  expect('stdout' in bad ? bad.stdout : '').toMatch(/typed\.ts.*duration|Type '9'/s);
  expect(JSON.parse(await readFile(join(app, 'node_modules/@reelay/sdk/package.json'), 'utf8')).dependencies ?? {}).toEqual({});
});
