import { ENGINES, engineSection } from '../../engines/definitions.js';
import type { Config } from '../../config.js';
import { fail, messageOf, ok, type Check } from './check.js';

const TIMEOUT_MS = 8_000;

interface Probe {
  url: string;
  headers?: Record<string, string>;
  /** What a 401/403 means for this upstream. */
  refused?: string;
}

/** Where each remote engine's upstream is, from its config section. Engines without one render locally. */
function probesFor(engine: string, section: Record<string, unknown> | undefined): Probe[] {
  if (!section) return [];
  if (engine === 'veo') {
    const vertex = section.vertex as { baseUrl?: string; location?: string } | undefined;
    if (vertex) {
      const location = vertex.location ?? 'us-central1';
      return [{ url: vertex.baseUrl ?? (location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`) }];
    }
    const base = String(section.baseUrl ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '');
    return [
      {
        url: `${base}/v1beta/models?pageSize=1`,
        headers: { 'x-goog-api-key': String(section.apiKey ?? '') },
        refused: 'Google refused the key: check GEMINI_API_KEY (Google AI Studio → API keys)',
      },
    ];
  }
  // Any other remote engine (segmind, comfyui, ...): every http(s) URL in its section must answer.
  const urls: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string' && /^https?:\/\//.test(value)) urls.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(section);
  return urls.map((url) => ({ url }));
}

/** Each engine the models use: local ones are fine; remote ones must answer over HTTP. */
export async function checkEngines(config: Config): Promise<Check[]> {
  const used = new Set<string>(Object.values(config.models).map((m) => m.engine));
  const checks: Check[] = [];
  for (const def of ENGINES) {
    if (!used.has(def.name)) continue;
    const name = `engine ${def.name}`;
    const probes = probesFor(def.name, engineSection(def, config) as Record<string, unknown> | undefined);
    if (probes.length === 0) {
      checks.push(ok(name, def.config ? 'configured' : 'renders locally'));
      continue;
    }
    for (const probe of probes) {
      const shown = probe.url.replace(/\?.*$/, '');
      try {
        const res = await fetch(probe.url, { headers: probe.headers ?? {}, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
        await res.body?.cancel();
        if ((res.status === 401 || res.status === 403) && probe.refused) checks.push(fail(name, `${shown} answered ${res.status}`, probe.refused));
        else if (res.status >= 500) checks.push(fail(name, `${shown} answered ${res.status}`, 'the upstream is up but failing; check its status page or logs'));
        else checks.push(ok(name, `${shown} reachable (HTTP ${res.status})`));
      } catch (err) {
        const cause = (err as { cause?: unknown }).cause;
        checks.push(
          fail(
            name,
            `${shown} unreachable: ${messageOf(cause ?? err)}`,
            'check the URL in the engine settings, DNS, firewalls and proxies between this machine and the upstream',
          ),
        );
      }
    }
  }
  return checks;
}
