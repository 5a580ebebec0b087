import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { sampleDataUri, samplePng } from '../helpers/png.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { ADMIN_KEY, startTestServer, waitFinished, type TestServer } from '../helpers/server.js';

/** Waits for a condition with room for a loaded machine (renders share two cores with other suites). */
const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: 60_000, interval: 100, ...opts });

const NAME = 'acme <b>bold</b>';
let server: TestServer;
let receiver: Receiver;
let browser: TestBrowser;
let page: Page;
let customerKey = '';
let accountId = '';

beforeAll(async () => {
  receiver = await startReceiver({ '/hook': (_req, res) => res.writeHead(200).end('ok') });
  server = await startTestServer({ emulatorFaults: true, webhooks: { allowList: ['127.0.0.1/32:*'], pollInterval: 100 }, worker: { concurrency: 2 } });
  browser = await launchBrowser();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await receiver?.close();
});

async function expectAccessible(p: Page): Promise<void> {
  expect(await axeViolations(p)).toEqual([]);
}

describe('console in a real browser', { timeout: 240_000 }, () => {
  it('needs an admin key, then shows the live overview', async () => {
    await page.goto(`${server.url}/console`);
    await expectAccessible(page);
    await page.getByLabel('Admin API key').fill('rl_not_a_key_0000000000');
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText('This key was not accepted.').waitFor();
    await page.getByLabel('Admin API key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByTestId('tile-queued').waitFor();
    expect(await page.getByTestId('tile-workers-busy').textContent()).toContain('Workers busy');
    await expectAccessible(page);
    await browser.screenshot(page, 'console-overview');
  });

  it('creates an account, grants and deducts credits with reasons, shows the ledger, sets limits', async () => {
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByLabel('Name').fill(NAME);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: `Account ${NAME}` }).waitFor();
    expect(await page.locator('b').count()).toBe(0); // the name is text, not markup
    accountId = (await page.locator('dd code').first().textContent()) ?? '';
    const credits = page.getByRole('form', { name: 'Credits' });
    await credits.getByLabel('Amount').fill('60');
    await credits.getByLabel('Reason').fill('first top-up');
    await credits.getByRole('button', { name: 'Apply' }).click();
    await poll(() => page.getByTestId('balance').textContent()).toBe('60 credits');
    await credits.getByLabel('Action').selectOption('deduct');
    await credits.getByLabel('Amount').fill('5');
    await credits.getByLabel('Reason').fill('goodwill correction');
    await credits.getByRole('button', { name: 'Apply' }).click();
    await poll(() => page.getByTestId('balance').textContent()).toBe('55 credits');
    await credits.getByLabel('Action').selectOption('deduct');
    await credits.getByLabel('Amount').fill('1000');
    await credits.getByLabel('Reason').fill('too much');
    await credits.getByRole('button', { name: 'Apply' }).click();
    await poll(() => page.getByTestId('console-error').textContent()).toContain('the balance is 55');
    const ledger = page.getByRole('table', { name: `Ledger of ${NAME}` });
    await poll(() => ledger.locator('tbody tr').count()).toBe(2);
    expect(await ledger.locator('tbody tr').first().textContent()).toContain('goodwill correction');
    const cells = await ledger.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells.slice(1, 5)).toEqual(['adjustment', '-5', '55', 'goodwill correction']);

    const limits = page.getByRole('form', { name: 'Limits' });
    await limits.getByLabel('Submits per minute').fill('30');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('30 submits per minute, default unfinished at once').waitFor();
  });

  it('creates a key shown once, which the playground uses until the credits run out (406)', async () => {
    const form = page.getByRole('form', { name: 'New key' });
    await form.getByLabel('Label').fill('playground');
    await form.getByRole('button', { name: 'Create key' }).click();
    customerKey = (await page.getByTestId('secret').textContent()) ?? '';
    expect(customerKey).toMatch(/^rl_/);
    await expectAccessible(page);
    await browser.screenshot(page, 'console-account');

    const playground = await browser.newPage();
    await playground.goto(server.url);
    await playground.getByLabel('API key').fill(customerKey);
    await playground.getByRole('button', { name: 'Use key' }).click();
    await playground.getByRole('heading', { name: 'Google Veo 2 Image To Video' }).waitFor();
    await playground.getByLabel('Or an image URL').fill('http://127.0.0.1:1/none.png');
    await playground.getByRole('button', { name: 'Generate video' }).click();
    await poll(() => playground.getByTestId('submit-error').textContent()).toContain('400');
    const png = await samplePng(320, 180);
    await playground.getByLabel('Choose a file').setInputFiles({ name: 'p.png', mimeType: 'image/png', buffer: png });
    await playground.getByRole('button', { name: 'Generate video' }).click();
    await playground.locator('.timeline').first().waitFor();
    await playground.getByRole('button', { name: 'Generate video' }).click();
    await poll(() => playground.getByTestId('submit-error').textContent()).toContain('406 insufficient_credits');
    expect(await playground.getByTestId('submit-error').textContent()).toContain('the account has 5');
    await playground.close();
  });

  it('lists requests across accounts with filters, shows one in full, and resends its webhook', async () => {
    const res = await server.call('/v2/veo-2-image2video', {
      method: 'POST',
      body: JSON.stringify({ image: await sampleDataUri(160, 90), webhook: `${receiver.origin}/hook` }),
      headers: { 'content-type': 'application/json', 'x-reelay-fault': 'content_blocked' },
    });
    const id = String(((await res.json()) as { request_id: string }).request_id);
    await waitFinished(server, id, 200_000);
    await poll(() => receiver.requests.length, { timeout: 120_000 }).toBe(1);

    await page.getByRole('link', { name: 'Requests', exact: true }).click();
    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: id.slice(0, 8) }).click();
    await poll(() => page.getByTestId('request-status').textContent()).toBe('FAILED (content_blocked)');
    await page.getByRole('button', { name: /^Resend delivery/ }).click();
    await poll(() => receiver.requests.length, { timeout: 120_000 }).toBe(2);
    await expectAccessible(page);
    await browser.screenshot(page, 'console-request');

    await page.getByRole('link', { name: 'Requests', exact: true }).click();
    await page.getByLabel('Account (id or name)').fill(NAME);
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await poll(() => page.locator('table tbody tr').count()).toBe(1);
    await expectAccessible(page);
    await browser.screenshot(page, 'console-requests');
  });

  it('rotates the webhook secret, revokes the key, suspends and resumes the account', async () => {
    await page.goto(`${server.url}/console#/accounts/${accountId}`);
    await page.getByRole('button', { name: 'Rotate webhook secret' }).click();
    await poll(() => page.getByTestId('secret').first().textContent()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: /^Revoke key/ }).click();
    await page.getByText(/^revoked /).waitFor();
    expect((await server.call('/v1/models', { key: customerKey })).status).toBe(401);

    await page.getByRole('button', { name: 'Suspend account' }).click();
    await poll(() => page.getByTestId('account-state').textContent()).toMatch(/^suspended since/);
    await page.getByRole('button', { name: 'Resume account' }).click();
    await poll(() => page.getByTestId('account-state').textContent()).toBe('active');
    expect(browser.problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
  });
});
