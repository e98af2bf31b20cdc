// Every Sigma value modifier (detections spec §3.5 items 18–23a) and the rules for chaining them.
import { describe, expect, it } from 'vitest';
import { compileYaml, matches } from './helpers.js';

const m = (item: string, record: Record<string, unknown>, placeholders?: Record<string, string[]>) =>
  matches(`s: {${item}}\ncondition: s`, record, placeholders ? { placeholders: new Map(Object.entries(placeholders)) } : undefined);

describe('contains, startswith, endswith (item 18)', () => {
  it('contains matches anywhere, startswith at the start, endswith at the end', () => {
    const r = { ua: 'S3 Browser 9.5.5 https://s3browser.com' };
    expect(m('ua|contains: browser 9', r)).toBe(true);
    expect(m('ua|startswith: s3 browser', r)).toBe(true);
    expect(m('ua|startswith: browser', r)).toBe(false);
    expect(m('ua|endswith: .COM', r)).toBe(true);
    expect(m('ua|endswith: s3browser', r)).toBe(false);
  });

  it('contains: "*" stays "*": any non-null value, the empty string included', () => {
    expect(m("v|contains: '*'", { v: '' })).toBe(true);
    expect(m("v|contains: '*'", { v: null })).toBe(false);
    expect(m("v|contains: '*'", {})).toBe(false);
    expect(m("v|contains: '*'", { v: [] })).toBe(false);
    expect(m("v|contains: '*'", { v: ['arn:aws:lambda:us-east-1:123456789012:layer:x:1'] })).toBe(true);
  });

  it('keeps the wildcards a value already has and an escaped star stays literal', () => {
    expect(m("v|contains: 'a*b'", { v: 'xxaQQbyy' })).toBe(true);
    expect(m(String.raw`v|endswith: '\*'`, { v: 'abc*' })).toBe(true);
    expect(m(String.raw`v|endswith: '\*'`, { v: 'abc' })).toBe(false);
  });
});

describe('re and its flags (item 19)', () => {
  it('re is an unanchored, case-sensitive search', () => {
    expect(m("arn|re: ':assumed-role/aws:'", { arn: 'arn:aws:sts::1:assumed-role/aws:ec2-instance/i-0abc' })).toBe(true);
    expect(m("arn|re: ':ASSUMED-ROLE/'", { arn: 'arn:aws:sts::1:assumed-role/aws:ec2-instance/i-0abc' })).toBe(false);
    expect(m("arn|re: '^arn:aws:iam'", { arn: 'arn:aws:sts::1:assumed-role/x' })).toBe(false);
  });

  it('i ignores case, m makes ^ and $ match at lines, s lets . match newlines', () => {
    expect(m("v|re|i: 'ASSUMED'", { v: 'assumed' })).toBe(true);
    expect(m("v|re|ignorecase: 'ASSUMED'", { v: 'assumed' })).toBe(true);
    expect(m("v|re: '^b$'", { v: 'a\nb' })).toBe(false);
    expect(m("v|re|m: '^b$'", { v: 'a\nb' })).toBe(true);
    expect(m("v|re|multiline: '^b$'", { v: 'a\nb' })).toBe(true);
    expect(m("v|re: 'a.b'", { v: 'a\nb' })).toBe(false);
    expect(m("v|re|s: 'a.b'", { v: 'a\nb' })).toBe(true);
    expect(m("v|re|dotall: 'a.b'", { v: 'a\nb' })).toBe(true);
  });

  it('re with contains/startswith/endswith wraps the expression in .* as pySigma does', () => {
    const t = compileYaml("s: {v|re|startswith: 'a|b'}\ncondition: s").predicate;
    expect(t.kind === 'field' && t.form).toEqual({ op: 'regex', patterns: ['(?:a|b).*'], flags: '' });
    const c = compileYaml("s: {v|re|contains: '^x$'}\ncondition: s").predicate;
    expect(c.kind === 'field' && c.form).toEqual({ op: 'regex', patterns: ['^x$'], flags: '' });
    expect(m("v|re|endswith: 'b'", { v: 'ab' })).toBe(true);
  });

  it('re must come first, and its flags after it', () => {
    expect(() => compileYaml("s: {v|contains|re: 'a'}\ncondition: s")).toThrow('modifier "re" applies to an unmodified string');
    expect(() => compileYaml("s: {v|i|re: 'a'}\ncondition: s")).toThrow('modifier "i" applies to a regular expression (write "|re" before it)');
  });
});

describe('fieldref (item 20)', () => {
  const record = { userIdentity: { arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice' }, requestParameters: { userName: 'ALICE' } };

  it('is true when the two fields hold the same value (case-insensitively)', () => {
    expect(m('userIdentity.userName|fieldref: requestParameters.userName', record)).toBe(true);
    expect(m('userIdentity.arn|fieldref: requestParameters.userName', record)).toBe(false);
  });

  it('combines with contains, startswith, endswith and cased', () => {
    expect(m('userIdentity.arn|fieldref|contains: requestParameters.userName', record)).toBe(true);
    expect(m('userIdentity.arn|fieldref|endswith: requestParameters.userName', record)).toBe(true);
    expect(m('userIdentity.arn|fieldref|startswith: requestParameters.userName', record)).toBe(false);
    expect(m('userIdentity.userName|fieldref|cased: requestParameters.userName', record)).toBe(false);
  });

  it('is false when either side is missing', () => {
    expect(m('userIdentity.userName|fieldref: requestParameters.nobody', record)).toBe(false);
    expect(m('userIdentity.nobody|fieldref: requestParameters.userName', record)).toBe(false);
  });

  it('is a record test without a column answer, and refuses wildcards in the reference', () => {
    const p = compileYaml('s: {userIdentity.arn|fieldref: requestParameters.userName}\ncondition: s').predicate;
    expect(p.kind).toBe('record');
    expect(p.kind === 'record' && p.describe).toBe('userIdentity.arn|fieldref = "requestParameters.userName"');
    expect(() => compileYaml("s: {a|fieldref: 'b*'}\ncondition: s")).toThrow('a field reference may not contain wildcards: "b*"');
    expect(() => compileYaml("s: {a|contains|fieldref: 'b'}\ncondition: s")).toThrow('a field reference may not contain wildcards');
  });
});

describe('all (item 21)', () => {
  it('with one value all changes nothing; with several every value must match', () => {
    expect(m('v|contains|all: [abc]', { v: 'xabcx' })).toBe(true);
    expect(m('v|all|contains: [a, c]', { v: 'abc' })).toBe(true);
    expect(m('v|contains|all: [a, d]', { v: 'abc' })).toBe(false);
  });
});

describe('expand (item 22)', () => {
  it('replaces %name% with each of the placeholder values (OR)', () => {
    const ph = { Legitimate_Countries: ['DE', 'FR'] };
    expect(m("src_country|expand: '%Legitimate_Countries%'", { src_country: 'fr' }, ph)).toBe(true);
    expect(m("src_country|expand: '%Legitimate_Countries%'", { src_country: 'RU' }, ph)).toBe(false);
  });

  it('keeps the text around the placeholder and reads the values as Sigma strings', () => {
    const ph = { Domain: ['example.*'] };
    expect(m("host|expand: 'www.%Domain%'", { host: 'www.example.org' }, ph)).toBe(true);
    expect(m("host|expand|endswith: '.%Domain%'", { host: 'api.example.com' }, ph)).toBe(true);
  });

  it('a backslash-escaped percent is a literal percent', () => {
    expect(m(String.raw`v|expand: '100\%'`, { v: '100%' }, {})).toBe(true);
  });

  it('rejects the rule when a placeholder has no values', () => {
    expect(() => compileYaml("s: {src_ip|expand: '%Legitimate_IP_Ranges%'}\ncondition: s")).toThrow(
      'unresolved placeholder %Legitimate_IP_Ranges%: supply its values with --placeholder Legitimate_IP_Ranges=value1,value2',
    );
  });
});

describe('the extra modifiers (item 23)', () => {
  it('cased makes the match case-sensitive', () => {
    expect(m('v|cased: Admin', { v: 'Admin' })).toBe(true);
    expect(m('v|cased: Admin', { v: 'admin' })).toBe(false);
    expect(m('v|contains|cased: dmi', { v: 'ADMIN' })).toBe(false);
  });

  it('cidr: IPv4 and IPv6 containment; non-addresses never match', () => {
    expect(m('ip|cidr: 10.0.0.0/8', { ip: '10.20.30.40' })).toBe(true);
    expect(m('ip|cidr: 10.0.0.0/8', { ip: '11.0.0.1' })).toBe(false);
    expect(m('ip|cidr: [192.168.0.0/16, "2001:db8::/32"]', { ip: '2001:db8::1' })).toBe(true);
    expect(m('ip|cidr: 10.0.0.0/8', { ip: 'AWS Internal' })).toBe(false);
    expect(m('ip|cidr: 10.0.0.0/8', { ip: 'ec2.amazonaws.com' })).toBe(false);
  });

  it('lt, lte, gt, gte compare numbers; non-numbers never match', () => {
    expect(m('n|lt: 10', { n: 9 })).toBe(true);
    expect(m('n|lt: 10', { n: 10 })).toBe(false);
    expect(m('n|lte: 10', { n: 10 })).toBe(true);
    expect(m('n|gt: 1.5', { n: '2' })).toBe(true);
    expect(m('n|gte: 2', { n: 1 })).toBe(false);
    expect(m('n|gt: 1', { n: 'many' })).toBe(false);
    expect(() => compileYaml('s: {n|gt: many}\ncondition: s')).toThrow('modifier "gt" applies to an unmodified number, not to "many"');
  });

  it('neq negates the item (so a missing field satisfies it)', () => {
    expect(m('eventName|neq: StopLogging', { eventName: 'DeleteTrail' })).toBe(true);
    expect(m('eventName|neq: StopLogging', { eventName: 'stoplogging' })).toBe(false);
    expect(m('eventName|neq: StopLogging', {})).toBe(true);
  });

  it('windash tries every dash form of a leading - or /', () => {
    expect(m("cmd|windash|contains: ' -enc '", { cmd: 'powershell /enc AAA' })).toBe(true);
    expect(m("cmd|windash|contains: ' -enc '", { cmd: 'powershell \u2013enc AAA' })).toBe(true);
    expect(m("cmd|windash|contains: ' -enc '", { cmd: 'powershell enc AAA' })).toBe(false);
  });

  it('base64 encodes the value; base64offset matches it at any byte offset', () => {
    expect(m('v|base64: secret', { v: 'c2VjcmV0' })).toBe(true);
    const encoded = (s: string) => Buffer.from(s).toString('base64');
    for (const text of ['secret', 'xsecret here', 'xxsecret!', 'xxxsecret']) {
      expect(m('v|base64offset|contains: secret', { v: encoded(text) })).toBe(true);
    }
    expect(m('v|base64offset|contains: secret', { v: encoded('public') })).toBe(false);
    expect(() => compileYaml("s: {v|base64: 'a*'}\ncondition: s")).toThrow('modifier "base64" cannot encode a value with wildcards: "a*"');
  });

  it('wide / utf16le, utf16be and utf16 (with BOM) encode as UTF-16 before base64', () => {
    const le = (s: string) => Buffer.from(s, 'utf16le').toString('base64');
    expect(m('v|wide|base64: Invoke', { v: le('Invoke') })).toBe(true);
    expect(m('v|utf16le|base64: Invoke', { v: le('Invoke') })).toBe(true);
    expect(m('v|utf16be|base64: Hi', { v: Buffer.from([0, 0x48, 0, 0x69]).toString('base64') })).toBe(true);
    expect(m('v|utf16|base64: Hi', { v: Buffer.from([0xff, 0xfe, 0x48, 0, 0x69, 0]).toString('base64') })).toBe(true);
    expect(m('v|wide|base64offset|contains: Invoke', { v: le('x = Invoke-Thing') })).toBe(true);
  });
});

describe('chaining and type rules (item 23a)', () => {
  it('cidr must be the only value modifier', () => {
    expect(() => compileYaml('s: {ip|contains|cidr: 10.0.0.0/8}\ncondition: s')).toThrow('modifier "cidr" applies to an unmodified string and must be the only modifier');
    expect(() => compileYaml('s: {ip|cidr|contains: 10.0.0.0/8}\ncondition: s')).toThrow('modifier "contains" applies to a string, a regular expression or a field reference, not to CIDR 10.0.0.0/8');
    expect(() => compileYaml('s: {ip|cidr: 10.0.0.0/33}\ncondition: s')).toThrow('invalid CIDR range "10.0.0.0/33"');
  });

  it('exists takes a boolean, a field, and no other value modifier', () => {
    expect(() => compileYaml("s: {f|exists: 'yes'}\ncondition: s")).toThrow('modifier "exists" applies to true or false');
    expect(() => compileYaml('s: {f|exists|contains: true}\ncondition: s')).toThrow('not to exists true');
    expect(() => compileYaml('s: {"|exists": true}\ncondition: s')).toThrow('modifier "exists" needs a field');
  });

  it('cased applies to strings, not regular expressions', () => {
    expect(() => compileYaml("s: {v|re|cased: 'a'}\ncondition: s")).toThrow('modifier "cased" applies to a string or a field reference, not to regular expression /a/');
  });

  it('expansion alternatives are OR-ed and later modifiers apply to each', () => {
    expect(m("cmd|windash|endswith: '-x'", { cmd: 'tool /x' })).toBe(true);
    expect(m("cmd|windash|endswith: '-x'", { cmd: 'tool -x --more' })).toBe(false);
  });

  it('all may stand anywhere and only switches the linking', () => {
    expect(m('v|contains|all: [a, b]', { v: 'ab' })).toBe(m('v|all|contains: [a, b]', { v: 'ab' }));
    expect(m('v|contains|all: [a, z]', { v: 'ab' })).toBe(false);
  });

  it('a modifier on null rejects the rule', () => {
    expect(() => compileYaml('s: {v|contains: null}\ncondition: s')).toThrow('modifier "contains" applies to a string, a regular expression or a field reference, not to null');
  });
});
