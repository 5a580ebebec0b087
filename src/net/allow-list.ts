import net from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Which ports an entry admits: the listed one, any (`:*`), or by default only 80 and 443. */
export type AllowedPorts = 'any' | readonly number[];
const WEB_PORTS: readonly number[] = [80, 443];

/** An operator allow-list, parsed once: CIDR ranges (single IPs become /32 or /128) and host names, each with its ports. */
export interface ParsedAllowList {
  ranges: Array<{ range: [Address, number]; ports: AllowedPorts }>;
  /** Lower-case names without a trailing dot; "*.example.com" is kept as ".example.com". */
  hosts: Array<{ name: string; ports: AllowedPorts }>;
}

const HOST_NAME = /^(\*\.)?([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Splits a trailing `:port` or `:*` off an entry. A bare IPv6 address has colons of its own, so
 * it takes a port only in brackets (`[::1]:8080`); a CIDR takes it after the prefix length.
 */
function splitPort(text: string): { target: string; ports: AllowedPorts } | null {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}|\*))?$/.exec(text);
  const cidr = /^(.+\/\d{1,3})(?::(\d{1,5}|\*))?$/.exec(text);
  const plain = net.isIP(text) === 6 ? null : /^([^:]+)(?::(\d{1,5}|\*))?$/.exec(text);
  const match = bracketed ?? cidr ?? plain;
  if (!match) return net.isIP(text) === 6 ? { target: text, ports: WEB_PORTS } : null;
  const [, target = '', port] = match;
  if (port === undefined) return { target, ports: WEB_PORTS };
  if (port === '*') return { target, ports: 'any' };
  const n = Number(port);
  return n >= 1 && n <= 65535 ? { target, ports: [n] } : null;
}

function parseEntry(entry: string): { range: [Address, number]; ports: AllowedPorts } | { host: string; ports: AllowedPorts } | null {
  const split = splitPort(entry.trim());
  if (split === null) return null;
  const { target, ports } = split;
  if (target.includes('/')) return ipaddr.isValidCIDR(target) ? { range: ipaddr.parseCIDR(target), ports } : null;
  if (net.isIP(target) !== 0) {
    const ip = ipaddr.parse(target);
    return { range: [ip, ip.kind() === 'ipv4' ? 32 : 128], ports };
  }
  const host = normalizeHost(target);
  if (!HOST_NAME.test(host)) return null;
  return { host: host.startsWith('*.') ? host.slice(1) : host, ports };
}

/** Entries that are neither a CIDR, an IP nor a host name; config loading should refuse them. */
export function allowListProblems(entries: readonly string[]): string[] {
  return entries
    .filter((entry) => parseEntry(entry) === null)
    .map((entry) => `"${entry}" is not a CIDR range, an IP address or a host name, optionally with :port or :* (IPv6 in brackets: [::1]:8080)`);
}

// Allow-lists come from config and are checked on every connect, so parsing is cached. The
// key is the content, not the array, so a list mutated after first use is never stale.
const cache = new Map<string, ParsedAllowList>();
const CACHE_LIMIT = 64;

export function parseAllowList(entries: readonly string[]): ParsedAllowList {
  const key = entries.join('\n');
  const cached = cache.get(key);
  if (cached) return cached;
  const parsed: ParsedAllowList = { ranges: [], hosts: [] };
  for (const entry of entries) {
    // Invalid entries are ignored here rather than thrown: a bad entry must never turn a
    // client's fetch into a 500. `allowListProblems` is how config reports them.
    const item = parseEntry(entry);
    if (item === null) continue;
    if ('range' in item) parsed.ranges.push({ range: item.range, ports: item.ports });
    else parsed.hosts.push({ name: item.host, ports: item.ports });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, parsed);
  return parsed;
}

export function portAllowed(ports: AllowedPorts, port: number): boolean {
  return ports === 'any' || ports.includes(port);
}

/** The entries whose range holds `address` (whatever their ports). */
export function rangesHolding(list: ParsedAllowList, address: Address): ParsedAllowList['ranges'] {
  return list.ranges.filter(({ range: [base, bits] }) => base.kind() === address.kind() && address.match(base, bits));
}

/** True when `host` (a URL host name, not an IP) is allow-listed by name for `port`. */
export function isAllowListedHost(host: string, entries: readonly string[], port: number): boolean {
  const name = normalizeHost(host);
  return parseAllowList(entries).hosts.some(
    (allowed) => (allowed.name.startsWith('.') ? name.endsWith(allowed.name) : name === allowed.name) && portAllowed(allowed.ports, port),
  );
}
