// The instance-credential finding types (docs/findings.md#instance-credentials-used-elsewhere and
// #instance-session-used-elsewhere): an instance-profile session replayed from outside triggers them, in `investigate
// instance` and in `investigate access-key` on the session's key; the instance's own calls (private address, VPC
// endpoint, an AWS service acting for it) and a second instance's sessions do not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/index/open.js';
import { investigateAccessKey } from '../../../src/scenarios/access-key.js';
import { investigateInstance } from '../../../src/scenarios/instance.js';
import { ACCT, at, event, ofType, OPTS, syntheticCase } from './synthetic-case.js';

const ROLE = `arn:aws:iam::${ACCT}:role/app-role`;
const STOLEN_ON = 'i-0aaaaaaaaaaaaaaa1';
const CLEAN = 'i-0bbbbbbbbbbbbbbb2';
const IMDS_V1 = 'i-0ccccccccccccccc3';
const SDK = 'aws-sdk-java/2.21.29 Linux/5.10.205-195.807.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS Java/17.0.9';
const KALI = 'aws-cli/2.9.19 Python/3.9.11 Linux/6.1.0-kali7-amd64 exe/x86_64.kali.2023 prompt/off command/s3api.list-buckets';
const NAT_SAME_CLIENT = '203.0.113.80';

/** EC2's AssumeRole minting `key` for `instance` at minute `min`. */
function mint(min: number, instance: string, key: string): Record<string, unknown> {
  return event({
    eventTime: at(min),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
    sourceIPAddress: 'ec2.amazonaws.com',
    userAgent: 'ec2.amazonaws.com',
    requestParameters: { roleArn: ROLE, roleSessionName: instance, durationSeconds: 21600 },
    responseElements: {
      credentials: { accessKeyId: key, sessionToken: 'IQoJb3JpZ2luX2VjE', expiration: 'Jan 10, 2025, 6:00:00 AM' },
      assumedRoleUser: { assumedRoleId: `AROAAPPROLE:${instance}`, arn: `arn:aws:sts::${ACCT}:assumed-role/app-role/${instance}` },
    },
  });
}

/** A call by the instance-profile session `key` of `instance` at minute `min`, created at minute `created`. */
function call(min: number, instance: string, key: string, created: number, ip: string, ua: string, over: Record<string, unknown> = {}, delivery = '2.0'): Record<string, unknown> {
  return event({
    eventTime: at(min),
    eventSource: 'ssm.amazonaws.com',
    eventName: 'GetParameter',
    sourceIPAddress: ip,
    userAgent: ua,
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAAPPROLE:${instance}`,
      arn: `arn:aws:sts::${ACCT}:assumed-role/app-role/${instance}`,
      accountId: ACCT,
      accessKeyId: key,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAAPPROLE', arn: ROLE, accountId: ACCT, userName: 'app-role' },
        attributes: { creationDate: at(created), mfaAuthenticated: 'false' },
        ec2RoleDelivery: delivery,
      },
    },
    ...over,
  });
}

const K1 = 'ASIAAPPAAAAAAAAAAAA1';
const K2 = 'ASIAAPPAAAAAAAAAAAA2';
const C1 = 'ASIAAPPBBBBBBBBBBBB1';
const C2 = 'ASIAAPPBBBBBBBBBBBB2';
const V1 = 'ASIAAPPCCCCCCCCCCCC1';
const theft = [call(95, STOLEN_ON, K1, 0, '192.0.2.61', KALI), call(96, STOLEN_ON, K1, 0, '192.0.2.61', KALI)];
const records = [
  mint(0, STOLEN_ON, K1),
  ...[5, 30, 60, 90, 120].map((m) => call(m, STOLEN_ON, K1, 0, '10.20.11.47', SDK)),
  call(70, STOLEN_ON, K1, 0, '10.20.11.47', SDK, { vpcEndpointId: 'vpce-0f3a8c6e2d1b49a75' }),
  call(80, STOLEN_ON, K1, 0, 's3.amazonaws.com', 's3.amazonaws.com', { eventSource: 'kms.amazonaws.com', eventName: 'Decrypt' }),
  ...theft,
  mint(180, STOLEN_ON, K2),
  ...[185, 200, 240].map((m) => call(m, STOLEN_ON, K2, 180, '10.20.11.47', SDK)),
  // Another instance: private calls, and its NAT address in both of its sessions with its own client.
  mint(0, CLEAN, C1),
  ...[10, 40].map((m) => call(m, CLEAN, C1, 0, '10.20.12.93', SDK)),
  call(50, CLEAN, C1, 0, NAT_SAME_CLIENT, SDK),
  mint(180, CLEAN, C2),
  ...[190, 220].map((m) => call(m, CLEAN, C2, 180, NAT_SAME_CLIENT, SDK)),
  // An instance that reads its credentials through IMDSv1, replayed from outside.
  mint(0, IMDS_V1, V1),
  ...[10, 40].map((m) => call(m, IMDS_V1, V1, 0, '10.20.13.15', SDK, {}, '1.0')),
  call(45, IMDS_V1, V1, 0, '192.0.2.61', KALI, {}, '1.0'),
];

let c: { db: Db; close: () => void };

beforeAll(async () => {
  c = await syntheticCase(records);
});

afterAll(() => c?.close());

describe('instance-credentials-used-elsewhere', () => {
  it('is emitted, high, for the session replayed from outside with another client, citing those calls', () => {
    const f = ofType(investigateInstance(c.db, STOLEN_ON, OPTS).findings, 'instance-credentials-used-elsewhere');
    expect(f).toEqual([expect.objectContaining({ severity: 'high', eventIds: theft.map((e) => e.eventID) })]);
    expect(f[0].message).toBe(
      `role credentials of ${STOLEN_ON} (${ROLE}) used from 192.0.2.61 (outside AWS, aws-cli/2.9.19 on Kali; 2 calls from ${at(95)}); the instance calls from 10.20.11.47`,
    );
  });
  it('says when the stolen session was delivered through IMDSv1, and only then', () => {
    const v1 = ofType(investigateInstance(c.db, IMDS_V1, OPTS).findings, 'instance-credentials-used-elsewhere');
    expect(v1[0].reasons).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^delivered through IMDSv1 .*: ${V1}$`))]));
    const v2 = ofType(investigateInstance(c.db, STOLEN_ON, OPTS).findings, 'instance-credentials-used-elsewhere');
    expect((v2[0].reasons as string[]).some((x) => x.includes('IMDSv1'))).toBe(false);
    expect((ofType(investigateAccessKey(c.db, V1, OPTS).findings, 'instance-session-used-elsewhere')[0].reasons as string[]).some((x) => x.includes('IMDSv1'))).toBe(true);
  });
  it('is not emitted for the instance\'s own calls, its VPC endpoint, a service acting for it, nor a NAT address its sessions share', () => {
    expect(ofType(investigateInstance(c.db, CLEAN, OPTS).findings, 'instance-credentials-used-elsewhere')).toEqual([]);
    const r = investigateInstance(c.db, STOLEN_ON, OPTS).roleSessions!;
    expect(r.usedElsewhere.map((u) => u.sourceIPAddress)).toEqual(['192.0.2.61']);
    expect(r.sessions.map((s) => [s.accessKeyId, s.mintedBy?.invokedBy, s.usedElsewhere])).toEqual([
      [K1, 'ec2.amazonaws.com', true],
      [K2, 'ec2.amazonaws.com', false],
    ]);
  });
});

describe('instance-session-used-elsewhere', () => {
  it('is emitted, high, on the stolen session\'s key, with the instance link', () => {
    const r = investigateAccessKey(c.db, K1, OPTS);
    expect(ofType(r.findings, 'instance-session-used-elsewhere')).toEqual([expect.objectContaining({ severity: 'high', eventIds: theft.map((e) => e.eventID) })]);
    expect(r.instanceLink).toMatchObject({ instanceId: STOLEN_ON, linkedBy: ['session-name', 'ec2-assume-role'], sessionCount: 2, ownAddresses: ['10.20.11.47'] });
  });
  it('is not emitted on the rotated session nor on the other instance\'s keys', () => {
    for (const key of [K2, C1, C2]) {
      const r = investigateAccessKey(c.db, key, OPTS);
      expect(r.instanceLink, key).not.toBeNull();
      expect(ofType(r.findings, 'instance-session-used-elsewhere'), key).toEqual([]);
    }
  });
});
