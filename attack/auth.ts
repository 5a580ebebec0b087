import { rawRequest, type RawRequest, type RawResponse } from './http.js';
import { fill, routes, validBody, type Route } from './routes.js';
import { describeRequest, type Tally } from './stats.js';
import type { Target } from './target.js';
import type { World } from './world.js';

/** The Gemini door reads the key only where Google's clients send it; every other route reads Segmind's header. */
const isGemini = (route: Route): boolean => route.template.startsWith('/gemini/');

/**
 * What a route answers a caller it cannot identify: 401 on Segmind's and OpenAI's wire; on the
 * Gemini door what the Gemini API answers, 403 with no key (a Bearer token is not its key) and
 * 400 for a key it does not know.
 */
function unidentified(route: Route, key: string | null, bearer: boolean): number {
  if (!isGemini(route)) return 401;
  return key === null || bearer ? 403 : 400;
}

function request(route: Route, world: World, key: string | null, values: Record<string, string> = {}, bearer = false): RawRequest {
  const body = validBody(route, world);
  const headers: Array<[string, string]> = [];
  if (key !== null) headers.push(bearer ? ['Authorization', `Bearer ${key}`] : [isGemini(route) ? 'x-goog-api-key' : 'x-api-key', key]);
  if (body !== undefined) headers.push(['Content-Type', 'application/json']);
  return {
    method: route.method,
    path: fill(route.template, world, values),
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    timeoutMs: 5_000,
  };
}

/** What must match between "someone else's id" and "no such id": status and body, minus per-call ids. */
function shape(res: RawResponse | null, askedId = ''): string {
  if (!res) return 'no answer';
  // Echoing the id the caller sent tells it nothing: compared with the id blanked out.
  let body = askedId ? res.body.toString('utf8').split(askedId).join('<id>') : res.body.toString('utf8');
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    delete json.request_id;
    body = JSON.stringify(json);
  } catch {
    // compared as text
  }
  return `${res.status} ${body}`;
}

/** An id that never existed, spelt like a real one, so only ownership differs. */
function unknownLike(id: string): string {
  const last = id.at(-1) === 'a' ? 'b' : 'a';
  return `${id.slice(0, -4)}${last}${last}${last}${last}`;
}

/** The auth matrix of the brief: no key, bad key, revoked key, read-only on writes, customer on admin, A on B's ids. */
export async function attackAuth(target: Target, world: World, tally: Tally): Promise<void> {
  const send = async (cls: string, req: RawRequest): Promise<RawResponse | null> => {
    const res = await rawRequest(target.port, req);
    tally.check(cls, req, res);
    return res;
  };
  const expect = (req: RawRequest, res: RawResponse | null, want: number, what: string): void => {
    if (res?.status === want) return;
    const leaked = res !== null && res.status < 300;
    if (leaked) tally.leaks++;
    tally.add(leaked ? 'auth leak' : 'auth mismatch', 'auth', `${what}: ${describeRequest(req)}`, `${res?.status ?? 'no answer'}, wanted ${want}`);
  };
  for (const route of routes()) {
    if (!route.secured) continue;
    const cases: Array<[string | null, boolean, string]> = [
      [null, false, 'no key'],
      ['rl_not_a_real_key_0000000000000000', false, 'bad key'],
      ['rl_not_a_real_key_0000000000000000', true, 'bad bearer'],
      [world.aRevoked, false, 'revoked key'],
      [world.aRevoked, true, 'revoked bearer'],
    ];
    for (const [key, bearer, what] of cases) {
      const req = request(route, world, key, {}, bearer);
      expect(req, await send('auth', req), unidentified(route, key, bearer), what);
    }
    if (route.writes) {
      const req = request(route, world, world.aRead);
      expect(req, await send('auth', req), 403, 'read-only key on a write route');
    }
    if (route.admin) {
      for (const key of [world.aFull, world.aRead]) {
        const req = request(route, world, key);
        expect(req, await send('auth', req), 403, 'customer key on an admin route');
      }
    }
    // Account A asking about B's request must look exactly like asking about an id that never existed.
    if (route.template.includes('{id}') && !route.admin) {
      const theirs = request(route, world, world.aFull, { id: world.bRequest });
      const none = request(route, world, world.aFull, { id: unknownLike(world.bRequest) });
      const [a, b] = [await send('auth', theirs), await send('auth', none)];
      const [shapeA, shapeB] = [shape(a, world.bRequest), shape(b, unknownLike(world.bRequest))];
      if (a?.status !== 404 || shapeA !== shapeB) {
        tally.leaks++;
        tally.add('auth leak', 'auth', `A's key on B's id: ${describeRequest(theirs)}`, `${shapeA} vs unknown id ${shapeB}`);
      }
    }
  }
}
