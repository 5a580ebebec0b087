import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ worker: { enabled: false } });
});
afterAll(async () => server?.stop());

async function reelay(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, REELAY_DATA_DIR: server.dataDir, REELAY_LOG_LEVEL: 'silent' },
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('reelay keys create', () => {
  it('makes a key the running server accepts, with the scopes asked for', async () => {
    const { stdout, code } = await reelay(['keys', 'create', '--label', 'ci', '--scopes', 'read', '--account', 'acme']);
    expect(code).toBe(0);
    const key = stdout.split('\n')[0]!;
    expect(key).toMatch(/^rl_[\w-]{40,}$/);
    expect(stdout).toMatch(/account "acme", scopes read; shown once/);
    expect((await server.call('/v1/models', { key })).status).toBe(200);
    const submit = await server.call('/v2/veo-2-image2video', { key, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(submit.status).toBe(403);
  });

  it('refuses unknown scopes with exit code 2 and the help', async () => {
    const { stderr, code } = await reelay(['keys', 'create', '--scopes', 'root']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--scopes must list some of generate, read, admin/);
    expect(stderr).toMatch(/Usage: reelay/);
  });

  it('help lists the commands and settings', async () => {
    const { stdout, code } = await reelay(['--help']);
    expect(code).toBe(0);
    for (const word of ['serve', 'keys create', 'REELAY_PORT', 'REELAY_DATA_DIR', 'REELAY_BOOTSTRAP_KEY', 'REELAY_PUBLIC_URL', 'REELAY_HOST']) {
      expect(stdout).toContain(word);
    }
  });

  it('a bad setting stops with a message naming the key', async () => {
    const { stderr, code } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, REELAY_PORT: 'eighty' },
    }).then(() => ({ stderr: '', code: 0 }), (e: { stderr: string; code: number }) => e);
    expect(code).toBe(2);
    expect(stderr).toMatch(/invalid config value for "port"/);
  });
});

describe('health', () => {
  it('/healthz and /readyz answer without a key', async () => {
    expect(await (await server.call('/healthz', { key: null })).json()).toEqual({ status: 'ok' });
    const ready = await server.call('/readyz', { key: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok' } });
  });

  it('/openapi.json is served', async () => {
    const res = await server.call('/openapi.json', { key: null });
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});
