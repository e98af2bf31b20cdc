// Compiles a Sigma rule's `detection:` block into a Predicate (detections spec §3.5 items 3–30): search
// identifiers (map = AND of items, list of maps = OR, scalars = keywords), value lists (OR, `|all` = AND), the
// modifiers (modifiers.ts), matching (match.ts) over the record's values (resolve.ts) and the condition
// (condition.ts). Logic is two-valued: an item on a missing field is false, so `not filter` holds there.
// Input is the YAML document as plain JS with numbers as their source text; problems throw RuleError with the path
// into the document (and the offset into a condition).

import { RuleError } from '../../model/errors.js';
import type { ColumnValue, FieldTest, Predicate, RecordTest, TestForm } from '../predicate.js';
import { compileCondition, ConditionError } from './condition.js';
import { cidrMatcher, compareMatcher, compileRegex, hasWildcards, literalText, patternMatcher, regexMatcher } from './match.js';
import { ModifierError, modifyItem, type FinalValue, type ModifiedItem, type RawValue } from './modifiers.js';
import { fieldReader, lowered, NOTHING, recordCandidates, type Resolved } from './resolve.js';

export interface SigmaCompileOptions {
  /** Values for `|expand` placeholders, by name without the percent signs. */
  placeholders?: ReadonlyMap<string, readonly string[]>;
}

type Path = Array<string | number>;

const IDENTIFIER = /^[A-Za-z0-9_-]+$/;

export function compileSigmaDetection(
  detection: unknown,
  options: SigmaCompileOptions = {},
): { predicate: Predicate; warnings: string[] } {
  if (!isMap(detection)) throw new RuleError('detection must be a map of search identifiers and a condition', { path: ['detection'] });
  const warnings: string[] = [];
  const identifiers = new Map<string, Predicate>();
  for (const [name, value] of Object.entries(detection)) {
    if (name === 'condition') continue;
    if (name === 'timeframe') {
      warnings.push('detection.timeframe is ignored (legacy aggregation: use a correlation rule)');
      continue;
    }
    const path = ['detection', name];
    if (!IDENTIFIER.test(name)) {
      throw new RuleError(`search identifier "${name}" may use only letters, digits, "_" and "-"`, { path });
    }
    identifiers.set(name, compileIdentifier(value, path, options));
  }
  if (!identifiers.size) throw new RuleError('detection has no search identifier', { path: ['detection'] });
  const condition = detection.condition;
  if (condition === undefined || condition === null) throw new RuleError('detection has no condition', { path: ['detection'] });
  const conditions = Array.isArray(condition) ? condition : [condition];
  if (!conditions.length) throw new RuleError('detection.condition is an empty list', { path: ['detection', 'condition'] });
  const compiled = conditions.map((text, i) => {
    const path = Array.isArray(condition) ? ['detection', 'condition', i] : ['detection', 'condition'];
    if (typeof text !== 'string') throw new RuleError('a condition must be text', { path });
    try {
      const c = compileCondition(text, identifiers);
      warnings.push(...c.warnings);
      return c.predicate;
    } catch (e) {
      if (e instanceof ConditionError) throw new RuleError(`condition: ${e.message} (at offset ${e.offset})`, { path, offset: e.offset });
      throw e;
    }
  });
  return { predicate: compiled.length === 1 ? compiled[0] : { kind: 'or', items: compiled }, warnings };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isScalar(v: unknown): v is RawValue {
  return v === null || typeof v === 'string' || typeof v === 'boolean';
}

/** A search identifier (item 4): a map (AND), a list of maps and/or keywords (OR), or keyword scalars. */
function compileIdentifier(value: unknown, path: Path, options: SigmaCompileOptions): Predicate {
  if (isMap(value)) return compileMap(value, path, options);
  if (Array.isArray(value)) {
    if (!value.length) throw new RuleError('a search identifier may not be an empty list', { path });
    if (value.every((v) => isScalar(v))) return compileItem('', value, path, options);
    const items = value.map((v, i): Predicate => {
      if (isMap(v)) return compileMap(v, [...path, i], options);
      if (isScalar(v)) return compileItem('', [v], [...path, i], options);
      throw new RuleError('a search identifier list may hold maps and keyword values only', { path: [...path, i] });
    });
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }
  if (typeof value === 'string' || typeof value === 'boolean') return compileItem('', [value], path, options);
  throw new RuleError('a search identifier must be a map of fields, a list of maps or keyword values', { path });
}

function compileMap(map: Record<string, unknown>, path: Path, options: SigmaCompileOptions): Predicate {
  const entries = Object.entries(map);
  if (!entries.length) throw new RuleError('a search identifier may not be an empty map', { path });
  const items = entries.map(([key, value]) => compileItem(key, value, [...path, key], options));
  return items.length === 1 ? items[0] : { kind: 'and', items };
}

/** One detection item `field|modifiers: value(s)`; an empty field makes it a keyword item (item 5). */
function compileItem(key: string, value: unknown, path: Path, options: SigmaCompileOptions): Predicate {
  const list = Array.isArray(value) ? (value.length ? value : [null]) : [value];
  list.forEach((v, i) => {
    if (!isScalar(v)) {
      throw new RuleError('a value must be a string, number, boolean or null', { path: Array.isArray(value) ? [...path, i] : path });
    }
  });
  let item: ModifiedItem;
  try {
    item = modifyItem(key, list as RawValue[], options.placeholders);
  } catch (e) {
    if (e instanceof ModifierError) throw new RuleError(e.message, { path: e.index === undefined ? path : [...path, e.index] });
    throw e;
  }
  const describe = `${item.field === null ? `keyword${key}` : key} = ${describeValues(list as RawValue[], item.all)}`;
  const kinds = new Set(item.values.flat().map((v) => v.kind));
  try {
    if (kinds.has('fieldref')) {
      if (item.field === null) throw new RuleError('a field reference needs a field on the left', { path });
      return fieldRefTest(item, describe);
    }
    if (item.field === null) {
      if (kinds.has('null')) throw new RuleError('a keyword cannot be null', { path });
      return keywordTest(item, describe);
    }
    return fieldTest(item, item.field, describe);
  } catch (e) {
    if (e instanceof Error && !(e instanceof RuleError)) throw new RuleError(e.message, { path });
    throw e;
  }
}

function describeValues(values: RawValue[], all: boolean): string {
  const text = values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  if (text.length === 1) return text[0];
  return `${all ? 'all' : 'any'} of [${text.join(', ')}]`;
}

/** One value as a test of what the field offers. */
function valueTest(v: FinalValue): (r: Resolved) => boolean {
  switch (v.kind) {
    case 'pattern': {
      const m = patternMatcher(v.pattern, v.cased);
      return v.cased ? (r) => r.candidates.some(m) : (r) => lowered(r).some(m);
    }
    case 're': {
      const m = regexMatcher(compileRegex(v.source, v.flags));
      return (r) => r.candidates.some(m);
    }
    case 'cidr': {
      const m = cidrMatcher([v.range]);
      return (r) => r.candidates.some(m);
    }
    case 'compare': {
      const m = compareMatcher(v.cmp, v.value);
      return (r) => r.candidates.some(m);
    }
    case 'exists':
      return (r) => r.present === v.value;
    case 'null':
      return (r) => r.candidates.length === 0;
    case 'fieldref':
      throw new Error('a field reference is a record test');
  }
}

/** The item's answer over what the field offers: values OR-ed (AND-ed with `all`), alternatives OR-ed, `neq` negates. */
function itemTest(item: ModifiedItem): (r: Resolved) => boolean {
  const exact = exactValues(item);
  if (exact) {
    const test = (r: Resolved) => lowered(r).some((c) => exact.has(c));
    return item.negate ? (r) => !test(r) : test;
  }
  const values = item.values.map((alternatives) => {
    const tests = alternatives.map(valueTest);
    return tests.length === 1 ? tests[0] : (r: Resolved) => tests.some((t) => t(r));
  });
  const combined = item.all ? (r: Resolved) => values.every((t) => t(r)) : (r: Resolved) => values.some((t) => t(r));
  return item.negate ? (r) => !combined(r) : combined;
}

/** The lowercased values of an item that only compares whole values case-insensitively (one lookup per candidate). */
function exactValues(item: ModifiedItem): Set<string> | null {
  if (item.all && item.values.length > 1) return null;
  const out = new Set<string>();
  for (const v of item.values.flat()) {
    if (v.kind !== 'pattern' || v.cased || hasWildcards(v.pattern)) return null;
    out.add(literalText(v.pattern).toLowerCase());
  }
  return out;
}

function fieldTest(item: ModifiedItem, field: string, describe: string): FieldTest {
  const read = fieldReader(field);
  const test = itemTest(item);
  const usesExists = item.values.some((alts) => alts.some((v) => v.kind === 'exists'));
  const scalar = (value: ColumnValue): boolean | undefined => {
    if (value === null) return usesExists ? undefined : test(NOTHING);
    return test({ present: true, candidates: [String(value)] });
  };
  const form = formOf(item);
  return { kind: 'field', field, test: (record) => test(read(record)), scalar, ...(form ? { form } : {}), describe };
}

function keywordTest(item: ModifiedItem, describe: string): RecordTest {
  const test = itemTest(item);
  return { kind: 'record', test: (record) => test({ present: true, candidates: recordCandidates(record) }), describe };
}

/** `field|fieldref: other` (item 20): some value of the field equals (contains, starts or ends with) one of other's. */
function fieldRefTest(item: ModifiedItem, describe: string): RecordTest {
  const left = fieldReader(item.field as string);
  const values = item.values.map((alternatives) =>
    alternatives.map((v) => {
      if (v.kind !== 'fieldref') throw new Error('a field reference cannot be mixed with other values');
      const right = fieldReader(v.field);
      const fold = v.cased ? (s: string) => s : (s: string) => s.toLowerCase();
      const compare = (a: string, b: string) =>
        v.starts && v.ends ? a.includes(b) : v.starts ? a.startsWith(b) : v.ends ? a.endsWith(b) : a === b;
      return (record: Record<string, unknown>) => {
        const as = left(record).candidates;
        if (!as.length) return false;
        const bs = right(record).candidates.map(fold);
        return as.some((a) => bs.some((b) => compare(fold(a), b)));
      };
    }),
  );
  const one = values.map((alts) => (record: Record<string, unknown>) => alts.some((t) => t(record)));
  const combined = (record: Record<string, unknown>) => (item.all ? one.every((t) => t(record)) : one.some((t) => t(record)));
  return { kind: 'record', test: item.negate ? (r) => !combined(r) : combined, describe };
}

/** The declarative form of an item, where TestForm can say it (one kind of value; `|neq` wraps it in a `not`). */
function formOf(item: ModifiedItem): TestForm | undefined {
  if (item.negate) {
    const inner = formOf({ ...item, negate: false });
    return inner && { op: 'not', form: inner, onMissing: true };
  }
  if (item.values.length > 1 && item.all && item.values.some((alts) => alts.length > 1)) return undefined;
  const flat = item.values.flat();
  const all = item.all && item.values.length > 1 ? { all: true } : {};
  const first = flat[0];
  if (flat.some((v) => v.kind !== first.kind)) return undefined;
  switch (first.kind) {
    case 'pattern': {
      const patterns = flat as Array<Extract<FinalValue, { kind: 'pattern' }>>;
      if (patterns.some((p) => p.cased !== first.cased)) return undefined;
      const caseInsensitive = !first.cased;
      if (patterns.every((p) => !hasWildcards(p.pattern))) {
        return { op: 'equals', values: patterns.map((p) => literalText(p.pattern)), caseInsensitive, ...all };
      }
      return { op: 'wildcard', patterns: patterns.map((p) => p.pattern), caseInsensitive, ...all };
    }
    case 're': {
      const res = flat as Array<Extract<FinalValue, { kind: 're' }>>;
      if (res.some((r) => r.flags !== first.flags)) return undefined;
      return { op: 'regex', patterns: res.map((r) => r.source), flags: first.flags, ...all };
    }
    case 'cidr':
      if (item.all && flat.length > 1) return undefined;
      return { op: 'cidr', ranges: (flat as Array<Extract<FinalValue, { kind: 'cidr' }>>).map((c) => c.range) };
    case 'null':
      return { op: 'null' };
    case 'exists':
      return flat.length === 1 ? { op: 'exists', value: first.value } : undefined;
    case 'compare':
      return flat.length === 1 ? { op: 'compare', cmp: first.cmp, value: first.value } : undefined;
    case 'fieldref':
      return undefined;
  }
}
