import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snippet, type SnippetInput } from '../../web/playground/snippets.js';
import { samplePng } from '../helpers/png.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { expectSpecVideo, probeBytes } from '../helpers/video.js';

/**
 * The playground's "Copy as" TypeScript and CLI snippets, run verbatim as a person would (the
 * browser test checks that the page shows exactly this text, and runs the curl one). The SDK is
 * "installed" by linking the workspace package into the folder's node_modules, and `reelay` is put
 * on the PATH as `npm install -g` would, running the built CLI. The Python one needs the `segmind`
 * package from PyPI, which is not reachable here.
 */
const execFileP = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

let server: TestServer;
let png: Buffer;

beforeAll(async () => {
  // What `npm ci` did on a fresh clone (`prepare`): the SDK's dist and the CLI; a no-op on a built tree.
  await execFileP(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, timeout: 300_000 });
  server = await startTestServer();
  png = await samplePng(320, 180);
}, 300_000);
afterAll(() => server?.stop());

async function folderWithPhoto(): Promise<string> {
  const dir = await tempDir('reelay-snippet-');
  await writeFile(join(dir, 'photo.png'), png);
  return dir;
}

function input(): SnippetInput {
  const dataUri = `data:image/png;base64,${png.toString('base64')}`;
  return {
    base: server.url,
    model: 'veo-2-image2video',
    key: ADMIN_KEY,
    image: { kind: 'file', name: 'photo.png', type: 'image/png', dataUri },
    params: { prompt: "it's a `$HOME` test", duration: 5, aspect_ratio: '9:16', seed: 1234 },
  };
}

/** A clean shell environment: none of `npm test`'s npm_* variables. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$/i.test(k))), ...extra };
}

describe('"Copy as" snippets run verbatim', () => {
  it('TypeScript (@reelay/sdk): saved as generate.mjs, run with node, writes the video', { timeout: 240_000 }, async () => {
    const dir = await folderWithPhoto();
    await mkdir(join(dir, 'node_modules/@reelay'), { recursive: true });
    await symlink(join(ROOT, 'packages/sdk'), join(dir, 'node_modules/@reelay/sdk'));
    await writeFile(join(dir, 'generate.mjs'), snippet('typescript', input()));
    const { stdout } = await execFileP(process.execPath, ['generate.mjs'], { cwd: dir, env: userEnv(), timeout: 200_000 });
    const [id, seed, engine] = stdout.trim().split(' ');
    expect(seed).toBe('1234');
    expect(engine).toBe('motion');
    const record = (await (await server.call(`/v2/requests/${id}`)).json()) as { status: string };
    expect(record.status).toBe('COMPLETED');
    expectSpecVideo(await probeBytes(await readFile(join(dir, 'video.mp4'))), { width: 720, height: 1280 }, 5);
  });

  it('reelay CLI: run in a shell with reelay on the PATH, writes the video', { timeout: 240_000 }, async () => {
    const dir = await folderWithPhoto();
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'reelay'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist/src/cli/main.js')}" "$@"\n`);
    await chmod(join(bin, 'reelay'), 0o755);
    await execFileP('sh', ['-c', snippet('cli', input())], { cwd: dir, env: userEnv({ PATH: `${bin}:${process.env.PATH ?? ''}` }), timeout: 200_000 });
    expectSpecVideo(await probeBytes(await readFile(join(dir, 'video.mp4'))), { width: 720, height: 1280 }, 5);
  });
});
