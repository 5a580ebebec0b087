import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { SOURCE_CONDITION } from '../helpers/source.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const run = promisify(execFile);

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import pty'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let server: TestServer;
let dir: string;

// In a pseudo-terminal: the progress line redraws in place, and Ctrl-C asks what to do.
describe.skipIf(!hasPython())('reelay generate on a terminal', () => {
  beforeAll(async () => {
    server = await startTestServer({ emulatorFaults: true, slowFaultDuration: 20_000 });
    dir = await mkdtemp(join(tmpdir(), 'reelay-tty-'));
    await writeFile(join(dir, 'photo.png'), await samplePng());
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function ctrlC(answer: string): Promise<{ exit: number; output: string; id: string }> {
    const { stdout } = await run(
      'python3',
      [
        join(ROOT, 'test/cli/pty-run.py'),
        answer,
        process.execPath,
        SOURCE_CONDITION,
        '--import',
        TSX,
        join(ROOT, 'test/cli/run-client.ts'),
        'generate',
        'photo.png',
        '--fault',
        'slow',
      ],
      { cwd: dir, env: { ...process.env, REELAY_SERVER: server.url, REELAY_API_KEY: server.key }, timeout: 60_000 },
    );
    const result = JSON.parse(stdout) as { exit: number; output: string };
    return { ...result, id: /Submitted request (\S+)/.exec(result.output)?.[1] ?? '' };
  }

  it('draws a live progress bar and, on Ctrl-C then "y", cancels the request and prints its id', async () => {
    const r = await ctrlC('y');
    expect(r.output).toMatch(new RegExp(`\\r\\x1b\\[2K${r.id} PROCESSING \\[#*-*\\] \\d+%`));
    expect(r.output).toContain(`Cancel request ${r.id}? [y/N]`);
    expect(r.output).toContain(`Canceled request ${r.id}.`);
    expect(r.exit).toBe(130);
    const status = (await (await server.call(`/v2/requests/${r.id}/status`)).json()) as { status: string; code: string };
    expect(status).toMatchObject({ status: 'FAILED', code: 'canceled' });
  });

  it('on Ctrl-C then Enter, leaves the request running and prints its id', async () => {
    const r = await ctrlC('');
    expect(r.output).toContain(`Left request ${r.id} running. Get it later with: reelay wait ${r.id}`);
    expect(r.exit).toBe(130);
    const status = (await (await server.call(`/v2/requests/${r.id}/status`)).json()) as { status: string };
    expect(status.status).toBe('PROCESSING');
    await server.call(`/v2/requests/${r.id}/cancel`, { method: 'POST' });
  });
});
