// CloudWatch filter-pattern semantics (../shared/specs/detections.md §2.2): the AWS documentation's own examples as
// conformance tests, the semantics table cell by cell, precedence, and the column-value answers (`scalar`) the SQL
// prefilter relies on, checked against the record answers.

import { describe, expect, it } from 'vitest';
import { parseFilterPattern } from '../../../src/detect/cloudwatch/compile.js';
import { describe as describePredicate, evaluate, fieldsOf } from '../../../src/detect/predicate.js';
import type { ColumnValue, FieldTest } from '../../../src/detect/predicate.js';

const matches = (pattern: string, event: Record<string, unknown>) => evaluate(parseFilterPattern(pattern), event);

function onlyTest(pattern: string): FieldTest {
  const p = parseFilterPattern(pattern);
  if (p.kind !== 'field') throw new Error(`expected one field test, got ${p.kind}`);
  return p;
}

// The example events of the CloudWatch Logs User Guide, "Filter and pattern syntax" (JSON section).
const DOC_EVENT = {
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
};
const DOC_COMPOUND_EVENT = {
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [
    { id: 2, email: 'John.Doe@example.com' },
    { id: 3, email: 'Jane.Doe@example.com' },
  ],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
    [7, 8, 9],
  ],
};

describe('AWS documentation examples', () => {
  it.each([
    '{ $.eventType = "UpdateTrail" }',
    '{ $.sourceIPAddress != 123.123.* }',
    '{ $.arrayKey[0] = "value" }',
    '{ $.objectList[1].id = 2 }',
    '{ $.SomeObject IS NULL }',
    '{ $.SomeOtherObject NOT EXISTS }',
    '{ $.ThisFlag IS TRUE }',
  ])('%s matches the example event', (pattern) => {
    expect(matches(pattern, DOC_EVENT)).toBe(true);
  });

  it.each([
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', true],
    ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', false],
    // The same two precedence examples as the spec quotes them, with quoted values.
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }', true],
    ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }', false],
  ])('compound %s → %s', (pattern, expected) => {
    expect(matches(pattern, DOC_COMPOUND_EVENT)).toBe(expected);
  });

  it('OR over one field matches either value ({"foo": "bar"} and {"foo": "baz"})', () => {
    expect(matches('{$.foo = bar}', { foo: 'bar' })).toBe(true);
    expect(matches('{$.foo = baz }', { foo: 'bar' })).toBe(false);
    expect(matches('{$.foo = baz }', { foo: 'baz' })).toBe(true);
    expect(matches('{$.foo = bar || $.foo = baz }', { foo: 'bar' })).toBe(true);
    expect(matches('{$.foo = bar || $.foo = baz }', { foo: 'baz' })).toBe(true);
  });

  it('both {$.users = 1} and {$.users != 1} fail on an array', () => {
    expect(matches('{$.users = 1}', { users: [1, 2, 3] })).toBe(false);
    expect(matches('{$.users != 1}', { users: [1, 2, 3] })).toBe(false);
  });

  it('{ $.latency = * } matches a numeric latency', () => {
    expect(matches('{ $.latency = * }', { latency: 50, requestType: 'GET' })).toBe(true);
  });

  it('the numeric examples', () => {
    const e = { latency: 1001, numbers: [0.005], processes: [{}, {}, {}, {}, { averageRuntime: 55.5 }], errorCode: 400 };
    for (const p of [
      '{ $.latency >= 500 }',
      '{ $.numbers[0] < 10e3 }',
      '{ $.numbers[0] < 10e-3 }',
      '{ $.processes[4].averageRuntime <= 55.5 }',
      '{ $.errorCode = 400 }',
      '{ $.errorCode != 500 }',
      '{ $.latency > +1000 }',
    ]) {
      expect(matches(p, e), p).toBe(true);
    }
    expect(matches('{ $.latency > +1000 }', { latency: 1000 })).toBe(false);
    expect(matches('{ $.numbers[0] < 10e-3 }', { numbers: [0.01] })).toBe(false);
  });

  it('wildcards: *Event and Event* match, Ev*ent only matches itself', () => {
    expect(matches('{ $.e = *Event }', { e: 'PutEvent' })).toBe(true);
    expect(matches('{ $.e = *Event }', { e: 'GetEvent' })).toBe(true);
    expect(matches('{ $.e = Event* }', { e: 'EventId' })).toBe(true);
    expect(matches('{ $.e = Event* }', { e: 'EventName' })).toBe(true);
    expect(matches('{ $.e = Ev*ent }', { e: 'Event' })).toBe(false);
    expect(matches('{ $.e = Ev*ent }', { e: 'Evxxent' })).toBe(false);
    expect(matches('{ $.e = Ev*ent }', { e: 'Ev*ent' })).toBe(true);
  });

  it('regex: %AUTHORIZED% is an unanchored search', () => {
    expect(matches('{ $.m = %AUTHORIZED% }', { m: '[ERROR 401] UNAUTHORIZED REQUEST' })).toBe(true);
    expect(matches('{ $.m = %^AUTHORIZED% }', { m: '[ERROR 401] UNAUTHORIZED REQUEST' })).toBe(false);
  });
});

// One event holding every kind of JSON node, and the field of each kind.
const KINDS = { s: 'abc', n: 12, z: null, t: true, f: false, o: { a: 1 }, a: [1] } as const;
const FIELDS = { missing: 'none', null: 'z', string: 's', number: 'n', boolean: 't', object: 'o', array: 'a' } as const;
type Kind = keyof typeof FIELDS;

/** The answer of `{ $.<field> <rest> }` for each kind of node, in FIELDS order. */
function row(rest: string): Record<Kind, boolean> {
  const out = {} as Record<Kind, boolean>;
  for (const [kind, field] of Object.entries(FIELDS) as Array<[Kind, string]>) out[kind] = matches(`{ $.${field} ${rest} }`, KINDS);
  return out;
}

describe('semantics table (§2.2)', () => {
  it('= string: wildcard match on strings, text of numbers and booleans', () => {
    expect(row('= abc')).toEqual({ missing: false, null: false, string: true, number: false, boolean: false, object: false, array: false });
    expect(row('= "12"')).toMatchObject({ number: true });
    expect(row('= "true"')).toMatchObject({ boolean: true, string: false });
    expect(row('= 1*')).toMatchObject({ number: true, string: false });
    expect(row('= tr*')).toMatchObject({ boolean: true });
  });

  it('!= string: false on missing, objects and arrays; true on JSON null', () => {
    expect(row('!= zzz')).toEqual({ missing: false, null: true, string: true, number: true, boolean: true, object: false, array: false });
    expect(row('!= abc')).toMatchObject({ string: false });
    expect(row('!= "12"')).toMatchObject({ number: false });
    expect(row('!= "true"')).toMatchObject({ boolean: false });
  });

  it('= number: numeric on numbers, the literal text on strings, false on booleans', () => {
    expect(row('= 12')).toEqual({ missing: false, null: false, string: false, number: true, boolean: false, object: false, array: false });
    expect(row('= 12.0')).toMatchObject({ number: true });
    expect(row('= 1.2e1')).toMatchObject({ number: true });
    expect(matches('{ $.s = 12 }', { s: '12' })).toBe(true);
    expect(matches('{ $.s = 12 }', { s: '12.0' })).toBe(false);
    expect(matches('{ $.s = 1e1 }', { s: '10' })).toBe(false);
  });

  it('!= number: true on JSON null and booleans, text inequality on strings', () => {
    expect(row('!= 5')).toEqual({ missing: false, null: true, string: true, number: true, boolean: true, object: false, array: false });
    expect(row('!= 12')).toMatchObject({ number: false });
    expect(matches('{ $.s != 12 }', { s: '12' })).toBe(false);
  });

  it.each(['<', '<=', '>', '>='])('%s number: only numbers compare', (op) => {
    const r = row(`${op} 100`);
    expect(r).toEqual({ missing: false, null: false, string: false, number: op.startsWith('<'), boolean: false, object: false, array: false });
    expect(matches(`{ $.n ${op} 12 }`, KINDS)).toBe(op.includes('='));
    expect(matches(`{ $.s ${op} 100 }`, { s: '5' })).toBe(false);
  });

  it('= * (bare or quoted): any string, number or boolean; not null, objects or arrays', () => {
    const want = { missing: false, null: false, string: true, number: true, boolean: true, object: false, array: false };
    expect(row('= *')).toEqual(want);
    expect(row('= "*"')).toEqual(want);
    expect(matches('{ $.s = * }', { s: '' })).toBe(true);
  });

  it('= %re% / != %re%', () => {
    expect(row('= %^a.c$%')).toEqual({ missing: false, null: false, string: true, number: false, boolean: false, object: false, array: false });
    expect(row('!= %^a.c$%')).toEqual({ missing: false, null: true, string: false, number: true, boolean: true, object: false, array: false });
    expect(row('= %^1[0-9]$%')).toMatchObject({ number: true });
    expect(row('= %^tru%')).toMatchObject({ boolean: true });
  });

  it('IS TRUE / IS FALSE: JSON booleans only', () => {
    expect(row('IS TRUE')).toEqual({ missing: false, null: false, string: false, number: false, boolean: true, object: false, array: false });
    expect(row('IS FALSE')).toMatchObject({ boolean: false });
    expect(matches('{ $.f IS FALSE }', KINDS)).toBe(true);
    expect(matches('{ $.s IS TRUE }', { s: 'true' })).toBe(false);
  });

  it('IS NULL: only a present JSON null', () => {
    expect(row('IS NULL')).toEqual({ missing: false, null: true, string: false, number: false, boolean: false, object: false, array: false });
  });

  it('NOT EXISTS: only an absent field', () => {
    expect(row('NOT EXISTS')).toEqual({ missing: true, null: false, string: false, number: false, boolean: false, object: false, array: false });
  });

  it('keywords are case-insensitive; values and field names are not', () => {
    expect(matches('{ $.t is true }', KINDS)).toBe(true);
    expect(matches('{ $.none Not Exists }', KINDS)).toBe(true);
    expect(matches('{ $.z Is Null }', KINDS)).toBe(true);
    expect(matches('{ $.s = ABC }', KINDS)).toBe(false);
    expect(matches('{ $.S = abc }', KINDS)).toBe(false);
    expect(matches('{ $.e = *event }', { e: 'PutEvent' })).toBe(false);
  });

  it('a path through a non-container, an index out of range or an index into an object is missing', () => {
    expect(matches('{ $.s.x NOT EXISTS }', KINDS)).toBe(true);
    expect(matches('{ $.a[1] NOT EXISTS }', KINDS)).toBe(true);
    expect(matches('{ $.o[0] NOT EXISTS }', { o: { 0: 'x' } })).toBe(true);
    expect(matches('{ $.a.length NOT EXISTS }', KINDS)).toBe(true);
    expect(matches('{ $.responseElements.ConsoleLogin != "Success" }', { responseElements: null })).toBe(false);
    expect(matches('{ $.constructor NOT EXISTS }', {})).toBe(true);
  });

  it('an interior * is literal, an escaped * in quotes is literal, other escapes give the character', () => {
    expect(matches('{ $.e = "a*b*" }', { e: 'a*bcd' })).toBe(true);
    expect(matches('{ $.e = "a*b*" }', { e: 'axbcd' })).toBe(false);
    expect(matches('{ $.e = "\\*x" }', { e: '*x' })).toBe(true);
    expect(matches('{ $.e = "\\*x" }', { e: 'ax' })).toBe(false);
    expect(matches('{ $.e = "say \\"hi\\" \\\\ ok" }', { e: 'say "hi" \\ ok' })).toBe(true);
    expect(matches('{ $.e = "a b" }', { e: 'a b' })).toBe(true);
  });

  it('whitespace around tokens does not matter', () => {
    expect(matches('{$.eventName=X}', { eventName: 'X' })).toBe(true);
    expect(matches('  {  (  $.eventName  =  X  )  }  ', { eventName: 'X' })).toBe(true);
    expect(matches('{\n$.a=1&&$.b=2||$.c=3\n}', { c: 3 })).toBe(true);
  });
});

describe('precedence', () => {
  const p = '{ $.a = 1 || $.b = 1 && $.c = 1 }';
  it('&& binds tighter than ||', () => {
    expect(matches(p, { a: 1 })).toBe(true);
    expect(matches(p, { b: 1 })).toBe(false);
    expect(matches(p, { b: 1, c: 1 })).toBe(true);
    expect(matches('{ ($.a = 1 || $.b = 1) && $.c = 1 }', { a: 1 })).toBe(false);
  });

  it('builds the tree a reader expects, flattening nested ANDs and ORs', () => {
    expect(describePredicate(parseFilterPattern(p))).toBe('$.a = 1 or ($.b = 1 and $.c = 1)');
    expect(describePredicate(parseFilterPattern('{ (($.a = 1) && ($.b = 2)) && $.c = 3 || ($.d = 4 || $.e = 5) }'))).toBe(
      '($.a = 1 and $.b = 2 and $.c = 3) or $.d = 4 or $.e = 5',
    );
  });

  it('CIS 5.1 as written: AccessDenied is guarded, UnauthorizedOperation is not', () => {
    const cis51 =
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }';
    expect(matches(cis51, { errorCode: 'Client.UnauthorizedOperation', eventName: 'HeadBucket', sourceIPAddress: '1.2.3.4' })).toBe(true);
    expect(matches(cis51, { errorCode: 'AccessDenied', eventName: 'HeadBucket', sourceIPAddress: '1.2.3.4' })).toBe(false);
    expect(matches(cis51, { errorCode: 'AccessDenied', eventName: 'GetObject', sourceIPAddress: '1.2.3.4' })).toBe(true);
  });
});

describe('field tests', () => {
  it('name the field without "$." and write array indexes as [n]', () => {
    expect([...fieldsOf(parseFilterPattern('{ $.userIdentity.type = Root && $.arrayKey[0] = x && $.coordinates[0][1] = 1 }'))]).toEqual([
      'userIdentity.type',
      'arrayKey[0]',
      'coordinates[0][1]',
    ]);
  });

  it('describe each test in the pattern\'s own syntax', () => {
    expect(onlyTest('{$.errorCode="*UnauthorizedOperation"}').describe).toBe('$.errorCode = "*UnauthorizedOperation"');
    expect(onlyTest('{ $.userIdentity.invokedBy not exists }').describe).toBe('$.userIdentity.invokedBy NOT EXISTS');
    expect(onlyTest('{ $.ThisFlag is true }').describe).toBe('$.ThisFlag IS TRUE');
    expect(onlyTest('{ $.m != %^a-b% }').describe).toBe('$.m != %^a-b%');
  });

  it('fill the declarative form where it is exact', () => {
    expect(onlyTest('{ $.eventName = ConsoleLogin }').form).toEqual({ op: 'equals', values: ['ConsoleLogin'], caseInsensitive: false });
    expect(onlyTest('{ $.errorCode = "AccessDenied*" }').form).toEqual({ op: 'wildcard', patterns: [['AccessDenied', { any: 'many' }]], caseInsensitive: false });
    expect(onlyTest('{ $.e = *a*b* }').form).toEqual({ op: 'wildcard', patterns: [[{ any: 'many' }, 'a*b', { any: 'many' }]], caseInsensitive: false });
    expect(onlyTest('{ $.e = * }').form).toEqual({ op: 'wildcard', patterns: [[{ any: 'many' }]], caseInsensitive: false });
    expect(onlyTest('{ $.m = %^a% }').form).toEqual({ op: 'regex', patterns: ['^a'], flags: '' });
    expect(onlyTest('{ $.latency >= 500 }').form).toEqual({ op: 'compare', cmp: '>=', value: 500 });
    // `!=` is false on a missing field (onMissing: false) and NOT EXISTS is a presence test; both read a JSON null as
    // missing in SQL (docs/scale.md lists the difference). IS NULL (present and null) has no declarative form.
    expect(onlyTest('{ $.e != x }').form).toEqual({ op: 'not', form: { op: 'equals', values: ['x'], caseInsensitive: false }, onMissing: false });
    expect(onlyTest('{ $.e IS NULL }').form).toBeUndefined();
    expect(onlyTest('{ $.e NOT EXISTS }').form).toEqual({ op: 'exists', value: false });
    expect(onlyTest('{ $.e = 5 }').form).toBeUndefined();
  });
});

describe('column values (scalar)', () => {
  // Records whose field `f` is missing, null, a string, or a boolean: what a column can hold.
  const records: Array<[string, Record<string, unknown>, ColumnValue]> = [
    ['missing', {}, null],
    ['null', { f: null }, null],
    ['string', { f: 'AccessDenied' }, 'AccessDenied'],
    ['other string', { f: 'Yes' }, 'Yes'],
    ['true', { f: true }, true],
    ['false', { f: false }, false],
  ];
  const patterns = [
    '{ $.f = AccessDenied }',
    '{ $.f = "AccessDenied*" }',
    '{ $.f = *Denied }',
    '{ $.f = * }',
    '{ $.f != "Yes" }',
    '{ $.f != * }',
    '{ $.f = %Den% }',
    '{ $.f != %Den% }',
    '{ $.f = "true" }',
    '{ $.f IS TRUE }',
    '{ $.f IS FALSE }',
    '{ $.f IS NULL }',
    '{ $.f NOT EXISTS }',
  ];

  it.each(patterns)('%s: the column answer, when given, equals the record answer', (pattern) => {
    const t = onlyTest(pattern);
    expect(t.scalar).toBeDefined();
    for (const [name, record, value] of records) {
      const fromColumn = t.scalar?.(value);
      if (fromColumn !== undefined) expect(fromColumn, `${pattern} on ${name}`).toBe(t.test(record));
    }
  });

  it('null is undecided exactly where missing and JSON null disagree', () => {
    const undecided = patterns.filter((p) => onlyTest(p).scalar?.(null) === undefined);
    expect(undecided).toEqual(['{ $.f != "Yes" }', '{ $.f != * }', '{ $.f != %Den% }', '{ $.f IS NULL }', '{ $.f NOT EXISTS }']);
  });

  it('numbers compared as numbers have no column answer', () => {
    for (const p of ['{ $.f = 1 }', '{ $.f != 1 }', '{ $.f > 1 }']) expect(onlyTest(p).scalar, p).toBeUndefined();
  });
});

it('a single test in parentheses compiles to one FieldTest, not a one-item AND', () => {
  expect(onlyTest('{ ($.a = 1) }').field).toBe('a');
});
