// Reverts as the access-key investigation sees them, on a small synthetic case: carol's key creates a user with a key,
// a password, policies and a group membership; a role it assumes; shares, an identity provider and an open port. The
// administrator then deletes the user and the role (which takes what hung off them), takes back one of two accounts of
// a snapshot share and the whole DB snapshot share, and finally deletes carol's key. What is gone gets no command;
// everything still in place gets its command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/index/open.js';
import { investigateAccessKey, type AccessKeyReport } from '../../src/scenarios/access-key.js';
import { ACCT, at, event, iamUser, OPTS, OUTSIDE, syntheticCase } from './findings/synthetic-case.js';

const CAROL_KEY = 'AKIACAROL00000000001';
const SVC_KEY = 'AKIASVCX000000000001';
const ERIN_KEY = 'AKIAERIN000000000001';
const ROLE_KEY = 'ASIACAROLROLE0000001';
const OTHER = '111100002222';
const carol = iamUser('carol', CAROL_KEY);
const admin = iamUser('admin', 'ASIAADMIN00000000001');
const ADMIN_ARN = `arn:aws:iam::${ACCT}:user/admin`;
const SAML_ARN = `arn:aws:iam::${ACCT}:saml-provider/backup-idp`;

const iam = (min: number, eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  event({ eventTime: at(min), userIdentity: carol, sourceIPAddress: '203.0.113.9', eventSource: 'iam.amazonaws.com', eventName, readOnly: false, requestParameters, ...over });
const byAdmin = (min: number, eventName: string, requestParameters: Record<string, unknown>, eventSource = 'iam.amazonaws.com') =>
  event({ eventTime: at(min), userIdentity: admin, sourceIPAddress: '198.51.100.10', eventSource, eventName, readOnly: false, requestParameters });

const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const OPEN_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDE}:root` }, Action: 'sts:AssumeRole' }] });
const before = {
  appRole: byAdmin(1, 'CreateRole', { roleName: 'r-app', assumeRolePolicyDocument: EC2_TRUST }),
};

const ch = {
  user: iam(10, 'CreateUser', { userName: 'svc-x' }),
  key: iam(11, 'CreateAccessKey', { userName: 'svc-x' }, { responseElements: { accessKey: { userName: 'svc-x', accessKeyId: SVC_KEY, status: 'Active' } } }),
  profile: iam(12, 'CreateLoginProfile', { userName: 'svc-x' }),
  profileFailed: iam(12.5, 'CreateLoginProfile', { userName: 'bob' }, { errorCode: 'NoSuchEntity', errorMessage: 'no user bob' }),
  attach: iam(13, 'AttachUserPolicy', { userName: 'svc-x', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  group: iam(14, 'AddUserToGroup', { userName: 'dave', groupName: 'admins' }),
  role: iam(15, 'CreateRole', { roleName: 'r-ext', assumeRolePolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDE}:root` }, Action: 'sts:AssumeRole' }] }) }),
  rolePolicy: iam(16, 'PutRolePolicy', { roleName: 'r-ext', policyName: 'all', policyDocument: '{}' }),
  assume: event({
    eventTime: at(17),
    userIdentity: carol,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    requestParameters: { roleArn: `arn:aws:iam::${ACCT}:role/r-ext`, roleSessionName: 's' },
    responseElements: { credentials: { accessKeyId: ROLE_KEY, expiration: 'Jan 10, 2025, 1:17:00 AM', sessionToken: 'x' }, assumedRoleUser: { assumedRoleId: 'AROAREXT:s', arn: `arn:aws:sts::${ACCT}:assumed-role/r-ext/s` } },
  }),
  snap: event({ eventTime: at(18), userIdentity: carol, eventName: 'ModifySnapshotAttribute', readOnly: false, requestParameters: { snapshotId: 'snap-1', createVolumePermission: { add: { items: [{ userId: OUTSIDE }, { userId: OTHER }] } }, attributeType: 'CREATE_VOLUME_PERMISSION' } }),
  dbSnap: event({ eventTime: at(19), userIdentity: carol, eventSource: 'rds.amazonaws.com', eventName: 'ModifyDBClusterSnapshotAttribute', readOnly: false, requestParameters: { dBClusterSnapshotIdentifier: 'orders-final', attributeName: 'restore', valuesToAdd: [OUTSIDE] } }),
  saml: iam(20, 'CreateSAMLProvider', { name: 'backup-idp', sAMLMetadataDocument: '<x/>' }, { responseElements: { sAMLProviderArn: SAML_ARN } }),
  port: event({
    eventTime: at(21),
    userIdentity: carol,
    eventName: 'AuthorizeSecurityGroupIngress',
    readOnly: false,
    requestParameters: { groupId: 'sg-0abc', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } },
    responseElements: { _return: true, securityGroupRuleSet: { items: [{ groupId: 'sg-0abc', securityGroupRuleId: 'sgr-0ssh', isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }] } },
  }),
  rdp: event({
    eventTime: at(22),
    userIdentity: carol,
    eventName: 'AuthorizeSecurityGroupIngress',
    readOnly: false,
    requestParameters: { groupId: 'sg-0abc', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } },
    responseElements: { _return: true, securityGroupRuleSet: { items: [{ groupId: 'sg-0abc', securityGroupRuleId: 'sgr-0rdp', isEgress: false, ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, cidrIpv4: '0.0.0.0/0' }] } },
  }),
  trustApp: iam(24, 'UpdateAssumeRolePolicy', { roleName: 'r-app', policyDocument: OPEN_TRUST }),
  trustLegacy: iam(25, 'UpdateAssumeRolePolicy', { roleName: 'r-legacy', policyDocument: OPEN_TRUST }),
  erinKey: iam(23, 'CreateAccessKey', { userName: 'erin' }, { responseElements: { accessKey: { userName: 'erin', accessKeyId: ERIN_KEY, status: 'Active' } } }),
};
const undo = {
  deleteUser: byAdmin(40, 'DeleteUser', { userName: 'svc-x' }),
  deleteRole: byAdmin(41, 'DeleteRole', { roleName: 'r-ext' }),
  snapOne: event({ eventTime: at(42), userIdentity: admin, eventName: 'ModifySnapshotAttribute', readOnly: false, requestParameters: { snapshotId: 'snap-1', createVolumePermission: { remove: { items: [{ userId: OUTSIDE }] } }, attributeType: 'CREATE_VOLUME_PERMISSION' } }),
  dbSnap: byAdmin(43, 'ModifyDBClusterSnapshotAttribute', { dBClusterSnapshotIdentifier: 'orders-final', attributeName: 'restore', valuesToRemove: [OUTSIDE] }, 'rds.amazonaws.com'),
  // Another rule of the same group closed: the SSH rule stays open. The RDP rule closed by its id.
  revokeHttp: event({ eventTime: at(44), userIdentity: admin, eventName: 'RevokeSecurityGroupIngress', readOnly: false, requestParameters: { groupId: 'sg-0abc', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } } }),
  revokeRdp: event({ eventTime: at(45), userIdentity: admin, eventName: 'RevokeSecurityGroupIngress', readOnly: false, requestParameters: { groupId: 'sg-0abc', securityGroupRuleIds: { items: [{ securityGroupRuleId: 'sgr-0rdp' }] } } }),
  // erin's new key is deactivated, then made Active again: still in place.
  erinOff: byAdmin(46, 'UpdateAccessKey', { userName: 'erin', accessKeyId: ERIN_KEY, status: 'Inactive' }),
  erinOn: byAdmin(47, 'UpdateAccessKey', { userName: 'erin', accessKeyId: ERIN_KEY, status: 'Active' }),
  deleteCarolKey: byAdmin(50, 'DeleteAccessKey', { userName: 'carol', accessKeyId: CAROL_KEY }),
};

let c: { db: Db; close: () => void };
let r: AccessKeyReport;

beforeAll(async () => {
  c = await syntheticCase([...Object.values(before), ...Object.values(ch), ...Object.values(undo)]);
  r = investigateAccessKey(c.db, CAROL_KEY, OPTS);
});

afterAll(() => c?.close());

const exposure = (ev: Record<string, unknown>) => r.exposures.find((e) => e.eventId === ev.eventID);
const commandsFor = (ev: Record<string, unknown>) => r.response.filter((x) => x.eventIds.includes(ev.eventID as string)).map((x) => x.command);
const commands = () => r.response.map((x) => x.command).join('\n');

describe('deleting a user or a role undoes what hung off it', () => {
  it('the user, its key, its password and its policy are reverted by DeleteUser', () => {
    for (const ev of [ch.user, ch.key, ch.profile, ch.attach]) {
      expect(exposure(ev)?.revert, ev.eventName as string).toMatchObject({ state: 'reverted', eventId: undo.deleteUser.eventID, eventName: 'DeleteUser', by: ADMIN_ARN });
      expect(commandsFor(ev), ev.eventName as string).toEqual([]);
    }
    expect(r.createdAccessKeys[0]).toMatchObject({ accessKeyId: SVC_KEY, revert: { state: 'deleted', eventName: 'DeleteUser' } });
    expect(r.findings.find((f) => f.type === 'persistence-access-key')?.message).toBe(`created access key ${SVC_KEY} for user svc-x, deleted 29 minutes later by ${ADMIN_ARN} (DeleteUser); not used before that`);
  });

  it('the role, its inline policy and its sessions need nothing: no delete-role, no put-role-policy', () => {
    expect(exposure(ch.role)).toMatchObject({ kind: 'role', grantees: [`arn:aws:iam::${OUTSIDE}:root`], revert: { state: 'reverted', eventId: undo.deleteRole.eventID } });
    expect(exposure(ch.rolePolicy)?.revert.eventId).toBe(undo.deleteRole.eventID);
    expect(commands()).not.toContain('r-ext');
    expect(r.responseSkipped.find((s) => s.description.startsWith(`sessions of role arn:aws:iam::${ACCT}:role/r-ext`))?.eventIds).toEqual([ch.assume.eventID, undo.deleteRole.eventID]);
  });
});

describe('a key deactivated and made Active again', () => {
  it('is still in place: not reverted, and gets its delete command', () => {
    expect(r.createdAccessKeys.find((k) => k.accessKeyId === ERIN_KEY)?.revert.state).toBe('not-reverted');
    expect(commandsFor(ch.erinKey)).toEqual([`aws iam delete-access-key --user-name erin --access-key-id ${ERIN_KEY}`]);
  });
});

describe('shares', () => {
  it('taking back one of two accounts does not undo the share; its command removes both', () => {
    expect(exposure(ch.snap)).toMatchObject({ kind: 'snapshot-share', grantees: [OUTSIDE, OTHER], revert: { state: 'not-reverted' } });
    expect(commandsFor(ch.snap)).toEqual([`aws ec2 modify-snapshot-attribute --region us-east-1 --snapshot-id snap-1 --attribute createVolumePermission --operation-type remove --user-ids ${OUTSIDE} ${OTHER}`]);
  });
  it('removing every account added undoes it', () => {
    expect(exposure(ch.dbSnap)).toMatchObject({ kind: 'db-cluster-snapshot-share', revert: { state: 'reverted', eventId: undo.dbSnap.eventID } });
    expect(commands()).not.toContain('orders-final');
  });
});

describe('what is still in place gets its command', () => {
  it('group membership, identity provider and the opened port (by rule id)', () => {
    expect(commandsFor(ch.group)).toEqual(['aws iam remove-user-from-group --group-name admins --user-name dave']);
    expect(commandsFor(ch.saml)).toEqual([`aws iam delete-saml-provider --saml-provider-arn ${SAML_ARN}`]);
    expect(exposure(ch.port)).toMatchObject({ kind: 'security-group-ingress', resource: 'sg-0abc', grantees: ['0.0.0.0/0'], handles: ['sgr-0ssh'] });
    expect(commandsFor(ch.port)).toEqual(['aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-0abc --security-group-rule-ids sgr-0ssh']);
  });
  it('a revoke of another rule of the group leaves the port open; a revoke by its rule id closes it', () => {
    expect(exposure(ch.port)?.revert.state).toBe('not-reverted');
    expect(exposure(ch.rdp)?.revert).toMatchObject({ state: 'reverted', eventId: undo.revokeRdp.eventID });
    expect(commands()).not.toContain('sgr-0rdp');
  });
  it('a trust policy changed: put back the document the evidence holds from before, else from a file', () => {
    expect(exposure(ch.trustApp)).toMatchObject({ kind: 'trust-policy', grantees: [`arn:aws:iam::${OUTSIDE}:root`], previousDocument: EC2_TRUST });
    expect(commandsFor(ch.trustApp)).toEqual([`aws iam update-assume-role-policy --role-name r-app --policy-document '${EC2_TRUST}'`]);
    expect(exposure(ch.trustLegacy)?.previousDocument).toBeNull();
    expect(commandsFor(ch.trustLegacy)).toEqual(['aws iam update-assume-role-policy --role-name r-legacy --policy-document file://trust-policy.json']);
  });
  it('a failed call is no exposure', () => {
    expect(exposure(ch.profileFailed)).toBeUndefined();
    expect(commands()).not.toContain('--user-name bob');
  });
});

describe('the investigated key itself', () => {
  it('deleted later: no deactivate command, one skipped line', () => {
    expect(commands()).not.toContain(`update-access-key --user-name carol --access-key-id ${CAROL_KEY}`);
    expect(r.responseSkipped[0]).toEqual({ description: `the stolen key ${CAROL_KEY}: DeleteAccessKey at ${at(50)} by ${ADMIN_ARN}`, eventIds: [undo.deleteCarolKey.eventID] });
  });
});
