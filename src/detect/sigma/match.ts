// How one Sigma value is compared with one candidate text (detections spec §3.5 items 8–11, 19, 23):
// wildcard strings (full-value, case-insensitive unless `cased`), regular expressions (unanchored search),
// CIDR containment and numeric comparison. Values are parsed here from the rule's text; what the record offers
// comes from resolve.ts.

import { inSubnet, parseIp } from '../ip.js';
import type { WildcardPattern } from '../predicate.js';

/**
 * A Sigma string value as pieces (item 9): `*` is any run, `?` one character; a backslash before `*`, `?` or `\`
 * makes that character literal, any other backslash is itself literal (so is a trailing one).
 */
export function parseSigmaString(text: string): WildcardPattern {
  const pieces: WildcardPattern = [];
  let literal = '';
  const flush = () => {
    if (literal) pieces.push(literal);
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        i++;
      } else {
        literal += c;
      }
    } else if (c === '*' || c === '?') {
      flush();
      pieces.push({ any: c === '*' ? 'many' : 'one' });
    } else {
      literal += c;
    }
  }
  flush();
  return pieces;
}

/** A pattern's pieces with adjacent literals joined (modifiers may put two side by side). */
export function normalise(pattern: WildcardPattern): WildcardPattern {
  const out: WildcardPattern = [];
  for (const piece of pattern) {
    const last = out[out.length - 1];
    if (typeof piece === 'string') {
      if (!piece) continue;
      if (typeof last === 'string') out[out.length - 1] = last + piece;
      else out.push(piece);
    } else {
      out.push(piece);
    }
  }
  return out;
}

export function hasWildcards(pattern: WildcardPattern): boolean {
  return pattern.some((p) => typeof p !== 'string');
}

/** The text of a pattern without wildcards. */
export function literalText(pattern: WildcardPattern): string {
  return pattern.map((p) => (typeof p === 'string' ? p : p.any === 'many' ? '*' : '?')).join('');
}

/**
 * A full-value matcher for a wildcard pattern. Case-insensitive matching lowercases both sides with JS
 * `toLowerCase()` (item 10): unless `cased`, the matcher expects the candidate already lowercased (resolve.ts's
 * `lowered` does it once per field and record). `*` also runs across newlines; `?` is one character (code point).
 */
export function patternMatcher(pattern: WildcardPattern, cased: boolean): (candidate: string) => boolean {
  const pieces = normalise(pattern).map((p) => (typeof p === 'string' && !cased ? p.toLowerCase() : p));
  const many = (p: WildcardPattern[number] | undefined) => typeof p === 'object' && p.any === 'many';
  if (!hasWildcards(pieces)) {
    const text = pieces.join('');
    return (c) => c === text;
  }
  if (pieces.length === 1 && many(pieces[0])) return () => true;
  if (pieces.length === 2 && many(pieces[0]) && typeof pieces[1] === 'string') {
    const tail = pieces[1];
    return (c) => c.endsWith(tail);
  }
  if (pieces.length === 2 && typeof pieces[0] === 'string' && many(pieces[1])) {
    const head = pieces[0];
    return (c) => c.startsWith(head);
  }
  if (pieces.length === 3 && many(pieces[0]) && typeof pieces[1] === 'string' && many(pieces[2])) {
    const middle = pieces[1];
    return (c) => c.includes(middle);
  }
  const source = pieces
    .map((p) => (typeof p === 'string' ? escapeRegex(p) : p.any === 'many' ? '[^]*' : '[^]'))
    .join('');
  const re = new RegExp(`^(?:${source})$`, 'u');
  return (c) => re.test(c);
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => `\\${c}`);
}

/** Compiles a Sigma regular expression (flags from `i`, `m`, `s`); throws the engine's message on a bad one. */
export function compileRegex(source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new Error(`invalid regular expression /${source}/${flags}: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`);
  }
}

/** An unanchored regex search (item 19). */
export function regexMatcher(re: RegExp): (candidate: string) => boolean {
  return (c) => re.test(c);
}

/**
 * Parses a CIDR range (`10.0.0.0/8`, `2001:db8::/32`, or a single address); null when it is not one.
 */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(address);
  if (!ip) return null;
  const version = ip.family;
  const max = version === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** True when the candidate is an IP address inside any of the ranges (parsed with parseCidr). */
export function cidrMatcher(ranges: string[]): (candidate: string) => boolean {
  const list = ranges.map((range) => {
    const r = parseCidr(range);
    if (!r) throw new Error(`invalid CIDR range "${range}"`);
    return { net: parseIp(r.address)!, prefix: r.prefix };
  });
  return (c) => {
    const ip = parseIp(c);
    return ip !== null && list.some((r) => inSubnet(ip, r.net, r.prefix));
  };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a text spells (JSON or YAML style), or null. */
export function numberOf(text: string): number | null {
  return NUMBER.test(text.trim()) ? Number(text) : null;
}

export type Comparison = '<' | '<=' | '>' | '>=';

/** Numeric comparison of the candidate (when it is a number) with the rule's value (`lt`, `lte`, `gt`, `gte`). */
export function compareMatcher(cmp: Comparison, value: number): (candidate: string) => boolean {
  return (c) => {
    const n = numberOf(c);
    if (n === null) return false;
    switch (cmp) {
      case '<':
        return n < value;
      case '<=':
        return n <= value;
      case '>':
        return n > value;
      case '>=':
        return n >= value;
    }
  };
}
