// CIDR parsing (src/scenarios/cidr.ts): canonical forms, prefix lengths, and which blocks are world-open or wide.
import { describe, expect, it } from 'vitest';
import { canonicalCidr, isWorldCidr, parseCidr } from '../../src/scenarios/cidr.js';

describe('parseCidr', () => {
  it('reduces IPv4 blocks to their network address', () => {
    expect(parseCidr('10.1.2.3/0')).toEqual({ family: 4, prefixLength: 0, network: '0.0.0.0', canonical: '0.0.0.0/0', exposure: 'world' });
    expect(parseCidr(' 192.168.7.9/16 ')).toMatchObject({ family: 4, prefixLength: 16, canonical: '192.168.0.0/16', exposure: null });
    expect(parseCidr('203.0.113.5')).toMatchObject({ prefixLength: 32, canonical: '203.0.113.5/32' });
  });
  it('reduces IPv6 blocks to RFC 5952 text, whatever the spelling', () => {
    for (const s of ['::/0', '0::/0', '::0/0', '0:0:0:0:0:0:0:0/0', '2001:db8::1/0']) expect(canonicalCidr(s), s).toBe('::/0');
    expect(parseCidr('2001:0DB8:0000:0000:0001:0000:0000:0001/128')!.canonical).toBe('2001:db8::1:0:0:1/128');
    expect(parseCidr('2001:db8:aaaa:bbbb::/32')!.canonical).toBe('2001:db8::/32');
    expect(parseCidr('::ffff:10.0.0.1/128')!.canonical).toBe('::ffff:a00:1/128');
    expect(parseCidr('fe80:0:0:1::/64')!.canonical).toBe('fe80:0:0:1::/64');
  });
  it('rejects what is not a CIDR', () => {
    for (const s of ['', 'sg-0123', 'pl-0123', '10.0.0.0/33', '::/129', '10.0.0/8', '10.0.0.0/-1', '10.0.0.0/', 'anywhere']) expect(parseCidr(s), s).toBeNull();
    expect(canonicalCidr('PL-0ABC')).toBe('pl-0abc');
  });
  it('marks any /0 as world and public /1-/8 (IPv6 /1-/16) as wide, never private space', () => {
    expect(isWorldCidr('0.0.0.0/0')).toBe(true);
    expect(isWorldCidr('0.0.0.0/1')).toBe(false);
    expect(parseCidr('0.0.0.0/1')!.exposure).toBe('wide');
    expect(parseCidr('128.0.0.0/1')!.exposure).toBe('wide');
    expect(parseCidr('52.0.0.0/8')!.exposure).toBe('wide');
    expect(parseCidr('52.0.0.0/9')!.exposure).toBeNull();
    expect(parseCidr('10.0.0.0/8')!.exposure).toBeNull();
    expect(parseCidr('127.0.0.0/8')!.exposure).toBeNull();
    expect(parseCidr('2000::/3')!.exposure).toBe('wide');
    expect(parseCidr('fc00::/7')!.exposure).toBeNull();
    expect(parseCidr('2001:db8::/32')!.exposure).toBeNull();
  });
});
