// rules/trailhound on real CloudTrail records from ../shared/corpora: Elastic's pipeline-test captures (many made with
// aws-cli against a real account) and Panther's rule tests. Expectations are this pack's semantics, not the source's
// labels: a failed attempt matches (Panther's rules exclude errors), sharing an AMI with any account matches, and
// every PutBucketLifecycle matches. Skipped, with a message, when the corpora are absent.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPILERS } from '../../../src/detect/compilers.js';
import { loadRules } from '../../../src/detect/load.js';
import { evaluate } from '../../../src/detect/predicate.js';
import type { EventRule } from '../../../src/detect/rule.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpora = path.resolve(repoRoot, '..', 'shared', 'corpora');
const elasticDir = path.join(corpora, 'elastic-aws-cloudtrail', 'integrations-pipeline-tests');
const pantherDir = path.join(corpora, 'panther-aws-cloudtrail-tests', 'rules');
const haveCorpora = fs.existsSync(elasticDir) && fs.existsSync(pantherDir);
if (!haveCorpora) console.warn(`skipping the trailhound pack's corpus tests: ${corpora} is absent`);

const pack = loadRules([path.join(repoRoot, 'rules', 'trailhound')], { compilers: COMPILERS });
const rule = (id: string): EventRule => {
  const r = pack.rules.find((x) => x.meta.id === id);
  if (!r || r.kind !== 'event') throw new Error(`${id} is not an event rule of the pack`);
  return r;
};

/** Elastic file → rule → whether each record of the file (in order) matches. */
const ELASTIC: Array<[file: string, ruleId: string, expected: boolean[]]> = [
  ['test-modify-db-cluster-snapshot-attribute-json.log', 'th-rds-snapshot-shared-with-account', [true]],
  ['test-modify-db-snapshot-attributte-json.log', 'th-rds-snapshot-shared-with-account', [false]],
  ['test-modify-image-attribute-json.log', 'th-image-or-snapshot-made-public', [false]],
  ['test-modify-image-attribute-json.log', 'th-ami-shared-with-account', [false]],
  ['test-modify-snapshot-attribute-json.log', 'th-image-or-snapshot-made-public', [false]],
  ['test-add-permission-json.log', 'th-lambda-permission-any-principal', [false]],
  ['test-update-trail-json.log', 'th-cloudtrail-trail-updated', [true, true]],
  ['test-delete-flow-log-json.log', 'th-vpc-flow-logs-deleted', [true]],
  ['test-delete-resolver-query-log-config-json.log', 'th-route53-resolver-query-logging-removed', [true]],
  ['test-delete-detector-json.log', 'th-guardduty-disabled', [true]],
  ['test-create-detector-json.log', 'th-guardduty-disabled', [false]],
  ['test-stop-configuration-recorder.log', 'th-config-recording-stopped', [true]],
  ['test-get-secret-value-json.log', 'th-secret-value-retrieved', [true]],
  ['test-batch-get-secret-value-json.log', 'th-secret-value-retrieved', [true]],
  ['test-get-parameter-json.log', 'th-ssm-parameter-decrypted', [false]],
  ['test-get-parameters-json.log', 'th-ssm-parameter-decrypted', [false]],
  ['test-attach-user-policy-json.log', 'th-iam-admin-permissions-granted', [true]],
  ['test-attach-role-policy-json.log', 'th-iam-admin-permissions-granted', [false]],
  ['test-attach-group-policy-json.log', 'th-iam-admin-permissions-granted', [false]],
  ['test-update-assume-role-policy-json.log', 'th-iam-role-trust-policy-updated', [true]],
  ['test-create-trust-anchor-json.log', 'th-rolesanywhere-trust-anchor-created', [true]],
  ['test-send-ssh-public-key-json.log', 'th-ec2-instance-connect-key-pushed', [true]],
  ['test-send-ssh-public-key-json.log', 'th-ec2-serial-console-access', [false]],
  ['test-send-serial-console-ssh-public-key-json.log', 'th-ec2-serial-console-access', [true]],
  ['test-send-serial-console-ssh-public-key-json.log', 'th-ec2-instance-connect-key-pushed', [false]],
  ['test-start-session-json.log', 'th-ssm-session-started', [true]],
  // Patch Manager's own SendCommand (invokedBy ssm.amazonaws.com), then a ransomware document sent by a user.
  ['test-send-command-all-json.log', 'th-ssm-send-command', [false]],
  ['test-send-command-targets-json.log', 'th-ssm-send-command', [true]],
  ['test-get-password-data-json.log', 'th-ec2-password-data-read', [true]],
  ['test-run-instances-json.log', 'th-ec2-unusual-instance-type', [false]],
  ['test-converse-json.log', 'th-bedrock-model-invoked', [true]],
  // Success without MFA, a failed IAM user sign-in, a failed assumed-role sign-in.
  ['test-console-login-json.log', 'th-console-login-without-mfa', [true, false, false]],
  ['test-console-login-json.log', 'th-root-console-login', [false, false, false]],
];

/** Panther rule file → test name → rule → match. */
const PANTHER: Array<[file: string, test: string, ruleId: string, expected: boolean]> = [
  ['AWS.CloudTrail.EventSelectorsDisabled.json', 'Event Selector Disabled', 'th-cloudtrail-selectors-drop-management-events', true],
  ['AWS.CloudTrail.EventSelectorsDisabled.json', 'Event Selector Enabled', 'th-cloudtrail-selectors-drop-management-events', false],
  ['AWS.CloudTrail.ResourceMadePublic.json', 'S3 Made Publicly Accessible', 'th-s3-bucket-policy-public-principal', true],
  ['AWS.CloudTrail.ResourceMadePublic.json', 'S3 Failed to make Publicly Accessible', 'th-s3-bucket-policy-public-principal', true],
  ['AWS.CloudTrail.ResourceMadePublic.json', 'S3 Not Made Publicly Accessible', 'th-s3-bucket-policy-public-principal', false],
  ['AWS.CloudTrail.ResourceMadePublic.json', 'Null Request Parameters', 'th-s3-bucket-policy-public-principal', false],
  ['AWS.CloudTrail.ResourceMadePublic.json', 'Invalid JSON Policy (Should Not Alert)', 'th-s3-bucket-policy-public-principal', false],
  ['AWS.CloudTrail.ResourceMadePublic.json', 'All Restrictive Conditions Types (Should Not Alert)', 'th-s3-bucket-policy-public-principal', false],
  ['AWS.CloudTrail.ShortLifecycle.json', '1-Day Lifecycle Rule on Known CT Bucket', 'th-s3-lifecycle-rule-put', true],
  ['AWS.CloudTrail.ShortLifecycle.json', 'Completely Unrelated Event', 'th-s3-lifecycle-rule-put', false],
  ['AWS.EC2.DownloadInstanceUserData.json', 'Unsuccessful Attempt', 'th-ec2-user-data-read', true],
  ['AWS.EC2.DownloadInstanceUserData.json', 'Successful Attempt', 'th-ec2-user-data-read', true],
  ['AWS.CloudTrail.AttemptToLeaveOrg.json', 'Failed Attempt to Leave Org', 'th-organization-leave', true],
  ['AWS.RDS.SnapshotShared.json', 'Snapshot shared with another account', 'th-rds-snapshot-shared-with-account', true],
  ['AWS.RDS.SnapshotShared.json', 'Snapshot shared with no accounts', 'th-rds-snapshot-shared-with-account', false],
  ['AWS.CloudTrail.SnapshotMadePublic.json', 'Snapshot Made Publicly Accessible', 'th-image-or-snapshot-made-public', true],
  ['AWS.CloudTrail.SnapshotMadePublic.json', 'Error Making Snapshot Publicly Accessible', 'th-image-or-snapshot-made-public', true],
  ['AWS.CloudTrail.SnapshotMadePublic.json', 'Snapshot Not Made Publicly Accessible', 'th-image-or-snapshot-made-public', false],
  ['AWS.CloudTrail.SnapshotMadePublic.json', 'Snapshot Mader Available to Single Person', 'th-image-or-snapshot-made-public', false],
  ['AWS.CloudTrail.SnapshotMadePublic.json', 'Snapshot Mader Available to Single Person', 'th-ebs-snapshot-shared-with-account', true],
  ['AWS.CloudTrail.AMIModifiedForPublicAccess.json', 'AMI Made Public', 'th-image-or-snapshot-made-public', true],
  ['AWS.CloudTrail.AMIModifiedForPublicAccess.json', 'Error Making AMI Public', 'th-image-or-snapshot-made-public', true],
  ['AWS.CloudTrail.AMIModifiedForPublicAccess.json', 'AMI Not Made Public', 'th-image-or-snapshot-made-public', false],
  ['AWS.CloudTrail.AMIModifiedForPublicAccess.json', 'AMI Launch Permissions Not Modified', 'th-image-or-snapshot-made-public', false],
  ['AWS.CloudTrail.AMIModifiedForPublicAccess.json', 'Access Granted To Unknown User', 'th-ami-shared-with-account', true],
  ['AWS.CloudTrail.AMIModifiedForPublicAccess.json', 'AMI Made Public', 'th-ami-shared-with-account', false],
  ['AWS.SecretsManager.BatchRetrieveSecrets.json', 'BatchGetSecretValue', 'th-secret-value-retrieved', true],
  ['AWS.EC2.MultiInstanceConnect.json', 'Public SSH Key Not Sent Successfully', 'th-ec2-instance-connect-key-pushed', true],
  ['AWS.EC2.MultiInstanceConnect.json', 'Unrelated Event', 'th-ec2-instance-connect-key-pushed', false],
  ['AWS.SSM.DecryptSSMParams.json', 'Single Secret Accessed in Single Event', 'th-ssm-parameter-decrypted', true],
  ['AWS.SSM.DecryptSSMParams.json', 'Multiple Secrets Accessed in Same Event', 'th-ssm-parameter-decrypted', true],
  ['AWS.SSM.DecryptSSMParams.json', "Accessed Parameters Aren't Encrypted", 'th-ssm-parameter-decrypted', false],
  ['AWS.CloudTrail.DNSLogsDeleted.json', 'Logs Deleted', 'th-route53-resolver-query-logging-removed', true],
  ['AWS.VPCFlow.LogsDeleted.json', 'Logs Deleted', 'th-vpc-flow-logs-deleted', true],
  ['AWS.Suspicious.SAML.Activity.json', 'CreateSAMLProvider', 'th-iam-identity-provider-created', true],
  ['AWS.Suspicious.SAML.Activity.json', 'UpdateSAMLProvider', 'th-iam-identity-provider-created', true],
  ['AWS.Suspicious.SAML.Activity.json', 'Activity from AWSSSO Service Managed Role', 'th-iam-identity-provider-created', false],
];

function elasticRecords(file: string): Array<Record<string, unknown>> {
  return fs
    .readFileSync(path.join(elasticDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function pantherRecord(file: string, test: string): Record<string, unknown> {
  const doc = JSON.parse(fs.readFileSync(path.join(pantherDir, file), 'utf8')) as { tests: Array<{ name: string; log: Record<string, unknown> }> };
  const t = doc.tests.find((x) => x.name.startsWith(test));
  if (!t) throw new Error(`${file} has no test named ${test}`);
  return t.log;
}

describe.skipIf(!haveCorpora)('rules/trailhound on real records (../shared/corpora)', () => {
  for (const [file, ruleId, expected] of ELASTIC) {
    it(`elastic ${file}: ${ruleId} → ${expected.join(', ')}`, () => {
      expect(elasticRecords(file).map((r) => evaluate(rule(ruleId).predicate, r))).toEqual(expected);
    });
  }
  for (const [file, test, ruleId, expected] of PANTHER) {
    it(`panther ${file} "${test}": ${ruleId} → ${expected}`, () => {
      expect(evaluate(rule(ruleId).predicate, pantherRecord(file, test))).toBe(expected);
    });
  }
});
