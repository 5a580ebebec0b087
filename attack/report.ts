import type { Tally } from './stats.js';

export interface Memory {
  base: number | null;
  peak: number | null;
  end: number | null;
}

export interface Goal {
  name: string;
  value: string;
  pass: boolean | null;
}

const mb = (n: number | null): string => (n === null ? 'n/a' : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** The goals of the brief, each PASS/FAIL; null = not measurable in this run (reported, not judged). */
export function goals(t: Tally, mem: Memory): Goal[] {
  const rssOk = mem.base === null || mem.end === null ? null : mem.end <= mem.base * 1.2;
  return [
    { name: '5xx', value: String(t.count('5xx')), pass: t.count('5xx') === 0 },
    { name: 'non-JSON errors', value: String(t.count('non-JSON error')), pass: t.count('non-JSON error') === 0 },
    { name: 'missing X-Request-Id', value: String(t.count('no X-Request-Id')), pass: t.count('no X-Request-Id') === 0 },
    { name: 'lost', value: String(t.lost), pass: t.lost === 0 },
    { name: 'duplicated', value: String(t.duplicated), pass: t.duplicated === 0 },
    { name: 'SSRF hits', value: String(t.ssrfHits), pass: t.ssrfHits === 0 },
    { name: 'cross-account/auth leaks', value: String(t.leaks), pass: t.leaks === 0 },
    { name: 'RSS back within 20% of base', value: `${mb(mem.end)} vs ${mb(mem.base)}`, pass: rssOk },
  ];
}

const row = (cells: string[], widths: number[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');

export function renderReport(t: Tally, mem: Memory, seconds: number): string {
  const lines: string[] = [];
  const section = (title: string, entries: Array<[string, string | number]>): void => {
    lines.push('', title);
    const w = Math.max(...entries.map(([k]) => k.length), 8);
    for (const [k, v] of entries) lines.push(`  ${row([k, String(v)], [w, 10])}`);
  };
  section('Requests tried, by class', [...t.tried.entries()].sort());
  section('Outcomes, by HTTP status', [...t.statuses.entries()].sort());
  const kinds = [...new Set(t.findings.map((f) => f.kind))];
  section('Checks', [
    ['5xx', t.count('5xx')],
    ['non-JSON errors', t.count('non-JSON error')],
    ['missing X-Request-Id', t.count('no X-Request-Id')],
    ['no answer (reset/timeout)', t.count('no answer')],
    ['auth mismatches', t.count('auth mismatch')],
    ['cross-account/auth leaks', t.leaks],
    ['lost requests', t.lost],
    ['duplicated requests', t.duplicated],
    ['SSRF hits', t.ssrfHits],
    ['RSS base / peak / end', `${mb(mem.base)} / ${mb(mem.peak)} / ${mb(mem.end)}`],
    ['run time', `${seconds.toFixed(1)} s`],
  ]);
  if (kinds.length) {
    lines.push('', 'Findings (first 5 of each kind, with the request that shows it)');
    for (const kind of kinds) {
      const all = t.findings.filter((f) => f.kind === kind);
      lines.push(`  ${kind}: ${all.length}`);
      for (const f of all.slice(0, 5)) lines.push(`    [${f.cls}] ${f.repro}\n      -> ${f.answer}`);
    }
  }
  const g = goals(t, mem);
  const verdict = (x: Goal): string => (x.pass === null ? 'n/a' : x.pass ? 'PASS' : 'FAIL');
  lines.push(
    '',
    `Goal: ${g.map((x) => (x.name.startsWith('RSS') ? `${x.name} (${x.value}) ${verdict(x)}` : `${x.value} × ${x.name} ${verdict(x)}`)).join(', ')}`,
  );
  return lines.join('\n');
}
