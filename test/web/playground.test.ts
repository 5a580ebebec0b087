import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { samplePng } from '../helpers/png.js';
import { ADMIN_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { probeBytes } from '../helpers/video.js';

/** Waits for a condition with room for a loaded machine (renders share two cores with other suites). */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 60_000, interval: 100, ...opts });

const run = promisify(execFile);
const XSS = '<img src=x onerror=alert(1)>';

let server: TestServer;
let browser: TestBrowser;
let page: Page;
let png: Buffer;
const dialogs: string[] = [];

/** Drops a file onto the drop zone the way a browser does: a drop event carrying a DataTransfer. */
async function dropImage(p: Page, bytes: Buffer, name: string): Promise<void> {
  const transfer = await p.evaluateHandle(
    ({ b64, fileName }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], fileName, { type: 'image/png' }));
      return dt;
    },
    { b64: bytes.toString('base64'), fileName: name },
  );
  await p.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: transfer });
  await p.getByText(`File: ${name}`).waitFor();
}

async function useKey(p: Page, key: string): Promise<void> {
  await p.getByLabel('API key').fill(key);
  await p.getByRole('button', { name: 'Use key' }).click();
}

/** Clicks Generate and waits for the new request's timeline to appear. */
async function generate(p: Page): Promise<void> {
  const before = await p.locator('.timeline').count();
  await p.getByRole('button', { name: 'Generate video' }).click();
  await poll(() => p.locator('.timeline').count(), { timeout: 120_000 }).toBe(before + 1);
}

/** The newest timeline's final state line. */
async function finalState(p: Page): Promise<string> {
  const state = p.locator('.timeline').first().getByTestId('timeline-state');
  await poll(async () => (await state.textContent()) ?? '', { timeout: 120_000 }).toMatch(/^(Completed|Failed)/);
  return (await state.textContent()) ?? '';
}

async function adminJson(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await server.call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  server = await startTestServer({ emulatorFaults: true, slowFaultDuration: 30_000, worker: { concurrency: 2 } });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  png = await samplePng(640, 480);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('playground in a real browser', { timeout: 240_000 }, () => {
  it('refuses a bad key with a 401 message, then takes the right one', async () => {
    await page.goto(server.url);
    expect(await axeViolations(page)).toEqual([]);
    await browser.screenshot(page, 'playground-key');
    await useKey(page, 'rl_not_a_real_key_000000');
    await poll(() => page.getByRole('alert').filter({ hasText: 'not accepted' }).count()).toBe(1);
    await useKey(page, ADMIN_KEY);
    await page.getByRole('heading', { name: 'Google Veo 2 Image To Video' }).waitFor();
    expect(await page.getByTestId('engine-label').textContent()).toContain('camera motion, not a generative model');
    // The key lives in sessionStorage only, never in the URL.
    expect(page.url()).not.toContain(ADMIN_KEY);
    expect(await page.evaluate(() => sessionStorage.getItem('reelay.playground.key'))).toBe(ADMIN_KEY);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('builds the form from the schema, shows the cost, and frames the preview', async () => {
    expect(await page.getByLabel('Duration').inputValue()).toBe('5');
    expect(await page.getByTestId('cost').textContent()).toBe('Cost: 50 credits');
    await page.getByLabel('Duration').selectOption('8');
    expect(await page.getByTestId('cost').textContent()).toBe('Cost: 80 credits');
    await page.getByLabel('Duration').selectOption('5');
    await page.getByLabel('Aspect ratio').selectOption('9:16');
    await dropImage(page, png, 'photo.png');
    const box = await page.locator('.frame').boundingBox();
    expect(box && box.height > box.width).toBe(true);
    await page.getByLabel('Aspect ratio').selectOption('16:9');
    expect(await page.getByLabel('Seed').isDisabled()).toBe(true);
  });

  it('submits, follows the timeline to a playing video, downloads it, and keeps the prompt as text', async () => {
    await page.getByLabel('Prompt').fill(XSS);
    await generate(page);
    expect(await finalState(page)).toBe('Completed');
    const video = page.getByTestId('result-video').first();
    await poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
    expect(Math.abs((await video.evaluate((v: HTMLVideoElement) => v.duration)) - 5)).toBeLessThan(0.2);
    expect(await page.getByTestId('result-engine').first().textContent()).toBe('motion (camera motion, not a generative model)');
    expect(Number(await page.getByTestId('result-seed').first().textContent())).toBeGreaterThanOrEqual(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').first().click()]);
    const saved = await download.path();
    const probe = await probeBytes(await readFile(saved));
    expect(probe.width).toBe(1280);
    expect(probe.frames).toBe(5 * 24);

    // The XSS prompt is shown as text in the history, and nothing ran.
    const row = page.locator('table.history tbody tr').first();
    await poll(() => row.locator('td.prompt').textContent()).toBe(XSS);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await browser.screenshot(page, 'playground-completed');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('gives a curl snippet that runs verbatim', async () => {
    await page.getByLabel('Prompt').fill("it's a `$HOME` test");
    const snippet = page.getByTestId('snippet');
    expect(await snippet.textContent()).not.toContain(ADMIN_KEY);
    await page.getByRole('button', { name: 'Reveal key' }).click();
    const text = (await snippet.textContent()) ?? '';
    expect(text).toContain(ADMIN_KEY);
    const dir = await tempDir('reelay-snippet-');
    await writeFile(join(dir, 'photo.png'), png);
    const { stdout } = await run('sh', ['-c', text], { cwd: dir });
    // The image was decoded and the parameters validated at submit (SPEC 2), so QUEUED means it worked.
    const answer = JSON.parse(stdout) as { request_id: string; status: string; status_url: string };
    expect(answer.status).toBe('QUEUED');
    const status = (await (await server.call(`/v2/requests/${answer.request_id}/status`)).json()) as { status: string };
    expect(['QUEUED', 'PROCESSING']).toContain(status.status);
    const stored = (await (await server.call(`/v2/requests?limit=1`)).json()) as { requests: { params: Record<string, unknown> }[] };
    expect(stored.requests[0]?.params).toMatchObject({ prompt: "it's a `$HOME` test", duration: 5, aspect_ratio: '16:9' });
    // Its render is not needed: cancelling frees the worker for the next tests.
    await server.call(`/v2/requests/${answer.request_id}/cancel`, { method: 'POST' });
    await page.getByRole('button', { name: 'Hide key' }).click();
    for (const kind of ['Python (segmind)', 'TypeScript (@reelay/sdk)', 'reelay CLI']) {
      await page.getByRole('tab', { name: kind }).click();
      expect(await snippet.textContent()).toContain("it's a `$HOME` test".replace(/'/g, kind === 'reelay CLI' ? `'\\''` : "'"));
    }
    await page.getByRole('tab', { name: 'curl' }).click();
  });

  it('re-runs a request from the history with the same parameters', async () => {
    const before = await page.locator('.timeline').count();
    const row = page.locator('table.history tbody tr').last();
    const params = await row.locator('td').nth(4).textContent();
    await row.getByRole('button', { name: /^Re-run/ }).click();
    await poll(() => page.locator('.timeline').count()).toBe(before + 1);
    await poll(() => page.locator('table.history tbody tr').first().locator('td').nth(4).textContent()).toBe(params);
  });

  it('highlights the field of a 400', async () => {
    // A re-run from the history fills the form and submits asynchronously: let it finish first.
    await poll(() => page.getByRole('button', { name: 'Generate video' }).isEnabled()).toBe(true);
    await setRandomSeed(page, false);
    await page.getByLabel('Seed').fill('99999999999');
    await page.getByRole('button', { name: 'Generate video' }).click();
    await poll(() => page.getByLabel('Seed').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('submit-error').textContent()).toContain('400 invalid_request');
    await browser.screenshot(page, 'playground-400');
    await setRandomSeed(page, true);
  });

  it('shows a failure with its detail (422 FAILED), and cancels a slow request', async () => {
    await page.locator('summary', { hasText: 'Testing' }).click();
    await page.getByLabel(/Emulator fault/).selectOption('engine_error');
    await generate(page);
    expect(await finalState(page)).toBe('Failed (engine_error)');
    expect(await page.locator('.timeline').first().getByRole('alert').textContent()).toMatch(/\w/);

    await page.getByLabel(/Emulator fault/).selectOption('slow');
    await generate(page);
    const first = page.locator('.timeline').first();
    await poll(() => first.getByTestId('timeline-state').textContent(), { timeout: 120_000 }).toMatch(/^Processing/);
    await browser.screenshot(page, 'playground-processing');
    await first.getByRole('button', { name: 'Cancel request' }).click();
    expect(await finalState(page)).toBe('Failed (canceled)');
  });

  it('says when the connection is lost, and resumes the timeline', async () => {
    const cut = (route: { abort(): Promise<void> }) => route.abort();
    // A content block ends at once without a render; the page learns of it only after the network is back.
    await page.getByLabel(/Emulator fault/).selectOption('content_blocked');
    await page.route('**/v2/requests/*/**', cut);
    await generate(page);
    await page.getByText('Connection lost. Reconnecting…').waitFor({ timeout: 120_000 });
    await page.unroute('**/v2/requests/*/**', cut);
    expect(await finalState(page)).toBe('Failed (content_blocked)');
    expect(await page.getByText('Connection lost. Reconnecting…').isVisible()).toBe(false);
    await page.getByLabel(/Emulator fault/).selectOption('');
  });

  it('explains 406 (with the balance) and 429 (with the wait) for a customer key', async () => {
    const account = await adminJson('/admin/accounts', { name: 'poor', credits: 60, rpm_limit: 1 });
    const created = await adminJson(`/admin/accounts/${String(account.id)}/keys`, { label: 'browser' });
    await page.getByRole('button', { name: 'Forget key' }).click();
    await useKey(page, String(created.key));
    await page.getByRole('heading', { name: 'Google Veo 2 Image To Video' }).waitFor();
    await dropImage(page, png, 'photo.png');
    await page.getByLabel('Duration').selectOption('8');
    await page.getByRole('button', { name: 'Generate video' }).click();
    await poll(() => page.getByTestId('submit-error').textContent()).toContain('406 insufficient_credits');
    expect(await page.getByTestId('submit-error').textContent()).toContain('the account has 60');
    await browser.screenshot(page, 'playground-406');
    await page.getByLabel('Duration').selectOption('5');
    // The limit is 1 submit per fixed one-minute window and the 406 was the first. Should the
    // window roll over between the two clicks, this submit is accepted (the balance covers 5 s)
    // and the next click in the new window is the one refused.
    for (let clicks = 1; ; clicks++) {
      const cards = await page.locator('.timeline').count();
      await page.getByRole('button', { name: 'Generate video' }).click();
      let outcome = '';
      await poll(async () => {
        if (((await page.getByTestId('submit-error').textContent()) ?? '').includes('429 rate_limited')) outcome = 'refused';
        else if ((await page.locator('.timeline').count()) > cards) outcome = 'accepted';
        return outcome;
      }).not.toBe('');
      if (outcome === 'refused') break;
      expect(clicks).toBe(1);
    }
    expect(await page.getByTestId('submit-error').textContent()).toMatch(/Try again in \d+ seconds/);
    expect(browser.problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
  });
});

/**
 * Sets the seed's "Random" toggle and checks that it stayed so: clicks again if something
 * (a re-run filling the form, say) set it back meanwhile, instead of failing on one lost click.
 */
async function setRandomSeed(page: Page, on: boolean): Promise<void> {
  await poll(async () => {
    const box = page.getByLabel('Random');
    if ((await box.isChecked()) !== on) await box.click();
    return box.isChecked();
  }).toBe(on);
}
