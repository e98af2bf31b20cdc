// The shipped SigmaHQ rules (rules/sigma): all 57 compile, the placeholder rule needs its placeholders, every rule
// carries a matching and a non-matching example and behaves as its examples say, and the Panther positives whose
// event a SigmaHQ rule names make that rule fire (../shared/corpora; skipped with a message when absent).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFilterPattern } from '../../../src/detect/cloudwatch/compile.js';
import { loadRules, type LoadOptions } from '../../../src/detect/load.js';
import { evaluate, type Predicate } from '../../../src/detect/predicate.js';
import type { EventRule } from '../../../src/detect/rule.js';
import { compileSigmaDetection } from '../../../src/detect/sigma/compile.js';
import { RuleError } from '../../../src/model/errors.js';
import { corporaDir, hasCorpora } from '../../helpers/paths.js';
import { examplesOf, shippedRules, sigmaRulesDir } from './helpers.js';

const rules = shippedRules('cloudtrail');
const compiled = new Map(rules.map((r) => [path.basename(r.file, '.yml'), compileSigmaDetection(r.doc.detection)]));

describe('the SigmaHQ aws/cloudtrail rules', () => {
  it('ships all 57, unmodified, with the licence and the README', () => {
    expect(rules).toHaveLength(57);
    const dir = path.dirname(rules[0].file);
    for (const f of ['LICENSE', 'LICENSE.Detection.Rules.md', 'README.md']) expect(fs.existsSync(path.join(dir, '..', f))).toBe(true);
    if (hasCorpora) {
      const upstream = path.join(corporaDir, 'sigma-aws-cloudtrail/rules/cloud/aws/cloudtrail');
      for (const r of rules) expect(fs.readFileSync(r.file, 'utf8')).toBe(fs.readFileSync(path.join(upstream, path.basename(r.file)), 'utf8'));
    }
  });

  it('all 57 compile without an error or a warning', () => {
    for (const [name, c] of compiled) expect({ name, warnings: c.warnings }).toEqual({ name, warnings: [] });
  });

  it('every rule has at least one matching and one non-matching example', () => {
    for (const r of rules) {
      const examples = examplesOf(r.file);
      const name = path.basename(r.file);
      expect({ name, match: examples.some((e) => e.match) }).toEqual({ name, match: true });
      expect({ name, nonMatch: examples.some((e) => !e.match) }).toEqual({ name, nonMatch: true });
    }
  });

});

describe('rules/sigma through the rule loader', () => {
  const compilers: LoadOptions['compilers'] = { sigma: compileSigmaDetection, cloudwatch: parseFilterPattern };
  const loaded = loadRules([sigmaRulesDir], { compilers });
  const byFile = new Map(loaded.rules.map((r) => [path.basename(r.meta.location.path, '.yml'), r as EventRule]));

  it('loads the 57 rules with their authors and skips the placeholder rule, naming the placeholder', () => {
    expect(loaded.rules).toHaveLength(57);
    expect(loaded.rules.every((r) => r.kind === 'event' && r.meta.pack === 'sigma' && r.meta.author)).toBe(true);
    expect(loaded.skipped.map((s) => [path.basename(s.path), s.line, s.reason])).toEqual([
      ['aws_cloudtrail_console_login_success_from_susp_locations.yml', 25, expect.stringContaining('unresolved placeholder %Legitimate_Countries%')],
    ]);
  });

  it('loads all 58 when the placeholders have values', () => {
    const placeholders = new Map([
      ['Legitimate_Countries', ['DE']],
      ['Legitimate_IP_Ranges', ['203.0.113.*']],
    ]);
    const all = loadRules([sigmaRulesDir], { compilers, placeholders });
    expect({ loaded: all.rules.length, skipped: all.skipped }).toEqual({ loaded: 58, skipped: [] });
  });

  describe.each(rules.map((r) => [path.basename(r.file, '.yml')]))('%s', (name) => {
    it('behaves as its examples say', () => {
      const rule = byFile.get(name) as EventRule;
      expect(rule.examples.length).toBe(examplesOf(path.join(sigmaRulesDir, 'cloudtrail', `${name}.yml`)).length);
      for (const example of rule.examples) {
        expect({ example: example.name, match: evaluate(rule.predicate, example.records[0]) }).toEqual({ example: example.name, match: example.expect });
      }
    });
  });
});

describe('the placeholder rule', () => {
  const [rule] = shippedRules('placeholder');
  const login = (country: string, ip: string) => ({
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    responseElements: { ConsoleLogin: 'Success' },
    src_country: country,
    src_ip: ip,
  });

  it('is rejected without placeholder values, naming the placeholder', () => {
    expect(() => compileSigmaDetection(rule.doc.detection)).toThrow(RuleError);
    expect(() => compileSigmaDetection(rule.doc.detection)).toThrow('unresolved placeholder %Legitimate_Countries%');
    const onlyCountries = new Map([['Legitimate_Countries', ['DE']]]);
    expect(() => compileSigmaDetection(rule.doc.detection, { placeholders: onlyCountries })).toThrow('unresolved placeholder %Legitimate_IP_Ranges%');
  });

  it('compiles with them and fires only outside the legitimate countries and ranges', () => {
    const placeholders = new Map([
      ['Legitimate_Countries', ['DE', 'FR']],
      ['Legitimate_IP_Ranges', ['203.0.113.*']],
    ]);
    const { predicate, warnings } = compileSigmaDetection(rule.doc.detection, { placeholders });
    expect(warnings).toEqual([]);
    expect(evaluate(predicate, login('RU', '198.51.100.9'))).toBe(true);
    expect(evaluate(predicate, login('de', '198.51.100.9'))).toBe(false);
    expect(evaluate(predicate, login('RU', '203.0.113.7'))).toBe(false);
  });
});

if (!hasCorpora) console.warn(`skipping the Panther cross-check: ${corporaDir} is absent`);

describe.skipIf(!hasCorpora)('Panther positives (../shared/corpora/panther-aws-cloudtrail-tests)', () => {
  // Panther rules that ask the same question as SigmaHQ rules. A positive of one of them must make such a SigmaHQ
  // rule fire when that rule names the positive's eventName (or names none, like the root-usage rule).
  const SAME_QUESTION: Record<string, string[]> = {
    'AWS.Bedrock.GuardrailUpdateDelete': ['aws_cloudtrail_bedrock_guardrail_deleted', 'aws_cloudtrail_bedrock_guardrail_updated'],
    'AWS.S3.BucketDeleted': ['aws_cloudtrail_bucket_deleted'],
    'AWS.CloudTrail.Stopped': ['aws_cloudtrail_disable_logging'],
    'AWS.CloudTrail.SecurityConfigurationChange': ['aws_cloudtrail_disable_logging'],
    'AWS.CloudTrail.VPCE.SensitiveAPICalls': ['aws_cloudtrail_disable_logging'],
    'AWS.Console.LoginWithoutMFA': ['aws_cloudtrail_console_login_success_without_mfa'],
    'AWS.EC2.NetworkACLModified': ['aws_cloudtrail_new_acl_entries'],
    'AWS.CloudTrail.NetworkACLPermissiveEntry': ['aws_cloudtrail_new_acl_entries'],
    'AWS.EC2.RouteTableModified': ['aws_cloudtrail_new_route_added'],
    'AWS.CloudTrail.EnableRegion': ['aws_cloudtrail_region_enabled'],
    'AWS.EC2.SecurityGroupModified': ['aws_cloudtrail_security_group_change_ingress_egress'],
    'AWS.EC2.ManualSecurityGroupChange': ['aws_cloudtrail_security_group_change_ingress_egress'],
    'AWS.RDS.SecurityGroupIngressAuthorized': ['aws_cloudtrail_security_group_change_rds'],
    'AWS.SSM.DistributedCommand': ['aws_cloudtrail_ssm_malicious_usage'],
    'AWS.VPCFlow.LogsDeleted': ['aws_cloudtrail_vpc_flow_logs_deleted'],
    'AWS.ConfigService.DisabledDeleted': ['aws_config_disable_recording'],
    'AWS.Console.GetSigninToken.Abuse': ['aws_console_getsignintoken'],
    'AWS.Suspicious.SAML.Activity': ['aws_delete_saml_provider', 'aws_susp_saml_activity'],
    'AWS.S3.SuspendVersioning': ['aws_disable_bucket_versioning'],
    'AWS.S3.SecurityControlDisabling': ['aws_disable_bucket_versioning', 'aws_s3_data_management_tampering'],
    'AWS.S3.DisableBucketLogging': ['aws_s3_data_management_tampering'],
    'AWS.EC2.EBS.Encryption.Disabled': ['aws_ec2_disable_encryption'],
    'AWS.EC2.Startup.Script.Change': ['aws_ec2_startup_script_change'],
    'AWS.IPSet.Modified': ['aws_guardduty_disruption'],
    'AWS.IAM.Backdoor.User.Keys': ['aws_iam_backdoor_users_keys'],
    'AWS.Lambda.UpdateFunctionConfiguration': ['aws_new_lambda_layer_attached'],
    'AWS.RDS.MasterPasswordUpdated': ['aws_rds_change_master_password'],
    'AWS.RDS.InstanceDeletion': ['aws_rds_dbcluster_actions'],
    'AWS.RDS.DeletionProtectionDisabled': ['aws_rds_dbcluster_actions'],
    'AWS.RDS.PublicRestore': ['aws_rds_public_db_restore'],
    'AWS.Root.Activity': ['aws_root_account_usage'],
    'AWS.Console.RootLogin': ['aws_root_account_usage'],
    'AWS.CloudTrail.RootAccessKeyCreated': ['aws_root_account_usage'],
    'AWS.SecurityHub.Finding.Evasion': ['aws_securityhub_finding_evasion'],
    'AWS.CloudTrail.SnapshotMadePublic': ['aws_snapshot_backup_exfiltration'],
    'AWS.STS.GetCallerIdentity.TruffleHog': ['aws_sts_getcalleridentity_trufflehog'],
    'AWS.STS.GetSessionToken.Misuse': ['aws_sts_getsessiontoken_misuse'],
    'AWS.User.Login.Profile.Modified': ['aws_update_login_profile'],
    'AWS.CloudTrail.LoginProfileCreatedOrModified': ['aws_update_login_profile'],
  };

  // Positives on which the SigmaHQ rule rightly stays quiet, and why.
  const QUIET: Record<string, string> = {
    'AWS.CloudTrail.EnableRegion/EnableRegion': 'the event says eventSource cloudtrail.amazonaws.com; EnableRegion is an account.amazonaws.com call',
    'AWS.EC2.Startup.Script.Change/ModifyInstanceAttributeUserdata': 'no requestParameters.attribute: userData in the event',
    'AWS.S3.BucketDeleted/An S3 Bucket was deleted': 'its errorCode is the empty string, which is not null (item 16)',
    'AWS.S3.SuspendVersioning/Versioning Disabled Successfully': 'S3 has no "Disabled" versioning state; the rule looks for Suspended',
    'AWS.S3.SecurityControlDisabling/Match - Versioning Disabled (alternate status value)': 'the same "Disabled" state',
    'AWS.S3.SecurityControlDisabling/Match - MFA Delete Disabled': 'versioning stays Enabled; only MFA Delete is turned off',
    'AWS.Suspicious.SAML.Activity/DeleteSAMLProvider': 'the SigmaHQ rule also wants status: success, never in raw CloudTrail',
  };
  const quietPrefix = 'AWS.Lambda.UpdateFunctionConfiguration/'; // layers only in responseElements; the rule reads requestParameters.layers

  function eventNames(p: Predicate, out: Set<string> = new Set()): Set<string> {
    if (p.kind === 'and' || p.kind === 'or') p.items.forEach((i) => eventNames(i, out));
    if (p.kind === 'field' && p.field === 'eventName' && p.form?.op === 'equals') p.form.values.forEach((v) => out.add(v.toLowerCase()));
    if (p.kind === 'field' && p.field === 'eventName' && p.form?.op === 'wildcard') out.add('*');
    return out;
  }

  const positives: Array<{ id: string; event: Record<string, unknown>; sigma: string[] }> = [];
  const dir = path.join(corporaDir, 'panther-aws-cloudtrail-tests/rules');
  for (const [pantherId, sigmaNames] of Object.entries(SAME_QUESTION)) {
    const rule = JSON.parse(fs.readFileSync(path.join(dir, `${pantherId}.json`), 'utf8')) as { tests: Array<{ name: string; expected: boolean; log: unknown }> };
    for (const t of rule.tests) {
      const log = t.log as Record<string, unknown>;
      if (!t.expected || typeof log !== 'object' || log === null) continue;
      const sigma = sigmaNames.filter((name) => {
        const names = eventNames((compiled.get(name) as { predicate: Predicate }).predicate);
        return names.size === 0 || names.has('*') || names.has(String(log.eventName).toLowerCase());
      });
      if (sigma.length) positives.push({ id: `${pantherId}/${t.name}`, event: log, sigma });
    }
  }

  it('finds positives for the SigmaHQ rules that ask the same question', () => {
    expect(positives.length).toBeGreaterThan(50);
  });

  it('make the corresponding SigmaHQ rule fire, except where it rightly stays quiet', () => {
    const quiet = positives
      .filter((p) => !p.sigma.some((name) => evaluate((compiled.get(name) as { predicate: Predicate }).predicate, p.event)))
      .map((p) => p.id);
    expect(quiet.filter((id) => !(id in QUIET) && !id.startsWith(quietPrefix))).toEqual([]);
    expect(Object.keys(QUIET).filter((id) => !quiet.includes(id))).toEqual([]);
    expect(quiet.filter((id) => id.startsWith(quietPrefix)).length).toBeGreaterThan(0);
  });
});
