import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { SOURCE_CONDITION } from '../helpers/source.js';
import { expectSpecVideo, probeBytes } from '../helpers/video.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'test/cli/run-client.ts');
// The child runs in a temp dir (where default outputs land), so tsx is named by its path.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

let server: TestServer;
let dir: string;
let photo: string;

beforeAll(async () => {
  server = await startTestServer({ emulatorFaults: true, slowFaultDuration: 20_000 });
  dir = await mkdtemp(join(tmpdir(), 'reelay-cli-'));
  photo = join(dir, 'photo.png');
  await writeFile(photo, await samplePng());
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the client CLI as a child process with pipes (not a TTY), keys and server from env. */
function cli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Outcome>; stderrSoFar: () => string } {
  const { REELAY_API_KEY: _k, REELAY_SERVER: _s, ...rest } = process.env;
  const child = spawn(process.execPath, [SOURCE_CONDITION, '--import', TSX, ENTRY, ...args], {
    cwd: dir,
    env: { ...rest, REELAY_SERVER: server.url, REELAY_API_KEY: server.key, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Outcome>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stderrSoFar: () => stderr };
}

const idIn = (text: string): string => /Submitted request (\S+)/.exec(text)?.[1] ?? text.trim();

describe('reelay generate', () => {
  it('submits a local image, prints plain progress lines, saves an ffprobe-valid video', async () => {
    const out = join(dir, 'out.mp4');
    const r = await cli(['generate', photo, '--prompt', 'slow zoom in', '--duration', '5', '--seed', '99', '--out', out]).done;
    expect(r.stderr).toMatch(/^Submitted request \S+$/m);
    const id = idIn(r.stderr);
    expect(r.stderr).toMatch(new RegExp(`^${id} PROCESSING \\d+%`, 'm'));
    expect(r.stderr).not.toContain('\r'); // no redrawn line when not a TTY
    expect(r.stdout).toBe(`Saved ${out} (request ${id}, seed 99, engine motion)\n`);
    expect(r.code).toBe(0);
    expectSpecVideo(await probeBytes(await readFile(out)), { width: 1280, height: 720 }, 5);
  });

  it('exits 1 with the reason when the request FAILS; --json prints the FAILED body', async () => {
    const r = await cli(['generate', photo, '--fault', 'content_blocked', '--json']).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^reelay: request \S+ failed \(content_blocked\): .*content filter/m);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'FAILED', code: 'content_blocked' });
  });

  it('exits 1 with a clear message on a bad key', async () => {
    const r = await cli(['generate', photo], { REELAY_API_KEY: 'rl_wrong' }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('reelay: Missing or invalid API key (HTTP 401 unauthorized)\n');
    expect(r.stdout).toBe('');
  });

  it('exits 2 on a usage mistake, before calling the server', async () => {
    const bad = await cli(['generate', photo, '--duration', '9']).done;
    expect(bad).toMatchObject({ code: 2, stderr: 'reelay: --duration must be one of 5, 6, 7, 8\n' });
    const missing = await cli(['generate', join(dir, 'nope.png')]).done;
    expect(missing).toMatchObject({ code: 2, stderr: `reelay: cannot read image "${join(dir, 'nope.png')}": no such file\n` });
  });

  it('--help shows the command help', async () => {
    const r = await cli(['generate', '--help']).done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: reelay generate IMAGE_OR_URL/);
  });

  it('Ctrl-C while waiting (no TTY) leaves the request running and prints its id', async () => {
    const run = cli(['generate', photo, '--fault', 'slow']);
    await waitFor(() => /PROCESSING/.test(run.stderrSoFar()));
    run.child.kill('SIGINT');
    const r = await run.done;
    const id = idIn(r.stderr);
    expect(r.code).toBe(130);
    expect(r.stdout).toBe(`${id}\n`);
    expect(r.stderr).toContain(`Left request ${id} running. Get it later with: reelay wait ${id}`);
    const status = (await (await server.call(`/v2/requests/${id}/status`)).json()) as { status: string };
    expect(status.status).toBe('PROCESSING');
    await server.call(`/v2/requests/${id}/cancel`, { method: 'POST' });
  });
});

describe('reelay status, wait, cancel', () => {
  it('--no-wait prints the id; status shows it; wait exits 1 on the failure', async () => {
    const submitted = await cli(['generate', photo, '--no-wait', '--fault', 'engine_error']).done;
    expect(submitted.code).toBe(0);
    const id = submitted.stdout.trim();
    const waited = await cli(['wait', id]).done;
    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(new RegExp(`^reelay: request ${id} failed \\(engine_error\\)`, 'm'));
    const status = await cli(['status', id]).done;
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^${id} FAILED \\(engine_error\\) `));
    const json = await cli(['status', id, '--json']).done;
    expect(JSON.parse(json.stdout)).toMatchObject({ request_id: id, status: 'FAILED', code: 'engine_error' });
  });

  it('cancel ends a running request; canceling again exits 1', async () => {
    const id = (await cli(['generate', photo, '--no-wait', '--fault', 'slow']).done).stdout.trim();
    const first = await cli(['cancel', id]).done;
    expect(first).toMatchObject({ code: 0, stdout: `Canceled request ${id}\n` });
    const again = await cli(['cancel', id]).done;
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^reelay: Request is already FAILED and cannot be canceled \(HTTP 409 /);
  });

  it('status of an unknown id exits 1 with the 404', async () => {
    const r = await cli(['status', 'req_unknown']).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^reelay: Request not found \(HTTP 404 not_found/);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
