// Loading rule folders: every rule that cannot be used is reported with its file, the line of what is wrong and
// why, and every other rule still loads (bad YAML, a missing id/title/level, a logsource other than aws/cloudtrail,
// status unsupported, an unknown modifier, a malformed condition or filter pattern, a duplicate id, a bad entry in
// an X.tests.yml file). Numbers keep their source text (1.10 is not 1.1); a file may hold several rules.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/detect/predicate.js';
import { loadRules, type LoadResult } from '../../../src/detect/load.js';
import { COMPILERS } from '../../../src/detect/compilers.js';
import type { EventRule } from '../../../src/detect/rule.js';
import { event, load, ruleFolder, sigmaRule } from './engine-case.js';

const good = (id: string) => sigmaRule(id, '  sel:\n    eventName: StopLogging\n  condition: sel');

/** Line (1-based) of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in the text`);
  return i + 1;
}

const FILES: Record<string, string> = {
  'a-good.yml': good('good-1'),
  'bad-yaml.yml': 'title: Broken\nid: broken\nlevel: high\ndetection:\n  sel:\n    eventName: [StopLogging\n  condition: sel\n',
  'no-id.yml': 'title: No id\nlevel: high\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: X\n  condition: sel\n',
  'no-title.yml': 'id: no-title\nlevel: high\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: X\n  condition: sel\n',
  'no-level.yml': 'title: No level\nid: no-level\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  sel:\n    eventName: X\n  condition: sel\n',
  'bad-level.yml': 'title: Bad level\nid: bad-level\nlogsource:\n  product: aws\n  service: cloudtrail\nlevel: severe\ndetection:\n  sel:\n    eventName: X\n  condition: sel\n',
  'windows.yml': 'title: Windows\nid: windows\nlevel: high\nlogsource:\n  product: windows\n  service: security\ndetection:\n  sel:\n    EventID: 4624\n  condition: sel\n',
  'unsupported.yml': `${good('unsupported-1')}status: unsupported\n`.replace('status: test\n', ''),
  'modifier.yml': sigmaRule('modifier-1', '  sel:\n    eventName|frobnicate: StopLogging\n  condition: sel'),
  'condition.yml': sigmaRule('condition-1', '  sel:\n    eventName: StopLogging\n  condition: sel and ('),
  'filter.yml': 'title: Bad filter\nid: filter-1\nlevel: high\ndialect: cloudwatch-filter\nfilterPattern: \'{ $.eventName = "StopLogging" && }\'\n',
  'dup.yml': good('good-1'),
  'not-a-rule.yml': 'title: Just metadata\nid: meta-only\nlevel: low\n',
  'with-examples.yml': good('examples-1'),
  'with-examples.tests.yml': '- name: stops\n  match: true\n  event: {eventName: StopLogging}\n- name: no verdict\n  event: {eventName: StartLogging}\n',
  'multi.yml': `${good('multi-1')}---\n${sigmaRule('multi-bad', '  sel:\n    eventName|nope: X\n  condition: sel')}---\n${good('multi-3')}`,
  'z-good.yml': good('good-2'),
};

describe('loading a folder of rules with every kind of problem', () => {
  let r: LoadResult;
  const skip = (file: string) => r.skipped.filter((s) => path.basename(s.path) === file);

  beforeAll(() => {
    r = load(ruleFolder(FILES));
  });

  it('the usable rules all load, in file order', () => {
    expect(r.rules.map((x) => x.meta.id)).toEqual(['good-1', 'multi-1', 'multi-3', 'examples-1', 'good-2']);
  });

  it.each([
    ['bad-yaml.yml', lineOf(FILES['bad-yaml.yml'], 'condition'), /^YAML: /],
    ['no-id.yml', 1, /has no id/],
    ['no-title.yml', 1, /has no title/],
    ['no-level.yml', 1, /level must be one of informational, low, medium, high, critical, not null/],
    ['bad-level.yml', lineOf(FILES['bad-level.yml'], 'level:'), /level must be one of .*not "severe"/],
    ['windows.yml', lineOf(FILES['windows.yml'], 'logsource:'), /logsource is not \{product: aws, service: cloudtrail\}/],
    ['unsupported.yml', lineOf(FILES['unsupported.yml'], 'status:'), /status unsupported: not run/],
    ['modifier.yml', lineOf(FILES['modifier.yml'], 'frobnicate'), /frobnicate/],
    ['condition.yml', lineOf(FILES['condition.yml'], 'condition:'), /^condition: /],
    ['filter.yml', lineOf(FILES['filter.yml'], 'filterPattern:'), /^filterPattern: .*offset/],
    ['dup.yml', 1, /duplicate rule id \(first loaded from .*a-good\.yml:1\)/],
    ['not-a-rule.yml', 1, /not a rule/],
    ['with-examples.tests.yml', lineOf(FILES['with-examples.tests.yml'], 'no verdict'), /^examples: a test needs match: true or match: false/],
    ['multi.yml', lineOf(FILES['multi.yml'], 'eventName|nope'), /nope/],
  ])('%s is skipped at line %i with the reason', (file, line, reason) => {
    const s = skip(file);
    expect(s).toHaveLength(1);
    expect(s[0].line).toBe(line);
    expect(s[0].reason).toMatch(reason);
    expect(s[0].path.endsWith(path.join('mine', file))).toBe(true);
  });

  it('nothing else is skipped', () => {
    expect(r.skipped).toHaveLength(14);
  });

  it('a skipped rule is reported with its id when it has one', () => {
    expect(skip('windows.yml')[0].id).toBe('windows');
    expect(skip('no-id.yml')[0].id).toBeNull();
  });

  it('rules after a bad document in the same file keep their own line', () => {
    const multi3 = r.rules.find((x) => x.meta.id === 'multi-3')!;
    expect(multi3.meta.location.line).toBe(lineOf(FILES['multi.yml'], 'title: Rule multi-3'));
  });
});

describe('what a loaded rule keeps', () => {
  it('numbers keep their source text: 1.10 matches "1.10", not "1.1"; 0022 is not 22', () => {
    const r = load(ruleFolder({ 'n.yml': sigmaRule('n', '  sel:\n    eventVersion: 1.10\n  port:\n    requestParameters.port: 0022\n  condition: sel or port') })).rules[0] as EventRule;
    expect(evaluate(r.predicate, event({ eventVersion: '1.10' }))).toBe(true);
    expect(evaluate(r.predicate, event({ eventVersion: '1.1' }))).toBe(false);
    expect(evaluate(r.predicate, event({ eventVersion: '1.09', requestParameters: { port: '0022' } }))).toBe(true);
    expect(evaluate(r.predicate, event({ eventVersion: '1.09', requestParameters: { port: 22 } }))).toBe(false);
  });

  it('examples keep CloudTrail numbers as numbers (and strings that only look like numbers as strings)', () => {
    const text = `${sigmaRule('ex', '  sel:\n    requestParameters.maxResults: 1000\n  condition: sel')}tests:\n  - name: number\n    match: true\n    event: {requestParameters: {maxResults: 1000}}\n`;
    const r = load(ruleFolder({ 'ex.yml': text })).rules[0];
    expect(r.examples[0].records[0]).toEqual({ requestParameters: { maxResults: 1000 } });
    expect(r.examples[0].line).toBe(lineOf(text, '- name: number'));
  });

  it('metadata: author, tags, fields, pack (the folder name) and the unquoted NO of YAML 1.1 stays a string', () => {
    const text = `${sigmaRule('m', "  sel:\n    eventName: 'NO'\n  other:\n    awsRegion: NO\n  condition: sel or other")}tags:\n  - attack.t1562.008\nfields:\n  - requestParameters.name\n`;
    const r = load(ruleFolder({ 'm.yml': text }, 'mypack')).rules[0] as EventRule;
    expect(r.meta).toMatchObject({ author: 'Tester', tags: ['attack.t1562.008'], fields: ['requestParameters.name'], pack: 'mypack', dialect: 'sigma' });
    expect(evaluate(r.predicate, event({ awsRegion: 'NO' }))).toBe(true);
  });

  it('placeholder values are part of the hash: other values re-evaluate the rule, the same ones do not', () => {
    const text = sigmaRule('ph', "  sel:\n    eventName: ConsoleLogin\n  ok:\n    sourceIPAddress|expand: '%Allowed%'\n  condition: sel and not ok");
    const dir = ruleFolder({ 'ph.yml': text });
    const withValues = (v: string[]) => loadRules([dir], { compilers: COMPILERS, placeholders: new Map([['Allowed', v], ['Unused', ['x']]]) }).rules[0];
    expect(withValues(['10.0.0.1']).hash).toBe(withValues(['10.0.0.1']).hash);
    expect(withValues(['10.0.0.1']).hash).not.toBe(withValues(['10.0.0.2']).hash);
    expect(evaluate((withValues(['10.0.0.1']) as EventRule).predicate, event({ eventName: 'ConsoleLogin', sourceIPAddress: '10.0.0.2' }))).toBe(true);
    expect(evaluate((withValues(['10.0.0.1', '10.0.0.2']) as EventRule).predicate, event({ eventName: 'ConsoleLogin', sourceIPAddress: '10.0.0.2' }))).toBe(false);
  });

  it('the hash changes with the rule text, and only then', () => {
    const a = load(ruleFolder({ 'h.yml': good('h') })).rules[0];
    const b = load(ruleFolder({ 'h.yml': good('h') })).rules[0];
    const c = load(ruleFolder({ 'h.yml': good('h').replace('StopLogging', 'DeleteTrail') })).rules[0];
    expect(a.hash).toBe(b.hash);
    expect(c.hash).not.toBe(a.hash);
  });
});

describe('a YAML syntax error in one document of a multi-document file', () => {
  // Regression test (a bug found in review, now fixed): src/detect/yaml-docs.ts readYamlDocs returns no documents at all when any document of the file has a
  // syntax error, so the good rules before and after it in the same file are dropped without being listed as
  // skipped (only the error line is). Issue 11: "bad rules are reported with file, line and reason … and the
  // other rules still run". Fix: collect errors per document and return the documents without errors (the yaml
  // package's parseAllDocuments gives each Document its own `errors`).
  it('leaves the other documents of the file loading', () => {
    const text = `${good('doc-1')}---\ntitle: Broken\nid: doc-2\ndetection: [unclosed\n---\n${good('doc-3')}`;
    const r = load(ruleFolder({ 'multi.yml': text }));
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0].reason).toMatch(/^YAML: /);
    expect(r.skipped[0].line).toBeGreaterThanOrEqual(lineOf(text, 'detection: [unclosed'));
    expect(r.rules.map((x) => x.meta.id)).toEqual(['doc-1', 'doc-3']);
  });
});

describe('a hostile rule that breaks the compiler', () => {
  // Regression test (a bug found in review, now fixed): src/detect/load.ts loadRules rethrows every error that is not a RuleError, so one rule whose condition is
  // nested a few thousand parentheses deep (RangeError: Maximum call stack size exceeded in sigma/condition.ts
  // parseOr/parseAnd) aborts loading every rule, and `trailhound detect` with it. Fix: in loadRules, turn any
  // error from ruleOf into a skipped entry ("cannot compile: …") instead of rethrowing; and give the condition
  // parser a depth limit (a RuleError with the offset).
  it('is skipped with its file and line; the other rules still load', () => {
    const deep = sigmaRule('deep', `  sel:\n    eventName: X\n  condition: ${'('.repeat(5000)}sel${')'.repeat(5000)}`);
    let r: LoadResult | undefined;
    expect(() => (r = load(ruleFolder({ 'a.yml': good('fine'), 'deep.yml': deep })))).not.toThrow();
    expect(r?.rules.map((x) => x.meta.id)).toEqual(['fine']);
    expect(r?.skipped.map((s) => [path.basename(s.path), s.line])).toEqual([['deep.yml', lineOf(deep, 'condition:')]]);
  });
});
