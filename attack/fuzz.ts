import { rawRequest, type RawRequest } from './http.js';
import { imageString, imageVariant, multipart, mutatedJson, strangeJson } from './payloads.js';
import { rng, type Rng } from './prng.js';
import { fill, routes, validBody, type Route } from './routes.js';
import type { Tally } from './stats.js';
import type { Target } from './target.js';
import type { World } from './world.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO'];
const CLASSES = ['json', 'multipart', 'image', 'headers', 'range', 'token', 'path', 'method'] as const;
export type FuzzClass = (typeof CLASSES)[number];

const keyFor = (r: Rng, route: Route, world: World): string | null =>
  r.chance(0.05) ? null : route.admin ? world.admin : r.pick([world.aFull, world.aFull, world.bFull, world.admin]);

function auth(key: string | null): Array<[string, string]> {
  return key === null ? [] : [['x-api-key', key]];
}

/**
 * Requests Node parses but no URL can be made of (target `*`, a backslash in the path, a Host that
 * is not a host). The adapter once answered them with a bare 400 (no JSON, no X-Request-Id); the
 * server's errorHandler now answers JSON like everywhere else, and these keep it so.
 */
const UNPARSABLE_PATHS = ['*', '/v2\\requests/x/status'];
const UNPARSABLE_HEADERS: Array<Array<[string, string]>> = [[['Host', 'evil.example/../x']], [['Host', 'a b']]];

/** Path spellings that must never reach another route or another account's data, nor crash. */
function trickPath(r: Rng, route: Route, world: World): string {
  const real = fill(route.template, world);
  return r.pick([
    ...UNPARSABLE_PATHS,
    `${real}/`,
    real.replace(/\//g, '//'),
    `/v2/requests/../admin/accounts`,
    `/v2/requests/%2e%2e/%2e%2e/admin/accounts`,
    `/v2/requests/${world.aRequest}%2fstatus`,
    `/v2/requests/${'9'.repeat(r.pick([64, 4096, 60_000]))}/status`,
    `/v2/requests/${world.aRequest}%00/status`,
    `/v2/requests/%ff%fe/status`,
    `/v2/files/..%2f..%2freelay.db/x.mp4`,
    `/v2/files/${'.'.repeat(2)}/${'.'.repeat(2)}`,
    real.toUpperCase(),
    `${real}?wait=${r.pick(['-1', '1e9', 'NaN', '60.5', '2'])}`,
    `${real}?limit=${r.pick(['0', '-5', '999999999999', 'x'])}&after=${r.pick(['', '%00', 'zz'])}`,
    `${real}#frag`,
    `http://evil.example${real}`,
    real.slice(1),
    `${real};jsessionid=1`,
    `/%2e/${real.slice(1)}`,
  ]);
}

/** Header sets that are legal bytes but wrong meaning, or not quite legal. */
function oddHeaders(r: Rng, key: string | null): Array<[string, string]> {
  const pick = r.pick<Array<[string, string]>>([
    ...UNPARSABLE_HEADERS,
    [['Content-Type', 'application/json; charset=utf-16']],
    [['Content-Type', 'text/plain']],
    [['Content-Type', 'application/x-www-form-urlencoded']],
    [['Content-Type', 'multipart/form-data']],
    [['Content-Type', 'application/json, text/html']],
    [['Content-Type', `application/${'x'.repeat(8000)}`]],
    [
      ['Content-Encoding', 'gzip'],
      ['Content-Type', 'application/json'],
    ],
    [
      ['Expect', '100-continue'],
      ['Content-Type', 'application/json'],
    ],
    [['Authorization', 'Basic YWRtaW46YWRtaW4=']],
    [['Authorization', 'Bearer']],
    [['Authorization', `Bearer ${'a'.repeat(10_000)}`]],
    [['x-api-key', 'rl_\u00ff\u00fe\u0001']],
    [
      ['Idempotency-Key', 'k'.repeat(r.pick([1, 300, 9000]))],
      ['Content-Type', 'application/json'],
    ],
    [
      ['Idempotency-Key', '\u00e9t\u00e9'],
      ['Content-Type', 'application/json'],
    ],
    [
      ['X-Forwarded-Host', 'evil.example'],
      ['X-Forwarded-Proto', 'gopher'],
    ],
    [['Host', '']],
    [['Host', 'a'.repeat(5000)]],
    [['Accept', 'text/html']],
    [
      ['Origin', 'https://evil.example'],
      ['Access-Control-Request-Method', 'POST'],
    ],
    [
      ['Transfer-Encoding', 'chunked'],
      ['Content-Type', 'application/json'],
    ],
    [['Content-Length', '-1']],
    [['Range', 'bytes=0-1']],
  ]);
  return [...(pick.some(([k]) => k.toLowerCase() === 'x-api-key' || k === 'Authorization') ? [] : auth(key)), ...pick];
}

function rangeValue(r: Rng): string {
  return r.pick([
    'bytes=0-0',
    'bytes=-1',
    'bytes=-0',
    'bytes=0-',
    'bytes=5-1',
    'bytes=999999999-',
    'bytes=0-1,2-3',
    'bytes=abc',
    'items=0-1',
    'bytes=0-99999999999999999999',
    'bytes=',
    'bytes=--1',
    `bytes=${'0-1,'.repeat(500)}0-1`,
  ]);
}

function forgedFilePath(r: Rng, world: World): string {
  const [, , token = '', name = ''] = world.filePath.split('/').slice(1);
  const flip = (s: string): string => {
    const i = r.int(0, s.length - 1);
    return s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  };
  return r.pick([
    `/v2/files/${flip(token)}/${name}`,
    `/v2/files/${token.slice(0, -3)}/${name}`,
    `/v2/files/${token}AAAA/${name}`,
    `/v2/files/${token}/other.mp4`,
    `/v2/files/${token}/${'n'.repeat(3000)}.mp4`,
    `/v2/files/${r.bytes(24).toString('base64url')}/${name}`,
    `/v2/files//${name}`,
    `/v2/files/${token}/`,
    `/v2/files/${encodeURIComponent(token + '/../..')}/${name}`,
  ]);
}

/** One request of a class, built deterministically from the PRNG. */
export function fuzzRequest(r: Rng, cls: FuzzClass, world: World, big: boolean): RawRequest {
  const all = routes();
  const route = r.pick(cls === 'image' || cls === 'multipart' ? all.filter((x) => x.template.endsWith('{model}')) : all);
  const key = keyFor(r, route, world);
  const base = validBody(route, world);
  const path = fill(route.template, world);
  const json: Array<[string, string]> = [...auth(key), ['Content-Type', 'application/json']];
  if (cls === 'json') return { method: route.method, path, headers: json, body: r.chance(0.7) ? mutatedJson(r, base) : strangeJson(r) };
  if (cls === 'image') {
    const img = imageVariant(r, world.png, big);
    return { method: 'POST', path, headers: json, body: JSON.stringify({ ...base, image: imageString(r, img.bytes, img.mime) }) };
  }
  if (cls === 'multipart') {
    const img = imageVariant(r, world.png, false);
    const m = multipart(r, { prompt: 'p', duration: r.pick(['5', '9', 'x']), seed: '1' }, img.bytes, img.mime);
    return { method: 'POST', path, headers: [...auth(key), ['Content-Type', m.contentType]], body: m.body };
  }
  if (cls === 'headers') return { method: route.method, path, headers: oddHeaders(r, key), ...(base === undefined ? {} : { body: JSON.stringify(base) }) };
  if (cls === 'range') return { method: r.pick(['GET', 'GET', 'HEAD']), path: world.filePath, headers: [['Range', rangeValue(r)]] };
  if (cls === 'token') return { method: 'GET', path: forgedFilePath(r, world), headers: r.chance(0.5) ? [['Range', rangeValue(r)]] : [] };
  if (cls === 'path')
    return { method: route.method, path: trickPath(r, route, world), headers: json, ...(base === undefined ? {} : { body: JSON.stringify(base) }) };
  return { method: r.pick(METHODS), path, headers: json, body: JSON.stringify(base ?? {}) };
}

/** `count` requests spread over the classes, `parallel` at a time; the same seed sends the same requests. */
export async function attackFuzz(
  target: Target,
  world: World,
  tally: Tally,
  opts: { seed: number; count: number; parallel: number; big: boolean },
): Promise<void> {
  const r = rng(opts.seed);
  const plan = Array.from({ length: opts.count }, (_, i) => {
    const cls = CLASSES[i % CLASSES.length]!;
    return { cls, req: fuzzRequest(r, cls, world, opts.big) };
  });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < plan.length) {
      const { cls, req } = plan[next++]!;
      // A 29 MB body costs the server seconds to read and parse; several at once, tens of seconds.
      const timeoutMs = (req.body?.length ?? 0) > 10_000_000 ? 90_000 : 15_000;
      tally.check(`fuzz ${cls}`, req, await rawRequest(target.port, { timeoutMs, ...req }));
    }
  };
  await Promise.all(Array.from({ length: opts.parallel }, lane));
}
