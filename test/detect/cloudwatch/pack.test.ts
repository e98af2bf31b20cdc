// The CIS monitoring pack (rules/cis): every file is well formed, carries the verbatim pattern of
// ../shared/specs/detections.md §1.2/§1.3, and its examples behave; every CIS and Security Hub pattern of the spec
// parses; Panther's CIS-tagged positives match the CIS rule they stand for (§5.2).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseFilterPattern } from '../../../src/detect/cloudwatch/compile.js';
import { describe as describePredicate, evaluate } from '../../../src/detect/predicate.js';
import { loadRules } from '../../../src/detect/load.js';
import type { EventRule } from '../../../src/detect/rule.js';
import { corporaDir, hasCorpora, repoRoot } from '../../helpers/paths.js';
import { CIS_OLDER, CIS_V7, SECURITY_HUB } from './spec-patterns.js';

const packDir = path.join(repoRoot, 'rules', 'cis');
const files = fs.readdirSync(packDir).filter((f) => f.endsWith('.yml')).sort();
const loaded = loadRules([packDir], {
  compilers: {
    cloudwatch: parseFilterPattern,
    sigma: () => {
      throw new Error('rules/cis holds no Sigma rules');
    },
  },
});
const pack = new Map<string, EventRule>();
for (const r of loaded.rules) if (r.kind === 'event') pack.set(r.meta.id, r);
const byId = (id: string): EventRule => {
  const r = pack.get(id);
  if (!r) throw new Error(`rules/cis has no rule ${id}`);
  return r;
};
/** The raw document of a pack file (the loader keeps the compiled predicate, not the pattern text). */
const raw = (file: string) => YAML.parse(fs.readFileSync(path.join(packDir, file), 'utf8')) as { id: string; dialect: string; filterPattern: string };

const GROUPED_5_1 =
  '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }';

/** The pattern each shipped rule must carry. */
const EXPECTED: Record<string, string> = {
  ...Object.fromEntries(Object.entries(CIS_V7).map(([n, p]) => [`cis-aws-7.0-${n}`, p])),
  'cis-aws-7.0-5.1-grouped': GROUPED_5_1,
  'securityhub-cloudwatch-2': SECURITY_HUB['CloudWatch.2'],
  'securityhub-cloudwatch-10': SECURITY_HUB['CloudWatch.10'],
};

describe('every CIS and Security Hub pattern of the spec parses', () => {
  it.each(Object.entries({ ...CIS_V7, ...CIS_OLDER, ...SECURITY_HUB }))('%s', (_name, pattern) => {
    expect(() => parseFilterPattern(pattern)).not.toThrow();
  });

  it('Security Hub patterns equal the CIS v7 ones test for test, except CloudWatch.2, .3 and .10 (§1.4)', () => {
    const same = (a: string, b: string) => describePredicate(parseFilterPattern(a)) === describePredicate(parseFilterPattern(b));
    for (let n = 1; n <= 14; n++) {
      const sh = SECURITY_HUB[`CloudWatch.${n}`];
      if (n === 2) expect(same(sh, CIS_OLDER['5.1-v1.2'])).toBe(true);
      else if (n === 3) expect(same(sh, CIS_V7['5.2-sso'])).toBe(true);
      else if (n === 10) expect(same(sh, CIS_V7['5.10'])).toBe(false);
      else expect(same(sh, CIS_V7[`5.${n === 1 ? 3 : n}`]), `CloudWatch.${n}`).toBe(true);
    }
  });

  it('the v1.3–v1.5 all-OR 5.1 matches almost any event (why it is not shipped)', () => {
    const p = parseFilterPattern(CIS_OLDER['5.1-v1.4']);
    expect(evaluate(p, { eventName: 'DescribeInstances', sourceIPAddress: '203.0.113.24' })).toBe(true);
  });

  it('the 5.13 audit-step text guards only CreateRoute with the eventSource (why the remediation form is shipped)', () => {
    const p = parseFilterPattern(CIS_OLDER['5.13-audit']);
    expect(evaluate(p, { eventSource: 'example.amazonaws.com', eventName: 'CreateRoute' })).toBe(false);
    expect(evaluate(p, { eventSource: 'example.amazonaws.com', eventName: 'DeleteRoute' })).toBe(true);
  });
});

describe('rules/cis', () => {
  it('loads every file with the rule loader, nothing skipped', () => {
    expect(loaded.skipped).toEqual([]);
    expect(loaded.files).toBe(files.length);
    expect(loaded.rules).toHaveLength(files.length);
  });

  it('ships exactly CIS v7.0 5.1–5.15, the two variants and the two Security Hub forms that differ', () => {
    expect([...pack.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s is well formed and carries the verbatim pattern', (file) => {
    const doc = raw(file);
    expect(file).toBe(`${doc.id}.yml`);
    expect(doc.dialect).toBe('cloudwatch-filter');
    expect(doc.filterPattern).toBe(EXPECTED[doc.id]);
    const { meta, examples } = byId(doc.id);
    expect(meta).toMatchObject({ pack: 'cis', dialect: 'cloudwatch-filter', status: 'stable' });
    expect(meta.description?.length).toBeGreaterThan(50);
    expect(meta.author).toMatch(/packaged by trailhound$/);
    expect(meta.tags.length).toBeGreaterThan(0);
    for (const tag of meta.tags) expect(tag).toMatch(/^(cis\.aws-foundations\.v\d+\.\d+\.\d+\.\d+|securityhub\.CloudWatch\.\d+|attack\.[a-z0-9.-]+)$/);
    expect(meta.references.length).toBeGreaterThan(0);
    expect(meta.falsepositives.length).toBeGreaterThan(0);
    expect(examples.some((t) => t.expect)).toBe(true);
    expect(examples.some((t) => !t.expect)).toBe(true);
  });

  it.each(files)('%s: every example behaves', (file) => {
    const { predicate, examples } = byId(raw(file).id);
    for (const t of examples) {
      expect(typeof t.record.eventName, t.name).toBe('string');
      expect(evaluate(predicate, t.record), `${t.name} (line ${t.line})`).toBe(t.expect);
    }
  });

  it('CIS rules whose event list ignores errorCode show a failed call matching (CIS counts attempts)', () => {
    for (const n of [4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15]) {
      const { meta, examples } = byId(`cis-aws-7.0-5.${n}`);
      expect(examples.some((t) => t.expect && typeof t.record.errorCode === 'string'), meta.id).toBe(true);
      expect(meta.description).toContain('failed attempts');
    }
  });

  it('levels: root use is high, console sign-in failures and network changes low', () => {
    const level = (id: string) => byId(id).meta.level;
    expect(level('cis-aws-7.0-5.3')).toBe('high');
    expect(level('cis-aws-7.0-5.4')).toBe('medium');
    expect(level('cis-aws-7.0-5.6')).toBe('low');
    expect(level('cis-aws-7.0-5.1')).toBe('low');
    for (const n of [10, 11, 12, 13, 14]) expect(level(`cis-aws-7.0-5.${n}`)).toBe('low');
  });

  it('the grouped 5.1 matches a subset of the verbatim 5.1 on every example event of the pack', () => {
    const verbatim = byId('cis-aws-7.0-5.1').predicate;
    const grouped = byId('cis-aws-7.0-5.1-grouped').predicate;
    const events = [...pack.values()].flatMap((r) => r.examples.map((t) => t.record));
    for (const e of events) if (evaluate(grouped, e)) expect(evaluate(verbatim, e)).toBe(true);
    // Where they differ: an UnauthorizedOperation on HeadBucket is unguarded in the verbatim text only.
    const e = { errorCode: 'Client.UnauthorizedOperation', eventName: 'HeadBucket', sourceIPAddress: '203.0.113.24' };
    expect([evaluate(verbatim, e), evaluate(grouped, e)]).toEqual([true, false]);
  });
});

// Panther rules tagged with a CIS v1.2 monitoring control (3.x), and the pack rule each one stands for (§5.2).
// Panther's YAML `CIS: [3.10]` was read as the number 3.1, so the mapping goes by Panther rule id, not by number.
const PANTHER_TO_PACK: Record<string, string> = {
  'AWS.CloudTrail.UnauthorizedAPICall': 'cis-aws-7.0-5.1',
  'AWS.Console.LoginWithoutMFA': 'cis-aws-7.0-5.2',
  'AWS.Root.Activity': 'cis-aws-7.0-5.3',
  'AWS.IAM.PolicyModified': 'cis-aws-7.0-5.4',
  'AWS.CloudTrail.Stopped': 'cis-aws-7.0-5.5',
  'AWS.CloudTrail.Created': 'cis-aws-7.0-5.5',
  'AWS.KMS.CustomerManagedKeyLoss': 'cis-aws-7.0-5.7',
  'AWS.S3.BucketPolicyModified': 'cis-aws-7.0-5.8',
  'AWS.ConfigService.Created': 'cis-aws-7.0-5.9',
  'AWS.ConfigService.DisabledDeleted': 'cis-aws-7.0-5.9',
  'AWS.EC2.SecurityGroupModified': 'cis-aws-7.0-5.10',
  'AWS.EC2.NetworkACLModified': 'cis-aws-7.0-5.11',
  'AWS.EC2.GatewayModified': 'cis-aws-7.0-5.12',
  'AWS.EC2.RouteTableModified': 'cis-aws-7.0-5.13',
  'AWS.EC2.VPCModified': 'cis-aws-7.0-5.14',
};
/** CIS-tagged Panther rules that are not about the control's events, and why. */
const PANTHER_LOOSE: Record<string, string> = {
  'AWS.CloudTrail.EventSelectorsDisabled': 'tagged 3.5, but PutEventSelectors is not in the CIS 5.5 list',
  'AWS.Console.RootLogin': 'tagged 3.6 (authentication failures), but it flags successful root sign-ins',
  'AWS.Console.RootLoginFailed': 'tagged 3.6; its hand-written failure lacks the errorMessage "Failed authentication" that CIS 5.6 tests',
  'AWS.ECR.CRUD': 'tagged 3.12 (network gateways), but it is about ECR repositories',
  'AWS.LAMBDA.CRUD': 'tagged 3.12 (network gateways), but it is about Lambda functions',
};

interface PantherRule {
  rule_id: string;
  reports?: { CIS?: Array<number | string> };
  tests: Array<{ name: string; expected: boolean; log: Record<string, unknown> }>;
}

if (!hasCorpora) console.warn(`skipping the Panther CIS positives: ${corporaDir} is absent`);

describe.skipIf(!hasCorpora)('Panther CIS-tagged positives (../shared/corpora, §5.2)', () => {
  const dir = path.join(corporaDir, 'panther-aws-cloudtrail-tests', 'rules');
  const panther = hasCorpora
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as PantherRule)
    : [];
  const monitoring = panther.filter((r) => (r.reports?.CIS ?? []).some((c) => String(c).startsWith('3.')));

  it('every Panther rule tagged with a CIS 3.x control is mapped or set aside with a reason', () => {
    expect(monitoring.map((r) => r.rule_id).sort()).toEqual([...Object.keys(PANTHER_TO_PACK), ...Object.keys(PANTHER_LOOSE)].sort());
  });

  it.each(Object.entries(PANTHER_TO_PACK))('%s positives match %s', (pantherId, packId) => {
    const rule = panther.find((r) => r.rule_id === pantherId);
    expect(rule).toBeDefined();
    const positives = rule?.tests.filter((t) => t.expected) ?? [];
    expect(positives.length).toBeGreaterThan(0);
    const { predicate } = byId(packId);
    for (const t of positives) expect(evaluate(predicate, t.log), t.name).toBe(true);
  });
});

describe.skipIf(!hasCorpora)("Panther's compromised-root-credentials story (../shared/corpora)", () => {
  it('the pack flags the sign-ins, the root activity, the policy grants and the failed StopLogging', () => {
    const dir = path.join(corporaDir, 'panther-aws-cloudtrail-tests', 'test_scenarios', 'compromised-root-creds');
    const read = (f: string) => (JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { Records: Array<Record<string, unknown>> }).Records;
    const records = [...read('victim_cloudtrail.records.json'), ...read('attacker_cloudtrail.records.json')];
    const hits: Record<string, string[]> = {};
    for (const [id, rule] of pack) {
      const matched = records.filter((r) => evaluate(rule.predicate, r)).map((r) => `${String(r.eventName)} ${String(r.sourceIPAddress)}`);
      if (matched.length) hits[id] = matched;
    }
    const legit = '71.253.251.71';
    const attacker = '92.55.146.245';
    expect(hits).toEqual({
      // Root signs in without MFA: the owner three times, then the attacker's three failures and one success.
      'cis-aws-7.0-5.2': [...Array(3).fill(`ConsoleLogin ${legit}`), ...Array(4).fill(`ConsoleLogin ${attacker}`)],
      // Every root action, legitimate or not; RunInstances by the attacker's new IAM user is not root.
      'cis-aws-7.0-5.3': [
        `ConsoleLogin ${legit}`,
        `SetContactAddress ${legit}`,
        `ConsoleLogin ${legit}`,
        `ConsoleLogin ${legit}`,
        ...Array(4).fill(`ConsoleLogin ${attacker}`),
        ...['StopLogging', 'CreateAccessKey', 'CreateUser', 'AttachUserPolicy', 'AttachUserPolicy', 'AttachUserPolicy', 'CreateAccessKey'].map((n) => `${n} ${attacker}`),
      ],
      'cis-aws-7.0-5.4': Array(3).fill(`AttachUserPolicy ${attacker}`),
      // StopLogging failed (NotOrganizationMasterAccountException): still an attempt to blind the trail.
      'cis-aws-7.0-5.5': [`StopLogging ${attacker}`],
      // No 5.6: the story's hand-written failed sign-ins carry no errorMessage "Failed authentication".
    });
  });
});
