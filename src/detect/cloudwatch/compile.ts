// Gives a CloudWatch Logs filter pattern its meaning: the syntax tree from parse.ts becomes the engine's predicate
// tree, each test a FieldTest with CloudWatch's own semantics (../shared/specs/detections.md §2.2): a missing field
// fails every test but NOT EXISTS; `!=` is true on JSON null but false on a missing field; objects and arrays fail
// both `=` and `!=`; strings match case-sensitively with a `*` only at the start or end; numbers compare as numbers
// only against number literals.

import type { FieldTest, Predicate, TestForm, WildcardPattern } from '../predicate.js';
import { parseFilterSyntax } from './parse.js';
import type { CompareOp, FilterNode, FilterTest, NumberValue, RegexValue, Selector, StringValue } from './parse.js';

/** Parses a JSON-dialect filter pattern into a predicate; throws RuleError with the offset when it is malformed. */
export function parseFilterPattern(text: string): Predicate {
  return compileNode(parseFilterSyntax(text));
}

function compileNode(node: FilterNode): Predicate {
  if (node.kind === 'and' || node.kind === 'or') {
    const items: Predicate[] = [];
    for (const item of node.items) {
      const p = compileNode(item);
      // `(a && b) && c` is one AND: flatten what the parentheses nested.
      if (p.kind === node.kind) items.push(...p.items);
      else items.push(p);
    }
    return { kind: node.kind, items };
  }
  return compileTest(node);
}

/** What a selector finds: nothing (a step absent or into a non-container), or a JSON node (maybe null). */
type Found = { missing: true } | { missing: false; node: unknown };

const MISSING: Found = { missing: true };

function resolve(record: Record<string, unknown>, path: Array<string | number>): Found {
  let node: unknown = record;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(node) || step >= node.length) return MISSING;
      node = node[step];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, step)) return MISSING;
      node = (node as Record<string, unknown>)[step];
    }
  }
  return { missing: false, node };
}

/** The field name the engine knows: dotted keys, indexes as `[n]` (`objectList[1].id`). */
function fieldName(selector: Selector): string {
  let out = '';
  for (const step of selector.path) out += typeof step === 'number' ? `[${step}]` : out === '' ? step : `.${step}`;
  return out;
}

/** The text a string or regex literal is matched against: strings as they are, numbers and booleans as JSON writes them. */
function scalarText(node: unknown): string | null {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  return null;
}

function compileTest(t: FilterTest): FieldTest {
  const field = fieldName(t.selector);
  const path = t.selector.path;
  const at = (record: Record<string, unknown>) => resolve(record, path);
  switch (t.kind) {
    case 'not-exists':
      return {
        kind: 'field',
        field,
        describe: `${t.selector.text} NOT EXISTS`,
        test: (r) => at(r).missing,
        // A null column is a missing field or a JSON null: only the record can tell.
        scalar: (v) => (v === null ? undefined : false),
        form: { op: 'exists', value: false },
      };
    case 'is':
      return compileIs(field, t.selector, t.what, at);
    case 'compare':
      if (t.value.kind === 'number') return compileNumber(field, t.selector, t.op, t.value, at);
      return compileText(field, t.selector, t.op as '=' | '!=', t.value, at);
  }
}

type Resolver = (record: Record<string, unknown>) => Found;

function compileIs(field: string, selector: Selector, what: 'TRUE' | 'FALSE' | 'NULL', at: Resolver): FieldTest {
  // IS NULL: present with JSON null; IS TRUE / IS FALSE: that JSON boolean.
  const want = what === 'NULL' ? null : what === 'TRUE';
  return {
    kind: 'field',
    field,
    describe: `${selector.text} IS ${what}`,
    test: (r) => {
      const f = at(r);
      return !f.missing && f.node === want;
    },
    // A null column is missing or JSON null: IS NULL cannot tell them apart there.
    scalar: want === null ? (v) => (v === null ? undefined : false) : (v) => v === want,
  };
}

/** `=` / `!=` with a string (wildcards) or a `%regex%`: matched against the text of strings, numbers and booleans. */
function compileText(field: string, selector: Selector, op: '=' | '!=', value: StringValue | RegexValue, at: Resolver): FieldTest {
  const matches = value.kind === 'regex' ? (s: string) => value.regex.test(s) : wildcardMatcher(value);
  const equal = op === '=';
  return {
    kind: 'field',
    field,
    describe: `${selector.text} ${op} ${value.raw}`,
    test: (r) => {
      const f = at(r);
      if (f.missing) return false;
      if (f.node === null) return !equal;
      const s = scalarText(f.node);
      if (s === null) return false; // an object or array: neither `=` nor `!=` applies
      return matches(s) === equal;
    },
    scalar: (v) => {
      if (v === null) return equal ? false : undefined;
      return matches(String(v)) === equal;
    },
    form: equal ? textForm(value) : { op: 'not', form: textForm(value), onMissing: false },
  };
}

/** A string literal's test: exact, prefix, suffix or substring, case-sensitive. */
function wildcardMatcher(v: StringValue): (s: string) => boolean {
  const core = v.core;
  if (v.leadingStar && v.trailingStar) return (s) => s.includes(core);
  if (v.leadingStar) return (s) => s.endsWith(core);
  if (v.trailingStar) return (s) => s.startsWith(core);
  return (s) => s === core;
}

function textForm(v: StringValue | RegexValue): TestForm {
  if (v.kind === 'regex') return { op: 'regex', patterns: [v.regex.source], flags: '' };
  if (!v.leadingStar && !v.trailingStar) return { op: 'equals', values: [v.core], caseInsensitive: false };
  const pattern: WildcardPattern = [];
  if (v.leadingStar) pattern.push({ any: 'many' });
  if (v.core !== '') pattern.push(v.core);
  if (v.trailingStar) pattern.push({ any: 'many' });
  return { op: 'wildcard', patterns: [pattern], caseInsensitive: false };
}

/**
 * A number literal: numbers compare as numbers; `=`/`!=` against a string compare the literal's text as written;
 * `!=` is true on JSON null and on booleans. A column holds text, so it cannot tell `1` from `"1"`: no `scalar`.
 */
function compileNumber(field: string, selector: Selector, op: CompareOp, value: NumberValue, at: Resolver): FieldTest {
  const n = value.value;
  const cmp = numericCompare(op);
  const test = (r: Record<string, unknown>): boolean => {
    const f = at(r);
    if (f.missing) return false;
    const node = f.node;
    if (typeof node === 'number') return cmp(node, n);
    if (typeof node === 'string') return op === '=' ? node === value.raw : op === '!=' ? node !== value.raw : false;
    if (node === null || typeof node === 'boolean') return op === '!=';
    return false;
  };
  const exact = op !== '=' && op !== '!=';
  return {
    kind: 'field',
    field,
    describe: `${selector.text} ${op} ${value.raw}`,
    test,
    // Only the ordering tests are plain numeric comparisons everywhere (strings, booleans and null all fail them).
    ...(exact ? { form: { op: 'compare', cmp: op, value: n } as TestForm } : {}),
  };
}

function numericCompare(op: CompareOp): (a: number, b: number) => boolean {
  switch (op) {
    case '=':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
  }
}
