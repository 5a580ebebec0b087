import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../helpers/server.js';

/** Waits for a condition with room for a loaded machine (renders share two cores with other suites). */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 60_000, interval: 100, ...opts });

let server: TestServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer({ worker: { enabled: false } });
  browser = await launchBrowser();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the pages as served', { timeout: 240_000 }, () => {
  it('carry a strict CSP: own scripts and styles only, no inline script, no eval', async () => {
    for (const path of ['/', '/console', '/docs']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe');
      const html = await res.text();
      expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/style=/);
    }
    const js = await fetch(`${server.url}/assets/playground.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
  });

  it('serve only built asset names: anything else is a JSON 404', async () => {
    for (const name of ['..%2Fpackage.json', 'nope.js.exe', 'missing.map', '%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      const res = await fetch(`${server.url}/assets/${name}`);
      expect(res.status, name).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe('not_found');
    }
  });
});

describe('/docs in a real browser', { timeout: 240_000 }, () => {
  it('renders the OpenAPI document and tries a call with the key', async () => {
    await page.goto(`${server.url}/docs`);
    await page.getByRole('heading', { name: 'generation' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('API key for "Try it"').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Use key' }).click();
    const op = page.locator('details.op', { has: page.locator('summary code', { hasText: /^\/v1\/models$/ }) });
    await op.locator('summary').click();
    await op.getByRole('button', { name: 'Send' }).click();
    await poll(() => op.getByTestId('try-status').textContent()).toContain('200');
    expect(await op.locator('pre[aria-label="Response body"]').textContent()).toContain('parameters_schema');

    const submit = page.locator('details.op', { has: page.locator('summary code', { hasText: /^\/v2\/\{model\}$/ }) });
    await submit.locator('summary').click();
    await submit.getByRole('button', { name: 'Send' }).click();
    await poll(() => submit.getByTestId('try-status').textContent()).toContain('400');
    expect(await axeViolations(page)).toEqual([]);
    await browser.screenshot(page, 'docs');
    expect(browser.problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
  });
});
