import type { Canary, Decoy } from './decoys.js';
import { rawRequest, type RawRequest } from './http.js';
import { MODEL, type Target } from './target.js';
import type { Tally } from './stats.js';
import type { World } from './world.js';

/** Every spelling of "this machine" we know; each must be refused unless it is the decoy's exact allow-listed port. */
export function loopbackHosts(): string[] {
  return [
    '127.0.0.1',
    '127.1',
    '127.0.1',
    '0x7f.1',
    '0x7f.0.0.1',
    '0x7f000001',
    '2130706433',
    '017700000001',
    '0177.0.0.1',
    '127.000.000.001',
    '[::1]',
    '[0:0:0:0:0:0:0:1]',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '[0:0:0:0:0:ffff:7f00:1]',
    '[::127.0.0.1]',
    'localhost',
    'localhost.',
    'LocalHost',
    '0.0.0.0',
    '0',
    '[::]',
  ];
}

/** Forbidden ranges that are not this machine: nothing listens there, so only the answer can be judged. */
export const FORBIDDEN_HOSTS = [
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.254',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '198.18.0.1',
  '224.0.0.1',
  '255.255.255.255',
  '[fe80::1]',
  '[fd00::1]',
  '[fc00::1]',
  '[64:ff9b::7f00:1]',
  '[64:ff9b::a9fe:a9fe]',
  '[2002:7f00:1::]',
  '[2002:a9fe:a9fe::]',
  '[2001:0:4136:e378:8000:63bf:80ff:fffe]',
  '[::ffff:10.0.0.1]',
  '[::ffff:a9fe:a9fe]',
  '[ff02::1]',
];

/** URLs aimed (directly or by a trick) at the canary or a forbidden range; `n` tags the canary path with the case. */
export function ssrfUrls(canary: Canary, decoy: Decoy): string[] {
  const c = canary.port;
  const d = decoy.port;
  const direct = loopbackHosts().map((h) => `http://${h}:${c}/hit`);
  const others = FORBIDDEN_HOSTS.map((h) => `http://${h}/latest/meta-data/`);
  const tricks = [
    `http://127.0.0.1:${d}@127.0.0.1:${c}/hit`,
    `http://127.0.0.1:${c}#@127.0.0.1:${d}/`,
    `http://127.0.0.1:${c}\\@127.0.0.1:${d}/`,
    `http://127.0.0.1:${c}?@127.0.0.1:${d}/`,
    `http:/127.0.0.1:${c}/hit`,
    `http:\\\\127.0.0.1:${c}/hit`,
    `HTTP://127.0.0.1:${c}/hit`,
    `https://127.0.0.1:${c}/hit`,
    `gopher://127.0.0.1:${c}/_hit`,
    `ftp://127.0.0.1:${c}/hit`,
    `file:///etc/passwd`,
    `http://127.0.0.1:${c}:${d}/hit`,
    `http://127.0.0.1%3a${c}/hit`,
    `http://%31%32%37.0.0.1:${c}/hit`,
    `http://127.0.0.1:0${c}/hit`,
  ];
  // Redirects from the allowed decoy to each forbidden target, with every redirect code, and a chain longer than 3.
  const bounce = (to: string, code = 302): string => `http://127.0.0.1:${d}/redirect?code=${code}&to=${encodeURIComponent(to)}`;
  const redirects = [
    ...direct.map((u, i) => bounce(u, [301, 302, 303, 307, 308][i % 5])),
    ...others.slice(0, 6).map((u) => bounce(u)),
    bounce(bounce(bounce(bounce(`http://127.0.0.1:${d}/ok.png`)))),
    bounce(`http://127.0.0.1:${d}@127.0.0.1:${c}/hit`),
    bounce(`//127.0.0.1:${c}/hit`),
  ];
  return [...direct, ...others, ...tricks, ...redirects];
}

/** Tags a URL aimed at the canary with the case number, so a hit names the spelling that got through. */
function tagged(url: string, n: number): string {
  return url.replace(/\/hit/g, `/hit-${n}`).replace(/%2Fhit/g, `%2Fhit-${n}`);
}

/**
 * Sends every URL as the image, as a submit's webhook and to /v2/webhooks/test. `lean` (the npm
 * test slice) leaves out submits whose webhook is a decoy redirect: each is accepted work, which
 * costs time, and /v2/webhooks/test sends through the same delivery code right away.
 */
export async function attackSsrf(target: Target, world: World, tally: Tally, canary: Canary, decoy: Decoy, lean = false): Promise<string[]> {
  const urls = ssrfUrls(canary, decoy);
  const image = `data:image/png;base64,${world.png.toString('base64')}`;
  const cases: Array<{ cls: string; req: RawRequest }> = [];
  const post = (cls: string, path: string, body: unknown): void =>
    void cases.push({
      cls,
      req: {
        method: 'POST',
        path,
        headers: [
          ['x-api-key', world.aFull],
          ['Content-Type', 'application/json'],
        ],
        body: JSON.stringify(body),
        timeoutMs: 20_000,
      },
    });
  urls.forEach((u, n) => {
    post('ssrf image', `/v2/${MODEL}`, { image: tagged(u, n), seed: 1 });
    if (!lean || !u.includes('/redirect?')) post('ssrf webhook', `/v2/${MODEL}`, { image, seed: 1, webhook: tagged(u, n + 1000) });
    post('ssrf webhook test', '/v2/webhooks/test', { url: tagged(u, n + 2000) });
  });
  // Slow and endless bodies from the allowed decoy: must end as a prompt 400, not a stuck request or a memory spike.
  for (const path of ['drip', 'endless']) post('ssrf body', `/v2/${MODEL}`, { image: `http://127.0.0.1:${decoy.port}/${path}` });
  for (const path of ['drip', 'endless']) post('ssrf body', '/v2/webhooks/test', { url: `http://127.0.0.1:${decoy.port}/${path}` });
  // The allowed decoy itself must work, or the suite is testing nothing: a 200 here is expected.
  post('ssrf control', `/v2/${MODEL}`, { image: `http://127.0.0.1:${decoy.port}/ok.png`, webhook: `http://127.0.0.1:${decoy.port}/hook`, seed: 1 });
  let next = 0;
  const controls: number[] = [];
  const lane = async (): Promise<void> => {
    while (next < cases.length) {
      const { cls, req } = cases[next++]!;
      const res = await rawRequest(target.port, req);
      tally.check(cls, req, res);
      if (cls === 'ssrf control') controls.push(res?.status ?? 0);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  if (controls.some((s) => s !== 200)) tally.add('control failed', 'ssrf control', 'image and webhook on the allow-listed decoy', String(controls));
  return urls;
}
