import { describe, expect, it } from 'vitest';
import { allowListProblems, forbiddenAddressReason, isAllowListedHost, isForbiddenAddress } from '../../src/net/index.js';

const FORBIDDEN: [string, RegExp][] = [
  ['127.0.0.1', /loopback/],
  ['127.255.255.254', /loopback/],
  ['0.0.0.0', /unspecified/],
  ['0.1.2.3', /unspecified/],
  ['10.0.0.1', /private/],
  ['172.16.0.1', /private/],
  ['172.31.255.255', /private/],
  ['192.168.1.1', /private/],
  ['169.254.169.254', /metadata/],
  ['169.254.1.1', /link-local/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['100.127.255.255', /carrier-grade NAT/],
  ['224.0.0.1', /multicast/],
  ['239.255.255.250', /multicast/],
  ['255.255.255.255', /broadcast/],
  ['240.0.0.1', /reserved/],
  ['192.0.0.8', /reserved/],
  ['192.0.2.1', /reserved/],
  ['198.18.0.1', /reserved/],
  ['198.51.100.7', /reserved/],
  ['203.0.113.9', /reserved/],
  ['::1', /loopback/],
  ['::', /unspecified/],
  ['fc00::1', /unique local/],
  ['fd12:3456::1', /unique local/],
  ['fe80::1', /link-local/],
  ['fe80::1%eth0', /link-local/],
  ['fec0::1', /site-local/],
  ['ff02::1', /multicast/],
  ['::ffff:127.0.0.1', /loopback address \(127\.0\.0\.1\) in IPv6 form/],
  ['::ffff:7f00:1', /loopback/],
  ['::ffff:10.1.2.3', /private/],
  ['::ffff:169.254.169.254', /metadata/],
  ['::ffff:0:127.0.0.1', /loopback/], // IPv4-translated (RFC 6145)
  ['::127.0.0.1', /loopback/], // IPv4-compatible (deprecated)
  ['::10.0.0.1', /private/],
  ['::7f00:1', /loopback address \(127\.0\.0\.1\)/], // the same, as WHATWG URL parsing writes it
  ['::a00:1', /private/],
  ['::808:808', /deprecated IPv4-compatible/],
  ['64:ff9b::127.0.0.1', /loopback/], // NAT64
  ['64:ff9b::a9fe:a9fe', /metadata/],
  ['64:ff9b:1::1', /local-use NAT64/],
  ['2002:7f00:1::', /loopback/], // 6to4 of 127.0.0.1
  ['2002:c0a8:101::1', /private/], // 6to4 of 192.168.1.1
  ['2001::1', /Teredo/],
  ['2001:db8::1', /reserved/],
  ['100::1', /special-purpose/],
  ['4000::1', /special-purpose/], // not in 2000::/3
  ['[::1]', /loopback/],
  ['localhost', /not a valid IP/],
  ['', /not a valid IP/],
  ['127.1', /not a valid IP/], // only canonical forms; URL parsing normalises the rest first
  ['1.2.3.4.5', /not a valid IP/],
];

const ALLOWED = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '172.32.0.1', // just outside 172.16/12
  '100.128.0.1', // just outside 100.64/10
  '169.253.255.255',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '::ffff:8.8.8.8',
  '64:ff9b::8.8.8.8',
  '2002:808:808::1',
];

describe('isForbiddenAddress', () => {
  it.each(FORBIDDEN)('refuses %s', (ip, reason) => {
    expect(isForbiddenAddress(ip, [], 443)).toBe(true);
    expect(forbiddenAddressReason(ip, [], 443)).toMatch(reason);
  });

  it.each(ALLOWED)('allows public address %s', (ip) => {
    expect(forbiddenAddressReason(ip, [], 443)).toBeNull();
    expect(isForbiddenAddress(ip, [], 443)).toBe(false);
  });

  it('lets allow-listed CIDRs and single IPs through, and nothing next to them', () => {
    const allow = ['127.0.0.0/8', '::1/128', '10.1.2.3', 'fd00:1::/32'];
    expect(isForbiddenAddress('127.0.0.1', allow, 443)).toBe(false);
    expect(isForbiddenAddress('127.9.9.9', allow, 443)).toBe(false);
    expect(isForbiddenAddress('::1', allow, 443)).toBe(false);
    expect(isForbiddenAddress('10.1.2.3', allow, 443)).toBe(false);
    expect(isForbiddenAddress('fd00:1:2::3', allow, 443)).toBe(false);
    expect(isForbiddenAddress('10.1.2.4', allow, 443)).toBe(true);
    expect(isForbiddenAddress('fd00:2::1', allow, 443)).toBe(true);
    expect(isForbiddenAddress('169.254.169.254', allow, 443)).toBe(true);
    expect(isForbiddenAddress('192.168.0.1', allow, 443)).toBe(true);
  });

  it('applies an IPv4 allow-list entry to the IPv6 forms of that address', () => {
    expect(isForbiddenAddress('::ffff:127.0.0.1', ['127.0.0.0/8'], 443)).toBe(false);
    expect(isForbiddenAddress('::ffff:127.0.0.1', ['10.0.0.0/8'], 443)).toBe(true);
  });

  it('does not let host-name entries or invalid entries allow an address', () => {
    expect(isForbiddenAddress('127.0.0.1', ['localhost', 'not a cidr', '127.0.0.0/40'], 443)).toBe(true);
  });
});

describe('allow-list host names', () => {
  it('matches exact names case-insensitively and ignores a trailing dot', () => {
    expect(isAllowListedHost('MinIO.internal.', ['minio.internal'], 443)).toBe(true);
    expect(isAllowListedHost('minio.internal', ['MINIO.INTERNAL'], 443)).toBe(true);
    expect(isAllowListedHost('evil-minio.internal', ['minio.internal'], 443)).toBe(false);
    expect(isAllowListedHost('minio.internal.evil.com', ['minio.internal'], 443)).toBe(false);
  });

  it('matches "*.suffix" on subdomains only', () => {
    expect(isAllowListedHost('a.corp.example', ['*.corp.example'], 443)).toBe(true);
    expect(isAllowListedHost('a.b.corp.example', ['*.corp.example'], 443)).toBe(true);
    expect(isAllowListedHost('corp.example', ['*.corp.example'], 443)).toBe(false);
    expect(isAllowListedHost('xcorp.example', ['*.corp.example'], 443)).toBe(false);
  });

  it('reports entries that are not CIDRs, IPs or host names, with an optional port', () => {
    expect(allowListProblems(['127.0.0.0/8', '::1/128', '10.0.0.1', 'minio.local', '*.corp.example'])).toEqual([]);
    expect(
      allowListProblems([
        '127.0.0.1:8080',
        '10.0.0.0/8:*',
        '[::1]:9000',
        '[fd00::1]',
        'minio.local:9000',
        '*.corp.example:*',
        'fd00::/8',
        'fd00::/8:443',
        '::1:8080',
      ]),
    ).toEqual([]);
    expect(allowListProblems(['10.0.0.0/33', 'has space', 'http://x/', '127.0.0.1:0', '127.0.0.1:70000', 'host:port', '[::1]:x'])).toHaveLength(7);
  });
});

describe('allow-list ports', () => {
  it('an entry without a port admits 80 and 443 only; a port or :* says which', () => {
    for (const [entry, port, admitted] of [
      ['127.0.0.1', 80, true],
      ['127.0.0.1', 443, true],
      ['127.0.0.1', 5432, false],
      ['127.0.0.1:8080', 8080, true],
      ['127.0.0.1:8080', 443, false],
      ['127.0.0.0/8:*', 6379, true],
      ['[::1]:9000', 9000, true],
      ['::1/128', 9000, false],
      ['::1/128:*', 9000, true],
    ] as const) {
      const ip = entry.includes(':') && !entry.startsWith('127') ? '::1' : '127.0.0.1';
      expect(isForbiddenAddress(ip, [entry], port), `${entry} on ${port}`).toBe(!admitted);
    }
  });

  it('says what to fix when the address is allow-listed for other ports', () => {
    expect(forbiddenAddressReason('127.0.0.1', ['127.0.0.1'], 6379)).toBe(
      'a loopback address allow-listed for other ports, not 6379 (an entry without a port admits only 80 and 443; add :6379 or :*)',
    );
    expect(forbiddenAddressReason('::ffff:127.0.0.1', ['127.0.0.1:80'], 22)).toMatch(/in IPv6 form allow-listed for other ports, not 22/);
  });

  it('host-name entries too', () => {
    expect(isAllowListedHost('minio.local', ['minio.local'], 443)).toBe(true);
    expect(isAllowListedHost('minio.local', ['minio.local'], 9000)).toBe(false);
    expect(isAllowListedHost('minio.local', ['minio.local:9000'], 9000)).toBe(true);
    expect(isAllowListedHost('a.corp.example', ['*.corp.example:*'], 1234)).toBe(true);
  });
});
