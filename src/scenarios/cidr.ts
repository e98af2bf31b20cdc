// CIDR blocks as security-group rules write them: parsed (IPv4 and IPv6, node:net validates the address), reduced to a
// canonical form, and classed by how much of the internet they let in. Pure.
//
// - `10.1.2.3/0`, `::/0`, `0::/0`, `::0/0`, `0:0:0:0:0:0:0:0/0` are all the whole address space: any `/0` is world-open,
//   whatever address is written before the slash.
// - A block is *wide* when it spans at least a /8 of IPv4 (16.7 million addresses) or a /16 of IPv6, and is not wholly
//   inside private or special-purpose space (10.0.0.0/8, 127.0.0.0/8, fc00::/7, fe80::/10...): a world-open rule by
//   another name, such as `0.0.0.0/1` + `128.0.0.0/1`.

import { isIPv4, isIPv6 } from 'node:net';

export type CidrFamily = 4 | 6;
/** world: the whole address space (/0); wide: a public range of /1-/8 (IPv4) or /1-/16 (IPv6); null: narrower. */
export type CidrExposure = 'world' | 'wide' | null;

export interface Cidr {
  family: CidrFamily;
  /** Prefix length as written (a bare address counts as /32 or /128). */
  prefixLength: number;
  /** The network address (host bits cleared) in canonical text: dotted quad, or RFC 5952 compressed IPv6. */
  network: string;
  /** `network/prefixLength`. Two blocks with the same canonical form are the same block. */
  canonical: string;
  exposure: CidrExposure;
}

const WIDE_MAX_PREFIX: Record<CidrFamily, number> = { 4: 8, 6: 16 };
const BITS: Record<CidrFamily, number> = { 4: 32, 6: 128 };

/** Private and special-purpose blocks wider than a /8 (IPv4) or /16 (IPv6): a range wholly inside one is not wide. */
const PRIVATE_BLOCKS: ReadonlyArray<readonly [CidrFamily, string, number]> = [
  [4, '0.0.0.0', 8],
  [4, '10.0.0.0', 8],
  [4, '127.0.0.0', 8],
  [4, '224.0.0.0', 4],
  [4, '240.0.0.0', 4],
  [6, 'fc00::', 7],
  [6, 'fe80::', 10],
  [6, 'ff00::', 8],
];

function v4ToBig(a: string): bigint {
  return a.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

function v6ToBig(a: string): bigint {
  let text = a;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4ToBig(v4[1]);
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function bigToV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
}

/** RFC 5952: lower case, leading zeros dropped, the longest run (2+) of zero groups as `::`, the first on a tie. */
function bigToV6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt((7 - i) * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function mask(family: CidrFamily, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  return prefix === 0 ? 0n : ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

function inside(family: CidrFamily, net: bigint, prefix: number, block: readonly [CidrFamily, string, number]): boolean {
  const [f, addr, len] = block;
  if (f !== family || prefix < len) return false;
  const b = family === 4 ? v4ToBig(addr) : v6ToBig(addr);
  return (net & mask(family, len)) === b;
}

/** Parse `address/prefix` (or a bare address). Null when it is not an IPv4 or IPv6 CIDR. */
export function parseCidr(text: string): Cidr | null {
  const s = text.trim();
  const slash = s.indexOf('/');
  const addr = (slash < 0 ? s : s.slice(0, slash)).replace(/%.*$/, '');
  const family: CidrFamily | null = isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : null;
  if (!family) return null;
  let prefixLength = BITS[family];
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > BITS[family]) return null;
    prefixLength = Number(p);
  }
  const net = (family === 4 ? v4ToBig(addr) : v6ToBig(addr)) & mask(family, prefixLength);
  const network = family === 4 ? bigToV4(net) : bigToV6(net);
  const exposure: CidrExposure =
    prefixLength === 0 ? 'world' : prefixLength <= WIDE_MAX_PREFIX[family] && !PRIVATE_BLOCKS.some((b) => inside(family, net, prefixLength, b)) ? 'wide' : null;
  return { family, prefixLength, network, canonical: `${network}/${prefixLength}`, exposure };
}

/** The canonical form of a CIDR, or the text unchanged (lower-cased) when it is not one. */
export function canonicalCidr(text: string): string {
  return parseCidr(text)?.canonical ?? text.trim().toLowerCase();
}

/** Whether a source string is the whole IPv4 or IPv6 address space (any `/0`). */
export function isWorldCidr(text: string): boolean {
  return parseCidr(text)?.exposure === 'world';
}
