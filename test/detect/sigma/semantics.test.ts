// Sigma matching semantics over CloudTrail records, one test per numbered behaviour of the detections spec §3.5
// (items 3–17 and 30; modifiers and the condition grammar have their own files).
import { describe, expect, it } from 'vitest';
import { compileYaml, matches } from './helpers.js';
import type { FieldTest, Predicate } from '../../../src/detect/predicate.js';

const stopLogging = {
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice' },
  eventTime: '2026-08-01T10:00:00Z',
  eventSource: 'cloudtrail.amazonaws.com',
  eventName: 'StopLogging',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.7',
  userAgent: 'aws-cli/2.15.0 Python/3.11.6',
  requestParameters: { name: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main' },
  responseElements: null,
  readOnly: false,
  eventType: 'AwsApiCall',
};

function fieldTests(p: Predicate, out: FieldTest[] = []): FieldTest[] {
  if (p.kind === 'field') out.push(p);
  if (p.kind === 'and' || p.kind === 'or') p.items.forEach((i) => fieldTests(i, out));
  if (p.kind === 'not') fieldTests(p.item, out);
  return out;
}

describe('detection section (items 3–7)', () => {
  it('3: every key but condition is a search identifier the condition can name; timeframe is ignored with a warning', () => {
    const r = compileYaml('sel: {eventName: StopLogging}\nother: {eventName: X}\ntimeframe: 5m\ncondition: sel');
    expect(r.warnings).toEqual(['detection.timeframe is ignored (legacy aggregation: use a correlation rule)']);
    expect(matches('sel: {eventName: StopLogging}\nother-2: {eventName: X}\ncondition: sel or other-2', stopLogging)).toBe(true);
  });

  it('4: a map is the AND of its items', () => {
    expect(matches('s: {eventName: StopLogging, awsRegion: us-east-1}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {eventName: StopLogging, awsRegion: eu-west-1}\ncondition: s', stopLogging)).toBe(false);
  });

  it('4: a list of maps is the OR of the maps', () => {
    expect(matches('s:\n  - {eventName: DeleteTrail}\n  - {awsRegion: us-east-1}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s:\n  - {eventName: DeleteTrail}\n  - {awsRegion: eu-west-1}\ncondition: s', stopLogging)).toBe(false);
  });

  it('4: a scalar or a list of scalars is a keyword search over the whole record', () => {
    expect(matches('k: "*trail/main"\ncondition: k', stopLogging)).toBe(true);
    expect(matches('k: [nothing-here, "*Python*"]\ncondition: k', stopLogging)).toBe(true);
    expect(matches('k: [nothing-here]\ncondition: k', stopLogging)).toBe(false);
  });

  it('4: a list mixing maps and keywords is the OR of both', () => {
    expect(matches('s:\n  - {eventName: DeleteTrail}\n  - "alice"\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s:\n  - {eventName: DeleteTrail}\n  - "bob"\ncondition: s', stopLogging)).toBe(false);
  });

  it('5: an item with an empty field name (|contains) is a keyword item', () => {
    expect(matches('s: {"|contains": "Python/3"}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {"|contains": "Python/2"}\ncondition: s', stopLogging)).toBe(false);
    const p = compileYaml('s: {"|contains": "Python/3"}\ncondition: s').predicate;
    expect(p.kind === 'record' && p.describe).toBe('keyword|contains = "Python/3"');
    const k = compileYaml('k: [a, b]\ncondition: k').predicate;
    expect(k.kind === 'record' && k.describe).toBe('keyword = any of ["a", "b"]');
  });

  it('6: a value list is an OR; with |all an AND', () => {
    expect(matches('s: {eventName: [DeleteTrail, StopLogging]}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {userAgent|contains|all: [aws-cli, Python]}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {userAgent|contains|all: [aws-cli, Ruby]}\ncondition: s', stopLogging)).toBe(false);
  });

  it('6: an empty value list means null', () => {
    expect(matches('s: {errorCode: []}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {errorCode: []}\ncondition: s', { ...stopLogging, errorCode: 'AccessDenied' })).toBe(false);
  });

  it('7: values may be strings, numbers, booleans and null', () => {
    const record = { ...stopLogging, n: 42, f: 1.5, b: true, z: null };
    expect(matches('s: {n: 42, f: 1.5, b: true, z: null}\ncondition: s', record)).toBe(true);
  });
});

describe('string comparison (items 8–11)', () => {
  it('8: a string matches the whole value, not a part of it', () => {
    expect(matches('s: {eventName: Stop}\ncondition: s', stopLogging)).toBe(false);
    expect(matches('s: {eventName: StopLogging}\ncondition: s', stopLogging)).toBe(true);
  });

  it('8: matching is case-insensitive', () => {
    expect(matches('s: {eventName: stoplogging}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {eventSource: CLOUDTRAIL.AMAZONAWS.COM}\ncondition: s', stopLogging)).toBe(true);
  });

  it('8: * is any run (also empty, also across newlines), ? exactly one character', () => {
    expect(matches('s: {eventName: "Stop*"}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {eventName: "StopLogging*"}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {eventName: "S*L*g"}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {m: "a*c"}\ncondition: s', { m: 'a\nb\nc' })).toBe(true);
    expect(matches('s: {eventName: "StopLoggin?"}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {eventName: "StopLoggi?"}\ncondition: s', stopLogging)).toBe(false);
    expect(matches('s: {m: "?"}\ncondition: s', { m: '😀' })).toBe(true);
  });

  it('8: everything else is literal (regex and SQL LIKE characters included)', () => {
    expect(matches("s: {m: 'a.c'}\ncondition: s", { m: 'abc' })).toBe(false);
    expect(matches("s: {m: 'a%c_'}\ncondition: s", { m: 'a%c_' })).toBe(true);
    expect(matches("s: {m: 'a%c_'}\ncondition: s", { m: 'abcd' })).toBe(false);
    expect(matches("s: {m: '$AWS_{X}(1)[2]+|^'}\ncondition: s", { m: '$aws_{x}(1)[2]+|^' })).toBe(true);
  });

  it('9: backslash escapes *, ? and backslash; before anything else it is a literal backslash', () => {
    expect(matches(String.raw`s: {m: 'a\*'}` + '\ncondition: s', { m: 'a*' })).toBe(true);
    expect(matches(String.raw`s: {m: 'a\*'}` + '\ncondition: s', { m: 'ab' })).toBe(false);
    expect(matches(String.raw`s: {m: 'a\?'}` + '\ncondition: s', { m: 'a?' })).toBe(true);
    expect(matches(String.raw`s: {m: 'a\?'}` + '\ncondition: s', { m: 'ab' })).toBe(false);
    expect(matches(String.raw`s: {m: 'C:\Windows'}` + '\ncondition: s', { m: 'C:\\Windows' })).toBe(true);
    expect(matches(String.raw`s: {m: 'a\'}` + '\ncondition: s', { m: 'a\\' })).toBe(true);
    // \\* = literal backslash, then a wildcard; \\\* = backslash and a literal star
    expect(matches(String.raw`s: {m: 'a\\*'}` + '\ncondition: s', { m: 'a\\anything' })).toBe(true);
    expect(matches(String.raw`s: {m: 'a\\\*'}` + '\ncondition: s', { m: 'a\\*' })).toBe(true);
    expect(matches(String.raw`s: {m: 'a\\\*'}` + '\ncondition: s', { m: 'a\\x' })).toBe(false);
  });

  it('10: case folding is JS toLowerCase of both sides, beyond ASCII', () => {
    expect(matches("s: {m: 'ÄRGER'}\ncondition: s", { m: 'ärger' })).toBe(true);
    expect(matches("s: {m: 'σ*'}\ncondition: s", { m: 'ΣΊΣΥΦΟΣ' })).toBe(true);
  });

  it('11: numbers and booleans in the rule compare as their text with the record value', () => {
    expect(matches("s: {responseElements.publiclyAccessible: 'true'}\ncondition: s", { responseElements: { publiclyAccessible: true } })).toBe(true);
    expect(matches('s: {requestParameters.enable: false}\ncondition: s', { requestParameters: { enable: false } })).toBe(true);
    expect(matches('s: {requestParameters.enable: false}\ncondition: s', { requestParameters: { enable: 'FALSE' } })).toBe(true);
    expect(matches('s: {p: 22}\ncondition: s', { p: 22 })).toBe(true);
    expect(matches('s: {p: 22}\ncondition: s', { p: '22' })).toBe(true);
    // numbers arrive as their source text: 1.10 is not 1.1
    expect(matches('s: {v: 1.10}\ncondition: s', { v: '1.10' })).toBe(true);
    expect(matches('s: {v: 1.10}\ncondition: s', { v: '1.1' })).toBe(false);
  });
});

describe('event-side value resolution (items 12–15)', () => {
  it('12: a literal top-level key with dots wins over the nested path', () => {
    const record = { 'a.b': 'literal', a: { b: 'nested' } };
    expect(matches('s: {a.b: literal}\ncondition: s', record)).toBe(true);
    expect(matches('s: {a.b: nested}\ncondition: s', record)).toBe(false);
    expect(matches('s: {a.b: nested}\ncondition: s', { a: { b: 'nested' } })).toBe(true);
  });

  it('12: field names are case-sensitive', () => {
    expect(matches('s: {EventName: StopLogging}\ncondition: s', stopLogging)).toBe(false);
  });

  it('13: arrays fan out during the walk and a final array offers each element', () => {
    const record = {
      requestParameters: {
        containerDefinitions: [{ command: ['sh', '-c', 'curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] }, { command: ['true'] }],
      },
    };
    expect(matches("s: {requestParameters.containerDefinitions.command|contains: '$AWS_CONTAINER'}\ncondition: s", record)).toBe(true);
    expect(matches("s: {requestParameters.containerDefinitions.command: 'true'}\ncondition: s", record)).toBe(true);
    expect(matches("s: {requestParameters.containerDefinitions.command: 'false'}\ncondition: s", record)).toBe(false);
  });

  it('13: with |all each value needs some element, not necessarily the same one', () => {
    const record = { tags: ['prod', 'pci'] };
    expect(matches('s: {tags|all: [prod, pci]}\ncondition: s', record)).toBe(true);
    expect(matches('s: {tags|all: [prod, dev]}\ncondition: s', record)).toBe(false);
  });

  it('14: an object offers its compact JSON text and every scalar below it', () => {
    const record = { requestParameters: { bucketName: 'b', VersioningConfiguration: { Status: 'Suspended' } } };
    expect(matches('s: {requestParameters|contains: Suspended}\ncondition: s', record)).toBe(true);
    expect(matches('s: {requestParameters|contains: \'"Status":"Suspended"\'}\ncondition: s', record)).toBe(true);
    expect(matches('s: {requestParameters: Suspended}\ncondition: s', record)).toBe(true);
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] });
    // the policy is a JSON string inside the object: its quotes appear literally only in the descendant string
    expect(matches('s: {requestParameters|contains|all: [\'"s3:GetObject"\', \'"Allow"\']}\ncondition: s', { requestParameters: { policyDocument: policy } })).toBe(true);
  });

  it('15: null and a missing path offer nothing; numbers give their JSON text, booleans true/false', () => {
    expect(matches("s: {responseElements|contains: '*'}\ncondition: s", stopLogging)).toBe(false);
    expect(matches("s: {nope.deeper|contains: '*'}\ncondition: s", stopLogging)).toBe(false);
    expect(matches("s: {n: '1e+21'}\ncondition: s", { n: 1e21 })).toBe(true);
    expect(matches("s: {n: '0.5'}\ncondition: s", { n: 0.5 })).toBe(true);
    expect(matches("s: {readOnly: 'false'}\ncondition: s", stopLogging)).toBe(true);
  });
});

describe('null and exists (items 16–17)', () => {
  it('16: field: null holds when the field is missing or JSON null', () => {
    expect(matches('s: {errorCode: null}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {responseElements: null}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {errorCode: null}\ncondition: s', { ...stopLogging, errorCode: 'AccessDenied' })).toBe(false);
  });

  it('16: an empty string is not null', () => {
    expect(matches('s: {errorCode: null}\ncondition: s', { ...stopLogging, errorCode: '' })).toBe(false);
    expect(matches("s: {errorCode: ''}\ncondition: s", { ...stopLogging, errorCode: '' })).toBe(true);
  });

  it('17: |exists checks the key, whatever its value (null included)', () => {
    expect(matches('s: {responseElements|exists: true}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {errorCode|exists: true}\ncondition: s', stopLogging)).toBe(false);
    expect(matches('s: {errorCode|exists: false}\ncondition: s', stopLogging)).toBe(true);
    expect(matches('s: {userIdentity.userName|exists: true}\ncondition: s', stopLogging)).toBe(true);
  });
});

describe('two-valued logic (item 30)', () => {
  it('30: an item on a missing field is false, so its negation is true', () => {
    const detection = "selection: {eventName: CreateInstanceExportTask}\nfilter1: {errorMessage|contains: '*'}\nfilter2: {errorCode|contains: '*'}\ncondition: selection and not 1 of filter*";
    const ok = { eventName: 'CreateInstanceExportTask', responseElements: { exportTask: { state: 'active' } } };
    expect(matches(detection, ok)).toBe(true);
    expect(matches(detection, { ...ok, errorCode: 'AccessDenied', errorMessage: 'no' })).toBe(false);
  });
});

describe('what each field test offers the SQL compiler', () => {
  function only(yaml: string): FieldTest {
    const tests = fieldTests(compileYaml(yaml).predicate);
    expect(tests).toHaveLength(1);
    return tests[0];
  }

  it('names the field as written and describes the item', () => {
    const t = only('s: {eventName|contains: Trail}\ncondition: s');
    expect(t.field).toBe('eventName');
    expect(t.describe).toBe('eventName|contains = "Trail"');
    expect(only('s: {eventName: [A, B]}\ncondition: s').describe).toBe('eventName = any of ["A", "B"]');
    expect(only('s: {errorCode: null}\ncondition: s').describe).toBe('errorCode = null');
  });

  it('answers from the column value exactly as over the record', () => {
    const t = only('s: {eventName|startswith: UpdateFunctionConfiguration}\ncondition: s');
    expect(t.scalar?.('UpdateFunctionConfiguration20150331v2')).toBe(true);
    expect(t.scalar?.('CreateFunction')).toBe(false);
    expect(t.scalar?.(null)).toBe(false);
    const n = only('s: {errorCode: null}\ncondition: s');
    expect(n.scalar?.(null)).toBe(true);
    expect(n.scalar?.('AccessDenied')).toBe(false);
    expect(only("s: {readOnly: 'false'}\ncondition: s").scalar?.(false)).toBe(true);
  });

  it('cannot tell |exists on a null column (missing or JSON null), so it says undefined', () => {
    const t = only('s: {errorCode|exists: true}\ncondition: s');
    expect(t.scalar?.(null)).toBeUndefined();
    expect(t.scalar?.('AccessDenied')).toBe(true);
  });

  it('fills the declarative form where it maps', () => {
    expect(only('s: {eventName: [StopLogging, DeleteTrail]}\ncondition: s').form).toEqual({ op: 'equals', values: ['StopLogging', 'DeleteTrail'], caseInsensitive: true });
    expect(only('s: {userAgent|contains: S3 Browser}\ncondition: s').form).toEqual({ op: 'wildcard', patterns: [[{ any: 'many' }, 'S3 Browser', { any: 'many' }]], caseInsensitive: true });
    expect(only("s: {userIdentity.arn|re|i: '.+:assumed-role/aws:.+'}\ncondition: s").form).toEqual({ op: 'regex', patterns: ['.+:assumed-role/aws:.+'], flags: 'i' });
    expect(only('s: {sourceIPAddress|cidr: 10.0.0.0/8}\ncondition: s').form).toEqual({ op: 'cidr', ranges: ['10.0.0.0/8'] });
    expect(only('s: {errorCode: null}\ncondition: s').form).toEqual({ op: 'null' });
    expect(only('s: {errorCode|exists: false}\ncondition: s').form).toEqual({ op: 'exists', value: false });
    expect(only('s: {n|gte: 5}\ncondition: s').form).toEqual({ op: 'compare', cmp: '>=', value: 5 });
    // |neq: the item's answer negated, true where the field is missing.
    expect(only('s: {eventName|neq: StopLogging}\ncondition: s').form).toEqual({ op: 'not', form: { op: 'equals', values: ['StopLogging'], caseInsensitive: true }, onMissing: true });
  });
});
