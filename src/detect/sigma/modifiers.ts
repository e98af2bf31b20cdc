// Sigma value modifiers (detections spec §3.5 items 18–23a): a detection item's key `field|mod1|mod2` turns each
// of its values, left to right, into what match.ts compares. Expansion modifiers (`expand`, `windash`,
// `base64offset`) turn one value into alternatives (OR-ed); `all` and `neq` act on the whole item. A modifier
// applied to a value of the wrong type rejects the rule, as pySigma does.

import { Buffer } from 'node:buffer';
import type { WildcardPattern } from '../predicate.js';
import { hasWildcards, literalText, normalise, numberOf, parseCidr, parseSigmaString, type Comparison } from './match.js';

/** A value as the rule's YAML gives it: strings (numbers arrive as their source text), booleans, null. */
export type RawValue = string | boolean | null;

/** A value after its modifiers: what a test compares. */
export type FinalValue =
  | { kind: 'pattern'; pattern: WildcardPattern; cased: boolean }
  | { kind: 're'; source: string; flags: string }
  | { kind: 'fieldref'; field: string; starts: boolean; ends: boolean; cased: boolean }
  | { kind: 'cidr'; range: string }
  | { kind: 'compare'; cmp: Comparison; value: number }
  | { kind: 'exists'; value: boolean }
  | { kind: 'null' };

/** A detection item after its modifiers. */
export interface ModifiedItem {
  /** The field, or null for a keyword item (`|contains` with no field, or a value list without a key). */
  field: string | null;
  modifiers: string[];
  /** `|all`: every rule value must match (otherwise any). */
  all: boolean;
  /** `|neq`: the item's answer is negated. */
  negate: boolean;
  /** Per rule value, its alternatives (more than one only after an expansion modifier). */
  values: FinalValue[][];
}

/** A modifier problem; compile.ts adds the document path. `index` names the value when the item has a list. */
export class ModifierError extends Error {
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(message);
  }
}

export const MODIFIERS = [
  'contains', 'startswith', 'endswith', 'all', 'neq', 're', 'i', 'ignorecase', 'm', 'multiline', 's', 'dotall',
  'cased', 'fieldref', 'cidr', 'exists', 'expand', 'lt', 'lte', 'gt', 'gte', 'windash', 'base64', 'base64offset',
  'wide', 'utf16le', 'utf16be', 'utf16',
] as const;
type Modifier = (typeof MODIFIERS)[number];

/** A value while modifiers apply to it. `raw` is the rule's text before any modifier. */
type State =
  | FinalValue
  | { kind: 'raw'; text: string }
  | { kind: 'bool'; value: boolean };

const MAX_ALTERNATIVES = 4096;

/**
 * Applies the modifiers of `key` to the item's values. Throws ModifierError for an unknown modifier, a modifier on
 * a value of the wrong type, or an unresolved `%placeholder%`.
 */
export function modifyItem(
  key: string,
  values: RawValue[],
  placeholders: ReadonlyMap<string, readonly string[]> | undefined,
): ModifiedItem {
  const [fieldText, ...modifiers] = key.split('|');
  const field = fieldText === '' ? null : fieldText;
  for (const m of modifiers) {
    if (!(MODIFIERS as readonly string[]).includes(m)) {
      throw new ModifierError(`unknown modifier "${m}" in "${key}"; supported: ${MODIFIERS.join(', ')}`);
    }
  }
  let all = false;
  let negate = false;
  const valueModifiers: Modifier[] = [];
  for (const m of modifiers as Modifier[]) {
    if (m === 'all') all = true;
    else if (m === 'neq') negate = true;
    else valueModifiers.push(m);
  }
  const out = values.map((value, index) => {
    try {
      let states: State[] = [initial(value)];
      valueModifiers.forEach((m, at) => {
        states = states.flatMap((s) => apply(m, s, { field, first: at === 0, applied: valueModifiers.slice(0, at), placeholders }));
        if (states.length > MAX_ALTERNATIVES) throw new ModifierError(`"${key}" expands to more than ${MAX_ALTERNATIVES} alternatives`);
      });
      return states.map(finish);
    } catch (e) {
      if (e instanceof ModifierError && values.length > 1 && e.index === undefined) throw new ModifierError(e.message, index);
      throw e;
    }
  });
  return { field, modifiers, all, negate, values: out };
}

function initial(value: RawValue): State {
  if (value === null) return { kind: 'null' };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  return { kind: 'raw', text: value };
}

/** The value once every modifier has applied: unmodified text becomes a wildcard pattern, a boolean its text. */
function finish(s: State): FinalValue {
  if (s.kind === 'raw') return { kind: 'pattern', pattern: normalise(parseSigmaString(s.text)), cased: false };
  if (s.kind === 'bool') return { kind: 'pattern', pattern: [String(s.value)], cased: false };
  return s;
}

interface Context {
  field: string | null;
  /** No value modifier came before this one (`all`/`neq` do not count). */
  first: boolean;
  applied: Modifier[];
  placeholders: ReadonlyMap<string, readonly string[]> | undefined;
}

function describeState(s: State): string {
  switch (s.kind) {
    case 'raw':
      return `"${s.text}"`;
    case 'bool':
      return String(s.value);
    case 'null':
      return 'null';
    case 'pattern':
      return `"${literalText(s.pattern)}"`;
    case 're':
      return `regular expression /${s.source}/`;
    case 'fieldref':
      return `field reference ${s.field}`;
    case 'cidr':
      return `CIDR ${s.range}`;
    case 'compare':
      return `comparison ${s.cmp} ${s.value}`;
    case 'exists':
      return `exists ${s.value}`;
  }
}

function mismatch(m: Modifier, s: State, expects: string): ModifierError {
  return new ModifierError(`modifier "${m}" applies to ${expects}, not to ${describeState(s)}`);
}

/** The value as a wildcard pattern, or null when it is not a string. */
function asPattern(s: State): { pattern: WildcardPattern; cased: boolean } | null {
  if (s.kind === 'raw') return { pattern: normalise(parseSigmaString(s.text)), cased: false };
  if (s.kind === 'bool') return { pattern: [String(s.value)], cased: false };
  if (s.kind === 'pattern') return { pattern: s.pattern, cased: s.cased };
  return null;
}

const MANY = { any: 'many' } as const;
const isMany = (p: WildcardPattern[number] | undefined) => typeof p === 'object' && p.any === 'many';

function apply(m: Modifier, s: State, ctx: Context): State[] {
  switch (m) {
    case 'contains':
    case 'startswith':
    case 'endswith':
      return [position(m, s)];
    case 're':
      if (s.kind !== 'raw' || !ctx.first) throw mismatch(m, s, 'an unmodified string (write it first: "|re|i")');
      return [{ kind: 're', source: s.text, flags: '' }];
    case 'i':
    case 'ignorecase':
    case 'm':
    case 'multiline':
    case 's':
    case 'dotall': {
      if (s.kind !== 're') throw mismatch(m, s, 'a regular expression (write "|re" before it)');
      const flag = m[0] === 'd' ? 's' : m[0];
      return [{ ...s, flags: s.flags.includes(flag) ? s.flags : s.flags + flag }];
    }
    case 'cased': {
      if (s.kind === 'fieldref') return [{ ...s, cased: true }];
      const p = asPattern(s);
      if (!p) throw mismatch(m, s, 'a string or a field reference');
      return [{ kind: 'pattern', pattern: p.pattern, cased: true }];
    }
    case 'fieldref': {
      const p = asPattern(s);
      if (!p || s.kind === 'bool') throw mismatch(m, s, 'a field name');
      if (hasWildcards(p.pattern)) throw new ModifierError(`a field reference may not contain wildcards: "${literalText(p.pattern)}"`);
      return [{ kind: 'fieldref', field: literalText(p.pattern), starts: false, ends: false, cased: false }];
    }
    case 'cidr': {
      if (s.kind !== 'raw' || !ctx.first) throw mismatch(m, s, 'an unmodified string and must be the only modifier');
      if (!parseCidr(s.text)) throw new ModifierError(`invalid CIDR range "${s.text}" (write e.g. 10.0.0.0/8 or 2001:db8::/32)`);
      return [{ kind: 'cidr', range: s.text }];
    }
    case 'exists':
      if (ctx.field === null) throw new ModifierError('modifier "exists" needs a field');
      if (s.kind !== 'bool' || !ctx.first) throw mismatch(m, s, 'true or false and must be the only modifier');
      return [{ kind: 'exists', value: s.value }];
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const n = s.kind === 'raw' && ctx.first ? numberOf(s.text) : null;
      if (n === null) throw mismatch(m, s, 'an unmodified number');
      const cmp = ({ lt: '<', lte: '<=', gt: '>', gte: '>=' } as const)[m];
      return [{ kind: 'compare', cmp, value: n }];
    }
    case 'expand':
      return expand(s, ctx.placeholders);
    case 'windash':
      return windash(s);
    case 'base64':
    case 'base64offset':
      return base64(m, s, ctx.applied.includes('utf16'));
    case 'wide':
    case 'utf16le':
    case 'utf16be':
    case 'utf16':
      return [utf16(m, s)];
    case 'all':
    case 'neq':
      return [s];
  }
}

/** contains / startswith / endswith (item 18), also on regular expressions and field references (pySigma). */
function position(m: 'contains' | 'startswith' | 'endswith', s: State): State {
  const before = m !== 'startswith';
  const after = m !== 'endswith';
  if (s.kind === 'fieldref') return { ...s, starts: s.starts || after, ends: s.ends || before };
  if (s.kind === 're') {
    let source = s.source;
    if (topLevelAlternation(source)) source = `(?:${source})`;
    if (before && !source.startsWith('.*') && !source.startsWith('^')) source = `.*${source}`;
    if (after && !endsUnescaped(source, '.*') && !endsUnescaped(source, '$')) source = `${source}.*`;
    return { ...s, source };
  }
  const p = asPattern(s);
  if (!p) throw mismatch(m, s, 'a string, a regular expression or a field reference');
  const pattern = [...p.pattern];
  if (before && !isMany(pattern[0])) pattern.unshift(MANY);
  if (after && !isMany(pattern[pattern.length - 1])) pattern.push(MANY);
  return { kind: 'pattern', pattern, cased: p.cased };
}

function topLevelAlternation(re: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') {
      inClass = true;
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

function endsUnescaped(re: string, suffix: string): boolean {
  if (!re.endsWith(suffix)) return false;
  const head = re.slice(0, re.length - suffix.length);
  return (head.length - head.replace(/\\+$/, '').length) % 2 === 0;
}

/**
 * `expand` (item 22): `%name%` in literal text becomes each of the placeholder's values (parsed as Sigma strings);
 * `\%` is a literal percent sign. Several placeholders give every combination.
 */
function expand(s: State, placeholders: ReadonlyMap<string, readonly string[]> | undefined): State[] {
  const p = asPattern(s);
  if (!p) throw mismatch('expand', s, 'a string');
  let results: WildcardPattern[] = [[]];
  for (const piece of p.pattern) {
    if (typeof piece !== 'string') {
      results = results.map((r) => [...r, piece]);
      continue;
    }
    const parts = piece.split(/(\\%|%\w+%)/);
    for (const part of parts) {
      if (!part) continue;
      if (part === '\\%') {
        results = results.map((r) => [...r, '%']);
      } else if (/^%\w+%$/.test(part)) {
        const name = part.slice(1, -1);
        const list = placeholders?.get(name);
        if (!list || !list.length) {
          throw new ModifierError(`unresolved placeholder %${name}%: supply its values with --placeholder ${name}=value1,value2`);
        }
        results = results.flatMap((r) => list.map((v) => [...r, ...parseSigmaString(v)]));
        if (results.length > MAX_ALTERNATIVES) throw new ModifierError(`placeholders expand to more than ${MAX_ALTERNATIVES} alternatives`);
      } else {
        results = results.map((r) => [...r, part]);
      }
    }
  }
  return results.map((pattern) => ({ kind: 'pattern', pattern: normalise(pattern), cased: p.cased }));
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** `windash`: every `-` or `/` that starts a word (`\B[-/]\b`) in any of its five dash forms. */
function windash(s: State): State[] {
  const p = asPattern(s);
  if (!p) throw mismatch('windash', s, 'a string');
  let results: WildcardPattern[] = [[]];
  for (const piece of p.pattern) {
    if (typeof piece !== 'string') {
      results = results.map((r) => [...r, piece]);
      continue;
    }
    let last = 0;
    for (const match of piece.matchAll(/\B[-/]\b/g)) {
      const before = piece.slice(last, match.index);
      results = results.flatMap((r) => DASHES.map((d) => [...r, before + d]));
      last = (match.index ?? 0) + 1;
      if (results.length > MAX_ALTERNATIVES) throw new ModifierError(`"windash" expands to more than ${MAX_ALTERNATIVES} alternatives`);
    }
    results = results.map((r) => [...r, piece.slice(last)]);
  }
  return results.map((pattern) => ({ kind: 'pattern', pattern: normalise(pattern), cased: p.cased }));
}

/** `base64` / `base64offset` of the value's UTF-8 bytes (a `utf16` BOM becomes FF FE), as pySigma encodes them. */
function base64(m: 'base64' | 'base64offset', s: State, afterUtf16: boolean): State[] {
  const p = asPattern(s);
  if (!p) throw mismatch(m, s, 'a string');
  if (hasWildcards(p.pattern)) throw new ModifierError(`modifier "${m}" cannot encode a value with wildcards: "${literalText(p.pattern)}"`);
  let data = Buffer.from(literalText(p.pattern), 'utf8');
  const bom = Buffer.from('\ufeff', 'utf8');
  if (afterUtf16 && data.subarray(0, bom.length).equals(bom)) data = Buffer.concat([Buffer.from([0xff, 0xfe]), data.subarray(bom.length)]);
  const literal = (text: string): State => ({ kind: 'pattern', pattern: [text], cased: p.cased });
  if (m === 'base64') return [literal(data.toString('base64'))];
  const starts = [0, 2, 3];
  const ends = [undefined, -3, -2];
  return [0, 1, 2].map((i) => {
    const encoded = Buffer.concat([Buffer.alloc(i, ' '), data]).toString('base64');
    return literal(encoded.slice(starts[i], ends[(data.length + i) % 3]));
  });
}

/** `wide`/`utf16le`, `utf16be`, `utf16` (LE with a BOM): each character's UTF-16 bytes as characters; ASCII only. */
function utf16(m: 'wide' | 'utf16le' | 'utf16be' | 'utf16', s: State): State {
  const p = asPattern(s);
  if (!p) throw mismatch(m, s, 'a string');
  const encode = (text: string) => {
    if (/[^\x00-\x7f]/.test(text)) throw new ModifierError(`modifier "${m}" encodes ASCII text only, not "${text}"`);
    return [...text].map((c) => (m === 'utf16be' ? `\0${c}` : `${c}\0`)).join('');
  };
  const pattern: WildcardPattern = p.pattern.map((piece) => (typeof piece === 'string' ? encode(piece) : piece));
  if (m === 'utf16') pattern.unshift('\ufeff');
  return { kind: 'pattern', pattern: normalise(pattern), cased: p.cased };
}
