// End to end on the committed sample (fixtures/sample, the shared case built once per run), run every investigation, and check the planted
// facts of fixtures/sample/ground-truth.json. Answers are read from the ground truth, never written here.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { investigateAccessKey } from '../../src/scenarios/access-key.js';
import { investigateInstance } from '../../src/scenarios/instance.js';
import { investigateAllSecurityGroups, investigateSecurityGroup } from '../../src/scenarios/security-group.js';
import { investigateIam } from '../../src/scenarios/iam.js';
import { investigateConsoleLogins } from '../../src/scenarios/console-logins.js';
import type { InvestigationOptions } from '../../src/scenarios/common.js';
import { InvestigationInputError } from '../../src/model/errors.js';
import { sharedCase } from '../helpers/cases.js';
import { sampleDir } from '../helpers/paths.js';

const truth = JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8'));
const inc = truth.incidents;
const ms = (iso: string) => Date.parse(iso);
const opts: InvestigationOptions = { filter: {}, tz: 'UTC', now: Date.UTC(2025, 1, 20) };

let db: Db;

beforeAll(() => {
  db = openCase(sharedCase('sample'), { readonly: true });
});

afterAll(() => {
  db?.close();
});

describe('investigate access-key on the sample', () => {
  const k = inc.stolenAccessKey;
  let r: ReturnType<typeof investigateAccessKey>;
  beforeAll(() => {
    r = investigateAccessKey(db, k.accessKeyId, opts);
  });

  it('names the owner', () => {
    expect(r.found).toBe(true);
    expect(r.owner).toMatchObject({ userName: k.userName, arn: k.userArn, accountId: k.account });
  });

  it("finds the attacker's first event without being told where to look, and the window around the attack", () => {
    expect(r.suspectWindow.source).toBe('first-anomaly');
    expect(r.suspectWindow.firstAnomalyEventId).toBe(k.firstMaliciousEventId);
    expect(r.suspectWindow.start).toBe(k.attackStart);
    expect(r.suspectWindow.end).toBe(k.attackEnd);
    const first = r.events.find((e) => e.eventId === k.firstMaliciousEventId)!;
    expect(first).toMatchObject({ inSuspectWindow: true, new: true, newIp: true });
  });

  it('marks the attacker IPs new and the baseline IPs known', () => {
    for (const ip of k.attackerIps) expect(r.sourceIps.find((s) => s.ip === ip)?.new, ip).toBe(true);
    for (const ip of k.baselineIps) expect(r.sourceIps.find((s) => s.ip === ip)?.new, ip).toBe(false);
    expect([...r.newSourceIps].sort()).toEqual([...k.attackerIps].sort());
  });

  it('traces the credential lineage: session token, assumed role, the cross-account role, and the persistence key', () => {
    const byKey = new Map(r.derivedCredentials.map((d) => [d.accessKeyId, d]));
    expect(byKey.get(k.sessionTokenAccessKeyId)).toMatchObject({ parentAccessKeyId: k.accessKeyId, via: 'GetSessionToken', eventId: k.getSessionTokenEventId, depth: 1 });
    expect(byKey.get(k.assumedRoleAccessKeyId)).toMatchObject({ parentAccessKeyId: k.sessionTokenAccessKeyId, via: 'AssumeRole', eventId: k.assumeRoleEventId, roleArn: k.assumedRoleArn, depth: 2 });
    const x = byKey.get(k.crossAccount.accessKeyId)!;
    expect(x).toMatchObject({ parentAccessKeyId: k.assumedRoleAccessKeyId, roleArn: k.crossAccount.roleArn, crossAccount: true, depth: 3 });
    expect([x.eventId, ...x.linkedEventIds].sort()).toEqual([k.crossAccount.callerCopyEventId, k.crossAccount.ownerCopyEventId].sort());
    expect(r.createdAccessKeys).toEqual([
      expect.objectContaining({ accessKeyId: k.backdoorAccessKeyId, userName: k.backdoorUser, eventId: k.createAccessKeyEventId, used: true }),
    ]);
  });

  it('lists every event of the key and of what it minted or created, in time order, each with a trust label', () => {
    const ids = new Set(r.events.map((e) => e.eventId));
    const expected = [
      k.firstMaliciousEventId,
      k.listUsersEventId,
      ...k.accessDeniedEventIds,
      k.runInstancesEventId,
      k.importKeyPairEventId,
      k.createUserEventId,
      k.createAccessKeyEventId,
      k.attachAdminPolicyEventId,
      k.getSessionTokenEventId,
      k.assumeRoleEventId,
      k.putEventSelectorsEventId,
      k.stopLoggingEventId,
      k.listObjectsEventId,
      ...k.getObjectEventIds,
      k.backdoorKeyFirstUseEventId,
      ...k.crossAccount.eventIdsInOwnerAccount,
    ];
    for (const id of expected) expect(ids.has(id), id).toBe(true);
    const times = r.events.map((e) => e.eventTime ?? '');
    expect([...times].sort()).toEqual(times);
    expect(r.events.every((e) => ['proven', 'provisional', 'unverified'].includes(e.trust ?? ''))).toBe(true);
    expect(r.events.find((e) => e.eventId === k.backdoorKeyFirstUseEventId)?.credential).toBe('created');
    expect(r.events.find((e) => e.eventId === k.crossAccount.eventIdsInOwnerAccount[0])?.credential).toBe('derived');
  });

  it('groups sensitive actions, finds the AccessDenied burst and prints the response', () => {
    const cat = (c: string) => new Set(r.sensitiveActions.find((s) => s.category === c)?.events.map((e) => e.eventId));
    expect(cat('defence-evasion')).toEqual(new Set([k.putEventSelectorsEventId, k.stopLoggingEventId]));
    for (const id of [k.runInstancesEventId, k.importKeyPairEventId]) expect(cat('compute').has(id)).toBe(true);
    for (const id of [k.createUserEventId, k.createAccessKeyEventId, k.attachAdminPolicyEventId]) expect(cat('iam').has(id)).toBe(true);
    for (const id of k.getObjectEventIds) expect(cat('data').has(id)).toBe(true);
    expect(r.accessDeniedBursts.some((b) => k.accessDeniedEventIds.every((id: string) => b.eventIds.includes(id)))).toBe(true);
    const cmds = r.response.map((c) => c.command).join('\n');
    expect(cmds).toContain(`aws iam update-access-key --user-name ${k.userName} --access-key-id ${k.accessKeyId} --status Inactive`);
    expect(cmds).toContain(`aws iam delete-access-key --user-name ${k.backdoorUser} --access-key-id ${k.backdoorAccessKeyId}`);
    expect(cmds).toContain(`aws iam detach-user-policy --user-name ${k.backdoorUser} --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`);
    expect(r.response.find((c) => c.command === `aws iam delete-user --user-name ${k.backdoorUser}`)?.eventIds).toEqual([k.createUserEventId]);
    expect(cmds).toContain(`--role-name ${k.assumedRoleArn.split('/').pop()} --policy-name AWSRevokeOlderSessions`);
    expect(cmds).toContain('"aws:TokenIssueTime":"2025-02-20T00:00:00Z"');
  });

  it('honours --since and the time filter', () => {
    const since = investigateAccessKey(db, k.accessKeyId, { ...opts, since: ms(k.attackStart) });
    expect(since.suspectWindow).toMatchObject({ source: 'since', start: k.attackStart });
    const narrow = investigateAccessKey(db, k.accessKeyId, { ...opts, filter: { startMs: ms(k.attackStart), endMs: ms(k.attackEnd) } });
    expect(narrow.events.every((e) => e.eventTime! >= k.attackStart && e.eventTime! <= k.attackEnd)).toBe(true);
    expect(narrow.derivedCredentials.length).toBe(r.derivedCredentials.length);
  });

  it('investigates a derived temporary key upward: who minted it, back to the stolen key', () => {
    const t = investigateAccessKey(db, k.assumedRoleAccessKeyId, opts);
    expect(t.keyType).toBe('temporary');
    expect(t.mintedBy.map((m) => m.eventId)).toEqual([k.assumeRoleEventId, k.getSessionTokenEventId]);
    expect(t.mintedBy[t.mintedBy.length - 1].arn).toBe(k.userArn);
  });
});

describe('investigate instance on the sample', () => {
  const i = inc.instanceStopTerminate;
  it('lists the lifecycle in order with the human behind the role session', () => {
    const r = investigateInstance(db, i.instanceId, opts);
    expect(r.events.filter((e) => /^(Run|Start|Stop|Reboot|Terminate)Instances$/.test(e.eventName ?? '')).map((e) => e.eventName)).toEqual(i.expectedEventNames);
    for (const id of [i.stopEventId, i.terminateEventId]) {
      const e = r.events.find((x) => x.eventId === id)!;
      expect(e.lifecycle).toBe(true);
      expect(e.sourceIPAddress).toBe(i.sourceIp);
      expect(e.actor).toMatchObject({ type: 'AssumedRole', sessionIssuerArn: i.roleArn, sessionName: i.sessionName, sourceIdentity: i.sourceIdentity, serviceInitiated: false });
      expect(e.actor.assumedBy).toMatch(new RegExp(`:user/${i.actingUser.replace('.', '\\.')}$`));
      expect(e.actor.assumedByChain[0].eventId).toBe(i.assumeRoleEventId);
    }
    expect(r.events.find((e) => e.eventId === i.stopEventId)!.eventTime).toBe(i.stopTime);
    expect(r.events.find((e) => e.eventId === i.terminateEventId)!.eventTime).toBe(i.terminateTime);
  });

  it('labels Auto Scaling actions as service-initiated', () => {
    const a = i.autoScaling;
    const t = investigateInstance(db, a.terminatedInstanceId, opts).events.find((e) => e.eventId === a.terminateEventId)!;
    expect(t.actor.serviceInitiated).toBe(true);
    expect(t.actor.service).toMatch(/autoscaling/i);
  });

  it('says what the case covers for an instance it has never seen, and rejects malformed ids', () => {
    const r = investigateInstance(db, 'i-0000000000000000f', opts);
    expect(r.found).toBe(false);
    expect([...r.coverage!.accounts].sort()).toEqual([truth.organization.managementAccount, truth.organization.productionAccount].sort());
    expect(() => investigateInstance(db, 'instance-1', opts)).toThrow(InvestigationInputError);
    expect(() => investigateInstance(db, 'instance-1', opts)).toThrow('instance ID "instance-1" is malformed: expected i- followed by 8 or 17 hexadecimal digits, such as i-1234567890abcdef0');
  });
});

describe('investigate security-group on the sample', () => {
  const g = inc.securityGroups;
  it('normalises the created group: complete rule set, world-open SSH, the duplicate apart, the revoke', () => {
    const r = investigateSecurityGroup(db, g.createdGroupId, opts);
    const ssh = r.changes.find((c) => c.eventId === g.openSsh.eventId)!;
    expect(ssh).toMatchObject({ action: 'authorize', direction: 'ingress', protocol: 'tcp', fromPort: g.openSsh.port, toPort: g.openSsh.port, source: g.openSsh.cidr, ruleId: g.openSsh.ruleId, actorArn: g.actor });
    expect(ssh.worldOpenSensitivePorts).toEqual([`${g.openSsh.port}/ssh`]);
    expect(r.failedAttempts.map((f) => [f.eventId, f.errorCode])).toEqual([[g.duplicateFailure.eventId, g.duplicateFailure.errorCode]]);
    expect(r.changes.find((c) => c.eventId === g.revokeSshEventId)).toMatchObject({ action: 'revoke', source: g.openSsh.cidr, fromPort: g.openSsh.port });
    expect(r.changes.find((c) => c.eventId === g.egress.eventId)).toMatchObject({ direction: 'egress', ruleId: g.egress.ruleId });
    const open = investigateSecurityGroup(db, g.createdGroupId, { ...opts, at: ms(g.worldOpenWindow.from) + 1000 });
    expect(open.rulesAt.complete).toBe(true);
    expect(open.rulesAt.rules.some((x) => x.ruleId === g.openSsh.ruleId && x.worldOpenSensitivePorts.length > 0)).toBe(true);
    const closed = investigateSecurityGroup(db, g.createdGroupId, { ...opts, at: ms(g.worldOpenWindow.to) });
    expect(closed.rulesAt.rules.some((x) => x.ruleId === g.openSsh.ruleId)).toBe(false);
    const f = r.findings.find((x) => x.type === 'world-open-sensitive-port')!;
    expect(f).toMatchObject({ openedAt: g.worldOpenWindow.from, closedAt: g.worldOpenWindow.to });
  });

  it('follows ModifySecurityGroupRules on the pre-existing group and says its rule set is incomplete', () => {
    const r = investigateSecurityGroup(db, g.preexistingGroupId, opts);
    expect(r.rulesAt.complete).toBe(false);
    const m = r.changes.find((c) => c.eventId === g.modifyRule.eventId)!;
    expect(m).toMatchObject({ action: 'modify', ruleId: g.modifyRule.ruleId, source: g.modifyRule.to, fromPort: g.modifyRule.port });
    expect(r.changes.find((c) => c.eventId === g.modifyBackEventId)).toMatchObject({ source: g.modifyRule.from, previous: expect.objectContaining({ source: g.modifyRule.to }) });
    expect(r.changes.find((c) => c.eventId === g.openRdp.eventId)).toMatchObject({ source: g.openRdp.cidr, fromPort: g.openRdp.port, ruleId: g.openRdp.ruleId });
    expect(r.changes.find((c) => c.eventId === g.revokeRdpEventId)).toMatchObject({ action: 'revoke', source: g.openRdp.cidr });
  });

  it('--all covers both groups; unknown and malformed groups are explained', () => {
    const all = investigateAllSecurityGroups(db, opts);
    const ids = all.groups.map((x) => x.groupId);
    expect(ids).toContain(g.createdGroupId);
    expect(ids).toContain(g.preexistingGroupId);
    const none = investigateSecurityGroup(db, 'sg-00000000000000000', opts);
    expect(none.found).toBe(false);
    expect(none.coverage!.eventCount).toBeGreaterThan(0);
    expect(() => investigateSecurityGroup(db, 'sg-xyz', opts)).toThrow('security group ID "sg-xyz" is malformed');
  });
});

describe('investigate iam on the sample', () => {
  const c = inc.iamChanges;
  const day = { startMs: ms(`${c.day}T00:00:00Z`), endMs: ms(`${c.day}T23:59:59.999Z`) };

  it('lists every IAM write of the day with decoded documents and a trust diff', () => {
    const r = investigateIam(db, { ...opts, filter: day });
    expect(r.changes.map((x) => x.eventId).sort()).toEqual(Object.values(c.eventIds as Record<string, string>).sort());
    const put = r.changes.find((x) => x.eventId === c.eventIds.putUserPolicy)!;
    expect(put.detail.policyDocument).toEqual(JSON.parse(c.inlinePolicy.decodedDocument));
    expect(put.target).toContain(`user ${c.inlinePolicy.user}`);
    const upd = r.changes.find((x) => x.eventId === c.eventIds.updateAssumeRolePolicy)!;
    expect(typeof upd.detail.trustDiff).toBe('object');
    expect(upd.detail.previousPolicyDocument).not.toBeNull();
    expect(r.changes.find((x) => x.eventId === c.eventIds.createPolicyVersion)!.detail.policyVersion).toMatchObject({ versionId: c.policyVersion.versionId });
    const ext = r.findings.filter((f) => f.type === 'external-trust');
    expect(ext.length).toBeGreaterThan(0);
    expect(ext.every((f) => f.message.includes(c.externalTrustRole.roleName) && f.message.includes(c.externalTrustRole.externalAccount))).toBe(true);
    expect(r.changes.every((x) => x.actorArn === c.actor)).toBe(true);
  });

  it('finds the backdoor user of the stolen-key incident with its admin grant', () => {
    const k = inc.stolenAccessKey;
    const r = investigateIam(db, opts);
    const b = r.findings.find((f) => f.type === 'backdoor-user' && f.userName === k.backdoorUser)!;
    expect(b.userName).toBe(k.backdoorUser);
    expect(b.eventIds).toEqual(expect.arrayContaining([k.createUserEventId, k.createAccessKeyEventId, k.attachAdminPolicyEventId]));
    expect(r.findings.find((f) => f.type === 'admin-equivalent-grant' && f.eventIds.includes(k.attachAdminPolicyEventId))!.eventIds).toEqual([k.attachAdminPolicyEventId]);
    const only = investigateIam(db, { ...opts, principal: k.backdoorUser });
    expect(only.changes.map((x) => x.eventId).sort()).toEqual([k.createUserEventId, k.createAccessKeyEventId, k.attachAdminPolicyEventId].sort());
  });
});

describe('investigate console-logins on the sample', () => {
  const s = inc.consoleSignIns;
  it('finds the root login, the login without MFA, the failure burst and the success after it from a new IP', () => {
    const r = investigateConsoleLogins(db, opts);
    const byId = new Map(r.logins.map((l) => [l.eventId, l]));
    expect(byId.get(s.rootLogin.eventId)).toMatchObject({ root: true, result: 'success', sourceIPAddress: s.rootLogin.sourceIp, mfaUsed: s.rootLogin.mfaUsed });
    expect(byId.get(s.loginWithoutMfa.eventId)).toMatchObject({ mfaUsed: false, result: 'success', sourceIPAddress: s.loginWithoutMfa.sourceIp });
    const burst = r.failureBursts.find((b) => b.sourceIPAddress === s.failedBurst.sourceIp)!;
    expect(burst.count).toBe(s.failedBurst.failures);
    expect(burst.eventIds).toEqual(expect.arrayContaining(s.failedBurst.failedEventIds));
    expect(burst.followedBySuccess).toBe(true);
    expect(burst.eventIds).toContain(s.successAfterFailures.eventId);
    expect(byId.get(s.successAfterFailures.eventId)).toMatchObject({ result: 'success', mfaUsed: s.successAfterFailures.mfaUsed, new: s.successAfterFailures.newIpForUser });
    const types = new Set<string>(r.findings.map((f) => f.type));
    for (const t of ['root-login', 'login-without-mfa', 'failure-burst-then-success', 'login-from-new-ip']) expect(types.has(t), t).toBe(true);
    for (const ip of s.successAfterFailures.usualIps) {
      expect(r.logins.filter((l) => l.sourceIPAddress === ip && l.userName === s.successAfterFailures.userName && l.new === true).length).toBeLessThanOrEqual(1);
    }
  });
});

describe('bad input', () => {
  it('says a key is unknown, with what the case covers, and what form a key takes', () => {
    const r = investigateAccessKey(db, 'AKIAZZZZZZZZZZZZZZZZ', opts);
    expect(r.found).toBe(false);
    expect([...r.coverage!.accounts].sort()).toEqual([truth.organization.managementAccount, truth.organization.productionAccount].sort());
    expect(r.coverage!.firstEventTime).not.toBeNull();
    expect(() => investigateAccessKey(db, 'akia-nope', opts)).toThrow(
      'access key ID "akia-nope" is malformed: expected 16 to 128 upper-case letters and digits starting with A, such as AKIAIOSFODNN7EXAMPLE (long-term key, AKIA…) or ASIA… (temporary credentials)',
    );
  });
});
