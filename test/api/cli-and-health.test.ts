import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { SOURCE_CONDITION } from '../helpers/source.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ worker: { enabled: false } });
});
afterAll(async () => server?.stop());

async function reelay(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SOURCE_CONDITION, '--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, REELAY_DATA_DIR: server.dataDir, REELAY_LOG_LEVEL: 'silent' },
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('admin CLI', () => {
  it('local mode: creates an account and a key the running server accepts, with the scopes asked for', async () => {
    const created = await reelay(['accounts', 'create', 'acme', '--credits', '100']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'acme', balance: 100, is_admin: false });
    const { stdout, code } = await reelay(['keys', 'create', '--label', 'ci', '--scopes', 'read', '--account', 'acme']);
    expect(code).toBe(0);
    const key = stdout.split('\n')[0]!;
    expect(key).toMatch(/^rl_[\w-]{40,}$/);
    expect(stdout).toMatch(/scopes read; shown once/);
    expect((await server.call('/v1/models', { key })).status).toBe(200);
    const submit = await server.call('/v2/veo-2-image2video', { key, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(submit.status).toBe(403);
  });

  it('HTTP mode: grants credits through the running server, and both modes agree', async () => {
    await reelay(['accounts', 'create', 'httpco']);
    const granted = await reelay(['credits', 'grant', 'httpco', '250', '--reason', 'welcome', '--server', server.url, '--key', server.key]);
    expect(granted.code).toBe(0);
    expect(JSON.parse(granted.stdout)).toMatchObject({ balance: 250, entry: { kind: 'grant', amount: 250, reason: 'welcome' } });
    const ledger = await reelay(['credits', 'ledger', 'httpco']);
    expect(JSON.parse(ledger.stdout)).toMatchObject({ balance: 250, entries: [{ kind: 'grant', amount: 250 }] });
  });

  it('bad input is refused with the same 400 body as the API, exit code 1', async () => {
    const { stderr, code } = await reelay(['credits', 'grant', 'admin', 'lots', '--reason', 'x']);
    expect(code).toBe(1);
    expect(JSON.parse(stderr)).toMatchObject({ code: 'invalid_request', details: [{ field: 'amount' }] });
    const unknown = await reelay(['keys', 'create', '--scopes', 'root']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/scope/);
  });

  it('a wrong admin key over HTTP is reported with the server error', async () => {
    const { stderr, code } = await reelay(['accounts', 'list', '--server', server.url, '--key', 'rl_wrong_key_000000000000000000']);
    expect(code).toBe(1);
    expect(JSON.parse(stderr)).toEqual({ error: 'Missing or invalid API key', code: 'unauthorized' });
  });

  it('an unknown command exits 2 with one line and a hint, not the whole help', async () => {
    const { stderr, code } = await reelay(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toBe('reelay: unknown command "frobnicate"\nRun "reelay --help" to see the commands.\n');
  });

  it('help lists the commands and settings', async () => {
    const { stdout, code } = await reelay(['--help']);
    expect(code).toBe(0);
    for (const word of [
      'serve',
      'keys create',
      'credits grant',
      'accounts create',
      'REELAY_PORT',
      'REELAY_DATA_DIR',
      'REELAY_BOOTSTRAP_KEY',
      'REELAY_PUBLIC_URL',
      'REELAY_HOST',
    ]) {
      expect(stdout).toContain(word);
    }
  });

  it('a bad setting stops with a message naming the key', async () => {
    const { stderr, code } = await run(process.execPath, [SOURCE_CONDITION, '--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, REELAY_PORT: 'eighty' },
    }).then(
      () => ({ stderr: '', code: 0 }),
      (e: { stderr: string; code: number }) => e,
    );
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

  it('/metrics serves Prometheus text with the queue depth', async () => {
    const res = await server.call('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^reelay_queue_depth \d+$/m);
    expect(text).toContain('reelay_requests_finished_total');
  });

  it('/openapi.json is served', async () => {
    const res = await server.call('/openapi.json', { key: null });
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});
