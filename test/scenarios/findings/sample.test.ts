// The committed sample's planted incidents (fixtures/sample/ground-truth.json), each found by the finding type the
// catalog has for it, at the catalog's level, citing the planted events. Answers are read from the ground truth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../../src/index/open.js';
import { investigateAccessKey } from '../../../src/scenarios/access-key.js';
import type { InvestigationFinding } from '../../../src/scenarios/common.js';
import { investigateConsoleLogins } from '../../../src/scenarios/console-logins.js';
import { investigateIam } from '../../../src/scenarios/iam.js';
import { investigateInstance } from '../../../src/scenarios/instance.js';
import { investigateSecurityGroup } from '../../../src/scenarios/security-group.js';
import { sharedCase } from '../../helpers/cases.js';
import { truth } from '../../helpers/sample.js';
import { ofType, OPTS } from './synthetic-case.js';

const inc = truth.incidents;
let db: Db;

beforeAll(() => {
  db = openCase(sharedCase('sample'), { readonly: true });
});

afterAll(() => db?.close());

/** The one finding of `type` that cites `eventId`. */
function citing(findings: readonly InvestigationFinding[], type: string, eventId: string): InvestigationFinding {
  const f = ofType(findings, type).filter((x) => x.eventIds.includes(eventId));
  expect(f, `${type} citing ${eventId}`).toHaveLength(1);
  return f[0];
}

describe('the stolen access key', () => {
  const k = inc.stolenAccessKey;
  let f: InvestigationFinding[];
  beforeAll(() => {
    f = investigateAccessKey(db, k.accessKeyId, OPTS).findings;
  });
  it('first-anomaly: the first malicious event', () => {
    expect(ofType(f, 'first-anomaly')).toEqual([expect.objectContaining({ severity: 'high', eventIds: [k.firstMaliciousEventId] })]);
  });
  it('persistence-access-key: the backdoor key created', () => {
    expect(citing(f, 'persistence-access-key', k.createAccessKeyEventId)).toMatchObject({ severity: 'high', message: expect.stringContaining(k.backdoorAccessKeyId) });
  });
  it('cross-account-credentials: the role in the other account', () => {
    const x = ofType(f, 'cross-account-credentials');
    expect(x).toEqual([expect.objectContaining({ severity: 'high', message: expect.stringContaining(k.crossAccount.roleArn) })]);
    expect([k.crossAccount.callerCopyEventId, k.crossAccount.ownerCopyEventId]).toEqual(expect.arrayContaining(x[0].eventIds));
  });
  it('access-denied-burst: the reconnaissance', () => {
    expect(ofType(f, 'access-denied-burst').some((b) => b.severity === 'medium' && k.accessDeniedEventIds.every((id: string) => b.eventIds.includes(id)))).toBe(true);
  });
  it('defence-evasion: the event selectors and StopLogging, both denied: attempts, at medium', () => {
    expect(ofType(f, 'defence-evasion')).toEqual([expect.objectContaining({ severity: 'medium', outcome: 'failed', succeeded: [] })]);
    expect([...ofType(f, 'defence-evasion')[0].eventIds].sort()).toEqual([k.putEventSelectorsEventId, k.stopLoggingEventId].sort());
  });
});

describe('the stopped and terminated instance', () => {
  const i = inc.instanceStopTerminate;
  it('stopped and terminated: the calls by the role session, at medium', () => {
    const f = investigateInstance(db, i.instanceId, OPTS).findings;
    expect(citing(f, 'stopped', i.stopEventId).severity).toBe('medium');
    expect(citing(f, 'terminated', i.terminateEventId).severity).toBe('medium');
  });
  it('terminated: by Auto Scaling on its own, as info', () => {
    const f = investigateInstance(db, i.autoScaling.terminatedInstanceId, OPTS).findings;
    expect(citing(f, 'terminated', i.autoScaling.terminateEventId).severity).toBe('info');
  });
});

describe('the security groups', () => {
  const g = inc.securityGroups;
  it('world-open-sensitive-port and failed-attempts on the created group', () => {
    const f = investigateSecurityGroup(db, g.createdGroupId, OPTS).findings;
    expect(citing(f, 'world-open-sensitive-port', g.openSsh.eventId)).toMatchObject({ severity: 'high', eventIds: [g.openSsh.eventId, g.revokeSshEventId] });
    expect(ofType(f, 'failed-attempts')).toEqual([expect.objectContaining({ severity: 'low', eventIds: [g.duplicateFailure.eventId] })]);
  });
});

describe('the IAM changes', () => {
  const c = inc.iamChanges;
  const k = inc.stolenAccessKey;
  let f: InvestigationFinding[];
  beforeAll(() => {
    f = investigateIam(db, OPTS).findings;
  });
  it('external-trust: the vendor role, created and updated', () => {
    for (const id of [c.eventIds.createRole, c.eventIds.updateAssumeRolePolicy]) expect(citing(f, 'external-trust', id).message).toContain(c.externalTrustRole.externalAccount);
  });
  it('trust-condition-removed: the external ID dropped, at high (the role trusts an outside account)', () => {
    expect(citing(f, 'trust-condition-removed', c.eventIds.updateAssumeRolePolicy)).toMatchObject({ severity: 'high', message: expect.stringContaining('sts:ExternalId') });
  });
  it('admin-equivalent-grant and backdoor-user: the stolen key’s backdoor user', () => {
    expect(citing(f, 'admin-equivalent-grant', k.attachAdminPolicyEventId).severity).toBe('high');
    expect(citing(f, 'backdoor-user', k.createUserEventId)).toMatchObject({ severity: 'high', userName: k.backdoorUser });
  });
});

describe('the console sign-ins', () => {
  const s = inc.consoleSignIns;
  let f: InvestigationFinding[];
  beforeAll(() => {
    f = investigateConsoleLogins(db, OPTS).findings;
  });
  it('root-login: the root sign-in', () => {
    expect(citing(f, 'root-login', s.rootLogin.eventId).severity).toBe('high');
  });
  it('login-without-mfa: the sign-in without MFA', () => {
    expect(citing(f, 'login-without-mfa', s.loginWithoutMfa.eventId).severity).toBe('medium');
  });
  it('failure-burst-then-success and login-from-new-ip: the guessed password', () => {
    const b = citing(f, 'failure-burst-then-success', s.successAfterFailures.eventId);
    expect(b.severity).toBe('high');
    expect(b.eventIds).toEqual(expect.arrayContaining(s.failedBurst.failedEventIds));
    expect(citing(f, 'login-from-new-ip', s.successAfterFailures.eventId).severity).toBe('medium');
    expect(ofType(f, 'failure-burst')).toEqual([]);
  });
});
