// The condition grammar (detections spec §3.5 items 24–29) and the rule errors a detection block can raise.
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/model/errors.js';
import { describe as describePredicate } from '../../../src/detect/predicate.js';
import { compileYaml, matches } from './helpers.js';

// Three identifiers a, b, c testing fields of the same names; the record says which are true.
const abc = "a: {a: 'yes'}\nb: {b: 'yes'}\nc: {c: 'yes'}\n";
const rec = (on: string) => Object.fromEntries([...on].map((k) => [k, 'yes']));
const cond = (condition: string, on: string) => matches(`${abc}condition: ${JSON.stringify(condition)}`, rec(on));

function ruleError(detection: string): RuleError {
  try {
    compileYaml(detection);
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error('expected a RuleError');
}

describe('condition grammar (items 24–25)', () => {
  it('24: identifiers, and, or, not and parentheses', () => {
    expect(cond('a and b', 'ab')).toBe(true);
    expect(cond('a and b', 'a')).toBe(false);
    expect(cond('a or b', 'b')).toBe(true);
    expect(cond('not a', '')).toBe(true);
    expect(cond('not a', 'a')).toBe(false);
    expect(cond('(a or b) and c', 'a')).toBe(false);
    expect(cond('not not a', 'a')).toBe(true);
  });

  it('24: keywords are lower-case; "AND" is not a keyword', () => {
    expect(ruleError(`${abc}condition: a AND b`).message).toBe('condition: expected "and", "or" or the end of the condition but found "AND" (at offset 2)');
  });

  it('25: and binds tighter than or', () => {
    expect(cond('a or b and c', 'a')).toBe(true);
    expect(cond('a and b or c', 'c')).toBe(true);
    expect(cond('a and b or c', 'a')).toBe(false);
  });

  it('25: not binds tighter than and/or, and x of tighter than not', () => {
    expect(cond('not a and b', 'b')).toBe(true);
    expect(cond('not a and b', 'ab')).toBe(false);
    expect(cond('not a or b', 'ab')).toBe(true);
    expect(cond('not 1 of a* and c', 'c')).toBe(true);
    expect(cond('not all of them', 'ab')).toBe(true);
  });

  it('25: and/or are left-associative and flatten into one node', () => {
    const p = compileYaml(`${abc}condition: a and b and c`).predicate;
    expect(p.kind === 'and' && p.items.length).toBe(3);
    expect(describePredicate(compileYaml(`${abc}condition: a or b and not c`).predicate)).toBe('a = "yes" or (b = "yes" and not c = "yes")');
  });
});

describe('x of pattern (items 26–27)', () => {
  const sel = "selection_a: {a: 'yes'}\nselection_b: {b: 'yes'}\nfilter: {c: 'yes'}\n_hidden: {h: 'yes'}\n";
  const run = (condition: string, on: Record<string, string>) => matches(`${sel}condition: ${JSON.stringify(condition)}`, on);

  it('26: 1 of / any of is an OR over the identifiers the pattern matches', () => {
    expect(run('1 of selection_*', { b: 'yes' })).toBe(true);
    expect(run('any of selection_*', { a: 'yes' })).toBe(true);
    expect(run('1 of selection_*', { c: 'yes' })).toBe(false);
  });

  it('26: all of is an AND', () => {
    expect(run('all of selection_*', { a: 'yes', b: 'yes' })).toBe(true);
    expect(run('all of selection_*', { a: 'yes' })).toBe(false);
  });

  it('26: the pattern must match the whole name', () => {
    expect(run('1 of selection', { a: 'yes' })).toBe(false);
    expect(run('1 of *_b', { b: 'yes' })).toBe(true);
    expect(run('1 of filter', { c: 'yes' })).toBe(true);
  });

  it('26: them is every identifier', () => {
    expect(run('all of them', { a: 'yes', b: 'yes', c: 'yes' })).toBe(true);
    expect(run('1 of them', { c: 'yes' })).toBe(true);
  });

  it('26: identifiers starting with _ are left out unless the pattern starts with _', () => {
    expect(run('1 of them', { h: 'yes' })).toBe(false);
    expect(run('all of them', { a: 'yes', b: 'yes', c: 'yes' })).toBe(true);
    expect(run('1 of *', { h: 'yes' })).toBe(false);
    expect(run('1 of _*', { h: 'yes' })).toBe(true);
    expect(run('_hidden', { h: 'yes' })).toBe(true);
  });

  it('27: a pattern matching nothing warns; an empty 1 of is false, an empty all of is true', () => {
    const one = compileYaml(`${sel}condition: selection_a and not 1 of nomatch_*`);
    expect(one.warnings).toEqual(['condition "1 of nomatch_*" matches no search identifier (treated as false)']);
    expect(run('selection_a and not 1 of nomatch_*', { a: 'yes' })).toBe(true);
    const all = compileYaml(`${sel}condition: selection_a and all of nomatch_*`);
    expect(all.warnings).toEqual(['condition "all of nomatch_*" matches no search identifier (treated as true)']);
    expect(run('selection_a and all of nomatch_*', { a: 'yes' })).toBe(true);
  });
});

describe('condition lists and legacy aggregations (items 28–29)', () => {
  it('28: a list of conditions is their OR', () => {
    const d = `${abc}condition:\n  - a and b\n  - c`;
    expect(matches(d, rec('c'))).toBe(true);
    expect(matches(d, rec('ab'))).toBe(true);
    expect(matches(d, rec('a'))).toBe(false);
  });

  it('29: a | in the condition rejects the rule', () => {
    const e = ruleError(`${abc}condition: a | count() by sourceIPAddress > 5`);
    expect(e.message).toBe('condition: "|" in a condition is a legacy aggregation: use a correlation rule (at offset 2)');
    expect(e.at).toEqual({ path: ['detection', 'condition'], offset: 2 });
  });
});

describe('rule errors carry the path into the document', () => {
  it('an unknown modifier names it and lists the supported ones', () => {
    const e = ruleError("selection: {eventName|foo: x}\ncondition: selection");
    expect(e.message).toMatch(/^unknown modifier "foo" in "eventName\|foo"; supported: contains, startswith, endswith, all, neq, re, /);
    expect(e.at).toEqual({ path: ['detection', 'selection', 'eventName|foo'] });
  });

  it('a bad regular expression is rejected at load', () => {
    const e = ruleError("selection: {userIdentity.arn|re: 'a(b'}\ncondition: selection");
    expect(e.message).toBe('invalid regular expression /a(b/: Unterminated group');
    expect(e.at).toEqual({ path: ['detection', 'selection', 'userIdentity.arn|re'] });
  });

  it('a bad value in a list names its index', () => {
    const e = ruleError("selection: {ip|cidr: [10.0.0.0/8, 'not-a-range']}\ncondition: selection");
    expect(e.at).toEqual({ path: ['detection', 'selection', 'ip|cidr', 1] });
    const o = ruleError('selection:\n  - {a: x}\n  - {b: [x, {nested: map}]}\ncondition: selection');
    expect(o.message).toBe('a value must be a string, number, boolean or null');
    expect(o.at).toEqual({ path: ['detection', 'selection', 1, 'b', 1] });
  });

  it('an unresolved placeholder names the placeholder', () => {
    const e = ruleError("filter: {src_country|expand: '%Legitimate_Countries%'}\ncondition: not filter");
    expect(e.message).toContain('%Legitimate_Countries%');
    expect(e.at).toEqual({ path: ['detection', 'filter', 'src_country|expand'] });
  });

  it('an unknown identifier in the condition gives its offset', () => {
    const e = ruleError(`${abc}condition: a and selection`);
    expect(e.message).toBe('condition: unknown search identifier "selection"; defined: a, b, c (at offset 6)');
    expect(e.at).toEqual({ path: ['detection', 'condition'], offset: 6 });
  });

  it('malformed conditions say what was expected and where', () => {
    expect(ruleError(`${abc}condition: (a or b`).message).toBe('condition: expected ")" but found the end of the condition (at offset 7)');
    expect(ruleError(`${abc}condition: a and`).message).toBe('condition: expected a search identifier, "not", "(" or "1 of"/"all of" but found the end of the condition (at offset 5)');
    expect(ruleError(`${abc}condition: a*`).message).toBe('condition: "a*": a wildcard is only allowed after "1 of" or "all of" (at offset 0)');
    expect(ruleError(`${abc}condition: 1 of a-*`).message).toBe('condition: "a-*": "-" is not allowed in an "of" pattern (at offset 5)');
    expect(ruleError(`${abc}condition: a & b`).message).toBe('condition: unexpected character "&" (at offset 2)');
    expect(ruleError(`${abc}condition:\n  - a\n  - b |`).at).toEqual({ path: ['detection', 'condition', 1], offset: 2 });
  });

  it('a detection without a condition, identifier or with bad shapes is rejected', () => {
    expect(ruleError('selection: {a: x}').message).toBe('detection has no condition');
    expect(ruleError('condition: selection').message).toBe('detection has no search identifier');
    expect(ruleError('sel: {}\ncondition: sel').message).toBe('a search identifier may not be an empty map');
    expect(ruleError('sel: null\ncondition: sel').message).toBe('a search identifier must be a map of fields, a list of maps or keyword values');
    expect(ruleError('sel.x: {a: x}\ncondition: sel').message).toBe('search identifier "sel.x" may use only letters, digits, "_" and "-"');
    expect(() => compileYaml('[1, 2]')).toThrow('detection must be a map of search identifiers and a condition');
  });
});
