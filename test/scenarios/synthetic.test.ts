// Small synthetic cases, ingested from JSON written to a temp dir, for what the sample does not plant: a 12-level
// AssumeRole chain (lineage down from the key, attribution up from the session), a cross-account AssumeRole whose
// credentials are only in the role owner's copy, and events of unexpected shape (shown, never dropped).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run.js';
import { openCase, type Db } from '../../src/index/open.js';
import { investigateAccessKey } from '../../src/scenarios/access-key.js';
import { investigateInstance } from '../../src/scenarios/instance.js';
import { investigateSecurityGroup } from '../../src/scenarios/security-group.js';
import type { InvestigationOptions } from '../../src/scenarios/common.js';
import { tmpDir } from '../helpers/paths.js';

const ACCT = '123456789012';
const OTHER = '210987654321';
const ROOT_KEY = 'AKIAALICE00000000001';
const ALICE = `arn:aws:iam::${ACCT}:user/alice`;
const INSTANCE = 'i-0abc1234def567890';
const LEVELS = 12;
const chainKey = (i: number) => `ASIACHAIN${String(i).padStart(11, '0')}`;
const t = (min: number) => new Date(Date.UTC(2025, 0, 10, 9, 0, 0) + min * 60_000).toISOString().replace('.000Z', 'Z');

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;

function aliceIdentity() {
  return { type: 'IAMUser', principalId: 'AIDAALICE', arn: ALICE, accountId: ACCT, accessKeyId: ROOT_KEY, userName: 'alice' };
}

function sessionIdentity(i: number, acct = ACCT) {
  return {
    type: 'AssumedRole',
    principalId: `AROA${i}:s${i}`,
    arn: `arn:aws:sts::${acct}:assumed-role/r${i}/s${i}`,
    accountId: acct,
    accessKeyId: chainKey(i),
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: `AROA${i}`, arn: `arn:aws:iam::${acct}:role/r${i}`, accountId: acct, userName: `r${i}` },
      attributes: { creationDate: t(100 + i), mfaAuthenticated: 'false' },
    },
  };
}

function event(over: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    eventTime: t(0),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.5',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    requestID: uuid(),
    eventID: uuid(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCT,
    eventCategory: 'Management',
    ...over,
  };
}

function assumeRole(minute: number, identity: Record<string, unknown>, i: number, acct = ACCT, extra: Record<string, unknown> = {}) {
  return event({
    eventTime: t(minute),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    userIdentity: identity,
    sourceIPAddress: '198.51.100.9',
    readOnly: true,
    requestParameters: { roleArn: `arn:aws:iam::${acct}:role/r${i}`, roleSessionName: `s${i}` },
    responseElements: {
      credentials: { accessKeyId: chainKey(i), expiration: 'Jan 10, 2025, 11:00:00 AM', sessionToken: 'x' },
      assumedRoleUser: { assumedRoleId: `AROA${i}:s${i}`, arn: `arn:aws:sts::${acct}:assumed-role/r${i}/s${i}` },
    },
    ...extra,
  });
}

function records(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  // Alice's ordinary days: 10 days, from the office.
  for (let d = 0; d < 10; d++) for (let h = 0; h < 3; h++) out.push(event({ eventTime: t(-(10 - d) * 1440 + h * 60), userIdentity: aliceIdentity() }));
  // The chain: alice → r1 → r2 → … → r12, from a new IP.
  out.push(assumeRole(101, aliceIdentity(), 1));
  for (let i = 2; i <= LEVELS; i++) out.push(assumeRole(100 + i, sessionIdentity(i - 1), i));
  // The last session stops the instance; an event of unexpected shape names it too.
  out.push(
    event({
      eventTime: t(130),
      eventName: 'StopInstances',
      readOnly: false,
      sourceIPAddress: '198.51.100.9',
      userIdentity: sessionIdentity(LEVELS),
      requestParameters: { instancesSet: { items: [{ instanceId: INSTANCE }] }, force: false },
      responseElements: { instancesSet: { items: [{ instanceId: INSTANCE, previousState: { code: 16, name: 'running' }, currentState: { code: 64, name: 'stopping' } }] } },
    }),
  );
  out.push(event({ eventTime: t(131), eventVersion: '9.99', eventName: 'FutureInstanceThing', readOnly: false, userIdentity: sessionIdentity(LEVELS), responseElements: { somethingNew: [{ id: INSTANCE }] } }));
  // Cross-account: the caller's copy has no credentials; the role owner's copy (same sharedEventID) does.
  const shared = uuid();
  const req = uuid();
  const xacct = assumeRole(140, sessionIdentity(LEVELS), 99, OTHER, { sharedEventID: shared, requestID: req, recipientAccountId: ACCT });
  xacct.responseElements = null;
  out.push(xacct);
  out.push(assumeRole(140, { type: 'AWSAccount', principalId: 'AROA12:s12', accountId: ACCT }, 99, OTHER, { sharedEventID: shared, requestID: req, recipientAccountId: OTHER }));
  out.push(event({ eventTime: t(141), recipientAccountId: OTHER, userIdentity: sessionIdentity(99, OTHER), sourceIPAddress: '198.51.100.9' }));
  // A security-group call with no requestParameters at all.
  out.push(event({ eventTime: t(150), eventName: 'AuthorizeSecurityGroupIngress', readOnly: false, userIdentity: aliceIdentity(), responseElements: { _return: true, securityGroupRuleSet: { items: [{ groupId: 'sg-0123456789abcdef0', securityGroupRuleId: 'sgr-0aaa', isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }] } } }));
  return out;
}

let db: Db;
let dir: string;
const opts: InvestigationOptions = { filter: {}, tz: 'UTC', now: Date.UTC(2025, 0, 11) };

beforeAll(async () => {
  dir = tmpDir('trailhound-syn-');
  const evidence = path.join(dir, 'evidence');
  fs.mkdirSync(evidence);
  fs.writeFileSync(path.join(evidence, 'records.json'), JSON.stringify({ Records: records() }));
  const dbPath = path.join(dir, 'case.db');
  await runIngest({ dbPath, paths: [evidence], workers: 0 });
  db = openCase(dbPath, { readonly: true });
});

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a 12-level role chain', () => {
  it('is followed down from the key, level by level, into the other account', () => {
    const r = investigateAccessKey(db, ROOT_KEY, opts);
    const byKey = new Map(r.derivedCredentials.map((d) => [d.accessKeyId, d]));
    for (let i = 1; i <= LEVELS; i++) {
      expect(byKey.get(chainKey(i)), `level ${i}`).toMatchObject({ depth: i, parentAccessKeyId: i === 1 ? ROOT_KEY : chainKey(i - 1), roleArn: `arn:aws:iam::${ACCT}:role/r${i}` });
    }
    expect(byKey.get(chainKey(99))).toMatchObject({ depth: LEVELS + 1, crossAccount: true, linkedBy: 'sharedEventID', accountId: OTHER });
    expect(r.events.some((e) => e.recipientAccountId === OTHER && e.accessKeyId === chainKey(99))).toBe(true);
    expect(r.suspectWindow.firstAnomalyEventId).toBe(r.events.find((e) => e.eventName === 'AssumeRole')!.eventId);
  });

  it('is followed up from the session that stopped the instance to alice', () => {
    const r = investigateInstance(db, INSTANCE, opts);
    const stop = r.events.find((e) => e.eventName === 'StopInstances')!;
    expect(stop.stateChange).toEqual({ from: 'running', to: 'stopping' });
    expect(stop.actor.assumedByChain).toHaveLength(LEVELS);
    expect(stop.actor.assumedBy).toBe(sessionIdentity(LEVELS - 1).arn);
    expect(stop.actor.originArn).toBe(ALICE);
    const odd = r.events.find((e) => e.eventName === 'FutureInstanceThing')!;
    expect(odd).toMatchObject({ lifecycle: false, stateChange: null });
    expect(odd.actor.originArn).toBe(ALICE);
  });

  it('a temporary key investigated on its own names every minting call up to alice', () => {
    const r = investigateAccessKey(db, chainKey(LEVELS), opts);
    expect(r.mintedBy).toHaveLength(LEVELS);
    expect(r.mintedBy[LEVELS - 1]).toMatchObject({ arn: ALICE, accessKeyId: ROOT_KEY });
  });
});

describe('events of unexpected shape', () => {
  it('a rule change without requestParameters is still listed, from what its response says', () => {
    const r = investigateSecurityGroup(db, 'sg-0123456789abcdef0', opts);
    expect(r.found).toBe(true);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ action: 'authorize', eventName: 'AuthorizeSecurityGroupIngress' });
  });
});
