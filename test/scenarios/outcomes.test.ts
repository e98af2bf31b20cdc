// Outcomes, decisive parameters and defence evasion on the committed sample (issue 12 items 4 and 7). Every answer is
// read from fixtures/sample/ground-truth.json: the attack pack's planted detections (with their outcome), the tamper
// story's facts, the organization's accounts and the trails' buckets.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { investigateAccessKey, type AccessKeyReport } from '../../src/scenarios/access-key.js';
import { investigateIam, type IamReport } from '../../src/scenarios/iam.js';
import { investigateInstance } from '../../src/scenarios/instance.js';
import { investigateAllSecurityGroups } from '../../src/scenarios/security-group.js';
import { investigateConsoleLogins } from '../../src/scenarios/console-logins.js';
import type { InvestigationFinding, InvestigationOptions } from '../../src/scenarios/common.js';
import type { EvasionCall } from '../../src/scenarios/defence-evasion.js';
import type { SensitiveRow } from '../../src/scenarios/sensitive-rows.js';
import { sharedCase } from '../helpers/cases.js';
import { repoRoot, sampleDir } from '../helpers/paths.js';

const truth = JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8'));
const pack = truth.incidents.attackPack;
const detections: Array<{ ruleId: string; outcome: 'succeeded' | 'failed' | 'mixed'; eventIds: string[] }> = pack.detections;
const external: string = truth.organization.externalAccount;
const trailBuckets = new Set<string>(truth.trails.map((t: { bucket: string }) => t.bucket));
/** The logging rules of the pack: every planted attack on logging is one of these (rules/trailhound/logging). */
const loggingRules = new Set(fs.readdirSync(path.join(repoRoot, 'rules/trailhound/logging')).map((f) => f.replace(/\.yml$/, '')));
const opts: InvestigationOptions = { filter: {}, tz: 'UTC', now: Date.UTC(2025, 1, 20) };

let db: Db;
let r: AccessKeyReport;
let iam: IamReport;
let rows: Map<string, SensitiveRow>;

beforeAll(() => {
  db = openCase(sharedCase('sample'), { readonly: true });
  r = investigateAccessKey(db, pack.leakedKey.accessKeyId, opts);
  iam = investigateIam(db, opts);
  rows = new Map(r.sensitiveActions.flatMap((g) => g.events).map((e) => [e.eventId, e]));
});

afterAll(() => {
  db?.close();
});

const planted = (ruleId: string) => {
  const d = detections.filter((x) => x.ruleId === ruleId);
  expect(d.length, `ground truth plants ${ruleId}`).toBeGreaterThan(0);
  return d;
};

describe('defence evasion of the leaked key', () => {
  let f: InvestigationFinding & { succeeded: EvasionCall[]; failed: EvasionCall[] };
  beforeAll(() => {
    f = r.findings.find((x) => x.type === 'defence-evasion') as typeof f;
  });

  it('separates what succeeded from what failed, planted attack by planted attack', () => {
    const ok = new Set(f.succeeded.map((c) => c.eventId));
    const failed = new Set(f.failed.map((c) => c.eventId));
    const logging = detections.filter((d) => loggingRules.has(d.ruleId));
    expect(logging.length).toBeGreaterThanOrEqual(8);
    for (const d of logging) {
      const inOk = d.eventIds.filter((id) => ok.has(id));
      const inFailed = d.eventIds.filter((id) => failed.has(id));
      expect(inOk.length + inFailed.length, `${d.ruleId}: every planted event is counted`).toBe(d.eventIds.length);
      if (d.outcome === 'succeeded') expect(inFailed, d.ruleId).toEqual([]);
      if (d.outcome === 'failed') expect(inOk, d.ruleId).toEqual([]);
      if (d.outcome === 'mixed') expect([inOk.length > 0, inFailed.length > 0], d.ruleId).toEqual([true, true]);
    }
    for (const c of f.failed) expect(c.errorCode, c.eventName ?? '').toBeTruthy();
    for (const c of f.succeeded) expect(c.errorCode).toBeNull();
  });

  it('is high because something succeeded, says both lists in the message, and is mixed', () => {
    expect(f.severity).toBe('high');
    expect(f.outcome).toBe('mixed');
    expect(f.message).toMatch(/succeeded: .*; failed: /);
    expect(new Set(f.eventIds)).toEqual(new Set([...f.succeeded, ...f.failed].map((c) => c.eventId)));
  });

  it("counts what it missed before: the lifecycle on the trail's bucket, resolver query logging, basic selectors dropping management events", () => {
    const t = pack.tamper;
    expect(trailBuckets.has(t.trailBucket)).toBe(true);
    const ok = new Map(f.succeeded.map((c) => [c.eventId, c]));
    expect(ok.get(t.trailBucketLifecycleEventId)?.effect).toContain(`trail bucket ${t.trailBucket}`);
    for (const id of t.resolverQueryLoggingEventIds) expect(ok.has(id), id).toBe(true);
    expect(ok.get(t.selectorsDroppingManagementEventId)?.effect).toMatch(/includeManagementEvents is false/);
    // Selectors that keep management events take nothing away: listed as sensitive, not counted.
    expect([...f.succeeded, ...f.failed].map((c) => c.eventId)).not.toContain(t.selectorsKeepingManagementEventId);
    expect(rows.get(t.selectorsKeepingManagementEventId)?.parameters).toMatchObject({ trail: t.dataEventsTrail, eventSelectors: [{ includeManagementEvents: true }] });
    // The lifecycle call moved from data to defence evasion, in the table and on the event.
    const evasionRows = r.sensitiveActions.find((g) => g.category === 'defence-evasion')!.events.map((e) => e.eventId);
    expect(evasionRows).toContain(t.trailBucketLifecycleEventId);
    expect(r.events.find((e) => e.eventId === t.trailBucketLifecycleEventId)?.category).toBe('defence-evasion');
  });
});

describe('outcomes', () => {
  it('every sensitive row carries its outcome, agreeing with the planted attacks that are all one way', () => {
    expect(rows.size).toBeGreaterThan(50);
    for (const e of rows.values()) expect(e.outcome).toBe(e.errorCode ? 'failed' : 'succeeded');
    let checked = 0;
    for (const d of detections.filter((x) => x.outcome !== 'mixed')) {
      for (const id of d.eventIds) {
        const row = rows.get(id);
        if (!row) continue;
        expect(row.outcome, `${d.ruleId} ${id}`).toBe(d.outcome);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('every finding of every investigation carries an outcome from its cited events', () => {
    const all: InvestigationFinding[] = [
      ...r.findings,
      ...iam.findings,
      ...investigateConsoleLogins(db, opts).findings,
      ...investigateAllSecurityGroups(db, opts).findings,
      ...investigateInstance(db, truth.incidents.instanceStopTerminate.instanceId, opts).findings,
    ];
    expect(all.length).toBeGreaterThan(10);
    for (const f of all) {
      if (f.eventIds.length === 0) expect(f.outcome, f.type).toBeNull();
      else expect(['succeeded', 'failed', 'mixed'], `${f.type}: ${f.message}`).toContain(f.outcome);
    }
    // A burst of denied calls failed (the stolen m.keller key's reconnaissance burst).
    const stolen = investigateAccessKey(db, truth.incidents.stolenAccessKey.accessKeyId, opts);
    const bursts = stolen.findings.filter((f) => f.type === 'access-denied-burst');
    expect(bursts.length).toBeGreaterThan(0);
    for (const b of bursts) expect(b.outcome).toBe('failed');
  });
});

describe('decisive parameters of the share and persist stories', () => {
  const rowsOf = (ruleId: string) => planted(ruleId).flatMap((d) => d.eventIds.map((id) => rows.get(id)!));

  it('who a snapshot, an AMI and a DB snapshot were shared with, and what went public', () => {
    for (const e of rowsOf('th-ebs-snapshot-shared-with-account')) expect(e.parameters.sharedWith).toEqual([external]);
    for (const e of rowsOf('th-ami-shared-with-account')) expect(e.parameters).toMatchObject({ sharedWith: [external] });
    for (const e of rowsOf('th-rds-snapshot-shared-with-account')) expect(e.parameters.sharedWith).toEqual([external]);
    for (const e of rowsOf('th-image-or-snapshot-made-public')) {
      expect(e.parameters).toMatchObject({ sharedWith: ['all'], public: true });
      expect(e.detail).toContain('PUBLIC');
    }
    expect(rowsOf('th-ebs-snapshot-shared-with-account')[0].detail).toContain(external);
  });

  it('what a bucket policy grants and to whom, the Lambda permission principal, the KMS grantee', () => {
    for (const e of rowsOf('th-s3-bucket-policy-public-principal')) {
      expect(e.parameters.public).toBe(true);
      expect(e.parameters.grants).toEqual([expect.objectContaining({ effect: 'Allow', principals: ['*'] })]);
    }
    for (const e of rowsOf('th-lambda-permission-any-principal')) expect(e.parameters).toMatchObject({ principal: '*', public: true });
    for (const e of rowsOf('th-kms-grant-to-other-account')) expect(String(e.parameters.granteePrincipal)).toContain(external);
  });

  it('the instance type, count and region launched', () => {
    const launched = rowsOf('th-ec2-unusual-instance-type').filter((e) => e.eventName === 'RunInstances');
    expect(launched.length).toBeGreaterThan(0);
    for (const e of launched) {
      expect(e.parameters).toMatchObject({ region: e.awsRegion });
      expect(String(e.parameters.instanceType)).toMatch(/\./);
      expect(Number(e.parameters.count)).toBeGreaterThan(0);
    }
  });

  it('the secrets and parameters read, the user and policy of the persistence', () => {
    for (const e of rowsOf('th-secret-value-retrieved').filter((x) => x.eventName === 'GetSecretValue')) expect(typeof e.parameters.secretId).toBe('string');
    for (const e of rowsOf('th-ssm-parameter-decrypted').filter((x) => x.eventName === 'GetParameter')) expect(String(e.parameters.name)).toMatch(/^\//);
    const admin = rowsOf('th-iam-admin-permissions-granted');
    expect(admin.map((e) => e.parameters.policyArn ?? e.parameters.policyName)).toEqual(expect.arrayContaining(['arn:aws:iam::aws:policy/AdministratorAccess']));
  });

  it('the Roles Anywhere trust anchor and profile, and the identity providers', () => {
    const [anchor, profile] = rowsOf('th-rolesanywhere-trust-anchor-created');
    expect(anchor.parameters).toMatchObject({ sourceType: 'CERTIFICATE_BUNDLE' });
    expect(typeof anchor.parameters.trustAnchorId).toBe('string');
    expect(profile.parameters.roleArns).toEqual([expect.stringMatching(/^arn:aws:iam::\d{12}:role\//)]);
    const providers = rowsOf('th-iam-identity-provider-created');
    expect(providers.map((e) => e.outcome).sort()).toEqual(['failed', 'succeeded']);
    for (const e of providers) expect(e.parameters.name ?? e.parameters.url).toBeTruthy();
  });
});

describe('investigate iam covers Roles Anywhere and identity providers', () => {
  it('lists the trust anchor, the profile and both provider attempts, the failed SAML one with its error', () => {
    const anchorIds = planted('th-rolesanywhere-trust-anchor-created')[0].eventIds;
    const changes = new Map(iam.changes.map((c) => [c.eventId, c]));
    const [anchor, profile] = anchorIds.map((id) => changes.get(id));
    expect(anchor).toMatchObject({ eventSource: 'rolesanywhere.amazonaws.com', eventName: 'CreateTrustAnchor', targets: [{ type: 'trust-anchor', name: expect.any(String) }] });
    expect(profile?.targets[0].type).toBe('rolesanywhere-profile');
    const providerIds = planted('th-iam-identity-provider-created')[0].eventIds;
    const providers = providerIds.map((id) => changes.get(id)!);
    expect(providers.map((c) => c.targets[0].type)).toEqual(['provider', 'provider']);
    const saml = providers.find((c) => c.eventName === 'CreateSAMLProvider')!;
    expect(saml.errorCode).toBeTruthy();
  });

  it('reports the successful federation changes, not the failed SAML attempt', () => {
    const fed = iam.findings.filter((f) => f.type === 'federation-trust-added');
    const cited = new Set(fed.flatMap((f) => f.eventIds));
    for (const id of planted('th-rolesanywhere-trust-anchor-created')[0].eventIds) expect(cited.has(id)).toBe(true);
    const [samlOrOidc] = [planted('th-iam-identity-provider-created')[0]];
    const failedIds = samlOrOidc.eventIds.filter((id) => iam.changes.find((c) => c.eventId === id)?.errorCode);
    expect(failedIds.length).toBe(1);
    for (const id of failedIds) expect(cited.has(id)).toBe(false);
    for (const f of fed) expect(f.outcome).toBe('succeeded');
  });
});
