// Each finding type of the access-key investigation (docs/findings.md#access-key): alice's key has 10 ordinary days
// (09:00-11:00 UTC, one IP and client) and then an attack at 03:00 from a new IP; bob's key has the same ordinary
// days and then one more ordinary day with a few denied calls. Every type is emitted for alice's key and none for
// bob's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/index/open.js';
import { investigateAccessKey, type AccessKeyReport } from '../../../src/scenarios/access-key.js';
import { ACCT, at, event, iamUser, ofType, OPTS, OUTSIDE, syntheticCase } from './synthetic-case.js';

const ALICE_KEY = 'AKIAALICE00000000001';
const BOB_KEY = 'AKIABOB0000000000001';
const SESSION_KEY = 'ASIAALICESESSION0001';
const ROLE_KEY = 'ASIAALICEROLE0000001';
const BACKDOOR_KEY = 'AKIABACKDOOR00000001';
const ATTACK = 10 * 1440 + 3 * 60; // day 11, 03:00 UTC
const ATTACKER = { sourceIPAddress: '203.0.113.66', userAgent: 'python-requests/2.31' };

const alice = iamUser('alice', ALICE_KEY);
const bob = iamUser('bob', BOB_KEY);
// carol's key has two ordinary days only (a thin baseline), then a denied burst from a new address.
const CAROL_KEY = 'AKIACAROL00000000001';
const carol = iamUser('carol', CAROL_KEY);
const carolDays = ordinaryDays(carol, '198.51.100.3').slice(0, 6);
const carolBurst = [0, 1, 2, 3, 4].map((i) =>
  event({ eventTime: at(2 * 1440 + 3 * 60 + i), userIdentity: carol, ...ATTACKER, eventName: 'ListSecrets', eventSource: 'secretsmanager.amazonaws.com', errorCode: 'AccessDenied', errorMessage: 'denied' }),
);

/** Three calls a day at 09:00, 10:00 and 11:00 on days 1-10, from the user's office. */
function ordinaryDays(identity: Record<string, unknown>, ip: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let d = 0; d < 10; d++) for (const h of [9, 10, 11]) out.push(event({ eventTime: at(d * 1440 + h * 60), userIdentity: identity, sourceIPAddress: ip }));
  return out;
}

const attack = {
  first: event({ eventTime: at(ATTACK), userIdentity: alice, ...ATTACKER }),
  denied: [0, 1, 2, 3, 4].map((i) =>
    event({ eventTime: at(ATTACK + 1 + i), userIdentity: alice, ...ATTACKER, eventName: 'DescribeSecrets', eventSource: 'secretsmanager.amazonaws.com', errorCode: 'AccessDenied', errorMessage: 'denied' }),
  ),
  createKey: event({
    eventTime: at(ATTACK + 10),
    userIdentity: alice,
    ...ATTACKER,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    readOnly: false,
    requestParameters: { userName: 'svc-sync' },
    responseElements: { accessKey: { userName: 'svc-sync', accessKeyId: BACKDOOR_KEY, status: 'Active' } },
  }),
  sessionToken: event({
    eventTime: at(ATTACK + 11),
    userIdentity: alice,
    ...ATTACKER,
    eventSource: 'sts.amazonaws.com',
    eventName: 'GetSessionToken',
    responseElements: { credentials: { accessKeyId: SESSION_KEY, expiration: 'Jan 21, 2025, 3:11:00 AM', sessionToken: 'x' } },
  }),
  crossAccount: event({
    eventTime: at(ATTACK + 12),
    userIdentity: { ...alice, accessKeyId: SESSION_KEY },
    ...ATTACKER,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    requestParameters: { roleArn: `arn:aws:iam::${OUTSIDE}:role/prod-ops`, roleSessionName: 'x' },
    responseElements: {
      credentials: { accessKeyId: ROLE_KEY, expiration: 'Jan 11, 2025, 4:12:00 AM', sessionToken: 'x' },
      assumedRoleUser: { assumedRoleId: 'AROAPRODOPS:x', arn: `arn:aws:sts::${OUTSIDE}:assumed-role/prod-ops/x` },
    },
  }),
  stopLogging: event({
    eventTime: at(ATTACK + 13),
    userIdentity: alice,
    ...ATTACKER,
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging',
    readOnly: false,
    requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${ACCT}:trail/main` },
  }),
};

const BOB_DAY = 10 * 1440 + 10 * 60; // day 11, 10:00 UTC: his usual hours
const bobDay = [
  event({ eventTime: at(BOB_DAY), userIdentity: bob, sourceIPAddress: '198.51.100.2' }),
  ...[1, 2, 3, 4].map((i) => event({ eventTime: at(BOB_DAY + i), userIdentity: bob, sourceIPAddress: '198.51.100.2', errorCode: 'Client.UnauthorizedOperation', errorMessage: 'denied' })),
  event({ eventTime: at(BOB_DAY + 10), userIdentity: bob, sourceIPAddress: '198.51.100.2', eventSource: 'cloudtrail.amazonaws.com', eventName: 'DescribeTrails' }),
];

let c: { db: Db; close: () => void };
let a: AccessKeyReport;
let b: AccessKeyReport;
let thin: AccessKeyReport;

beforeAll(async () => {
  c = await syntheticCase([...ordinaryDays(alice, '198.51.100.1'), ...Object.values(attack).flat(), ...ordinaryDays(bob, '198.51.100.2'), ...bobDay, ...carolDays, ...carolBurst]);
  a = investigateAccessKey(c.db, ALICE_KEY, OPTS);
  b = investigateAccessKey(c.db, BOB_KEY, OPTS);
  thin = investigateAccessKey(c.db, CAROL_KEY, OPTS);
});

afterAll(() => c?.close());

describe('first-anomaly', () => {
  it("is emitted for the first event from an IP and client the owner's baseline does not have, at high", () => {
    expect(ofType(a.findings, 'first-anomaly')).toEqual([expect.objectContaining({ severity: 'high', eventIds: [attack.first.eventID] })]);
    expect(ofType(a.findings, 'first-anomaly')[0].message).toMatch(/^first departure from the owner's usual activity \(confidence high\): source IP 203\.0\.113\.66 not seen/);
  });
  it('is not emitted from a thin baseline', () => {
    expect(ofType(thin.findings, 'first-anomaly')).toEqual([]);
  });
  it('is not emitted when the key keeps to its baseline, nor when the window is given with --since', () => {
    expect(ofType(b.findings, 'first-anomaly')).toEqual([]);
    expect(ofType(investigateAccessKey(c.db, ALICE_KEY, { ...OPTS, since: Date.parse(at(ATTACK)) }).findings, 'first-anomaly')).toEqual([]);
  });
});

describe('thin-baseline', () => {
  it('is emitted, at low, when the history before the activity with attack signals is too thin', () => {
    expect(ofType(thin.findings, 'thin-baseline')).toEqual([expect.objectContaining({ severity: 'low', eventIds: [carolBurst[0].eventID] })]);
    expect(ofType(thin.findings, 'thin-baseline')[0].message).toBe(
      `baseline too thin to tell usual from unusual: 6 events over 26 hours on 2 active days before the activity with attack signals (needs at least 3 active days, 30 events and 48 hours); ${ATTACKER.sourceIPAddress}: 5 denied calls in bursts; suspect window set to that activity (confidence low)`,
    );
    expect(thin.suspectWindow).toMatchObject({ source: 'thin-baseline', start: at(2 * 1440 + 3 * 60), end: at(2 * 1440 + 3 * 60 + 4), confidence: 'low' });
  });
  it('is not emitted when the baseline is usable', () => {
    expect(ofType(a.findings, 'thin-baseline')).toEqual([]);
    expect(ofType(b.findings, 'thin-baseline')).toEqual([]);
  });
});

describe('persistence-access-key', () => {
  it('is emitted for an access key the investigated key created, at high', () => {
    expect(ofType(a.findings, 'persistence-access-key')).toEqual([
      expect.objectContaining({ severity: 'high', eventIds: [attack.createKey.eventID], message: `created access key ${BACKDOOR_KEY} for user svc-sync, not used in the evidence` }),
    ]);
  });
  it('is not emitted for a key that created none', () => {
    expect(ofType(b.findings, 'persistence-access-key')).toEqual([]);
  });
});

describe('cross-account-credentials', () => {
  it('is emitted when the lineage reaches a role in another account, at high', () => {
    expect(ofType(a.findings, 'cross-account-credentials')).toEqual([
      expect.objectContaining({ severity: 'high', eventIds: [attack.crossAccount.eventID], message: `minted credentials in other accounts: arn:aws:iam::${OUTSIDE}:role/prod-ops` }),
    ]);
  });
  it('is not emitted for credentials minted in the same account', () => {
    expect(a.derivedCredentials.find((d) => d.accessKeyId === SESSION_KEY)).toMatchObject({ via: 'GetSessionToken', crossAccount: false });
    expect(ofType(a.findings, 'cross-account-credentials').flatMap((f) => f.eventIds)).not.toContain(attack.sessionToken.eventID);
    expect(ofType(b.findings, 'cross-account-credentials')).toEqual([]);
  });
});

describe('access-denied-burst', () => {
  it("is emitted for 5 denied calls of one family each within 2 minutes of the family's one before, at medium", () => {
    expect(ofType(a.findings, 'access-denied-burst')).toEqual([
      expect.objectContaining({ severity: 'medium', eventIds: attack.denied.map((e) => e.eventID), message: `5 denied calls between ${at(ATTACK + 1)} and ${at(ATTACK + 5)} (reconnaissance)` }),
    ]);
  });
  it('is not emitted for 4 denied calls', () => {
    expect(ofType(b.findings, 'access-denied-burst')).toEqual([]);
  });
});

describe('defence-evasion', () => {
  it('is emitted for StopLogging, at high', () => {
    expect(ofType(a.findings, 'defence-evasion')).toEqual([
      expect.objectContaining({ severity: 'high', outcome: 'succeeded', eventIds: [attack.stopLogging.eventID], message: 'logging/defence changes succeeded: StopLogging', failed: [] }),
    ]);
  });
  it('is not emitted for reading the trail configuration', () => {
    expect(ofType(b.findings, 'defence-evasion')).toEqual([]);
  });
});

describe('lineage-truncated', () => {
  it('is emitted, as info, when the lineage is deeper than --max-depth', () => {
    const shallow = investigateAccessKey(c.db, ALICE_KEY, { ...OPTS, maxDepth: 1 });
    expect(ofType(shallow.findings, 'lineage-truncated')).toEqual([{ type: 'lineage-truncated', severity: 'info', message: 'lineage deeper than 1 levels was not followed', eventIds: [], outcome: null, revert: { state: 'not-applicable', eventIds: [], note: null } }]);
  });
  it('is not emitted when the whole lineage was followed', () => {
    expect(ofType(a.findings, 'lineage-truncated')).toEqual([]);
  });
});

describe('outside-usual-hours', () => {
  it("is emitted, at low, for events at hours the owner's baseline has none", () => {
    const f = ofType(a.findings, 'outside-usual-hours');
    expect(f).toEqual([expect.objectContaining({ severity: 'low' })]);
    expect(f[0].eventIds).toContain(attack.first.eventID);
    expect(f[0].eventIds).toContain(attack.stopLogging.eventID);
  });
  it('is not emitted for activity in the usual hours', () => {
    expect(ofType(b.findings, 'outside-usual-hours')).toEqual([]);
  });
});

describe('order', () => {
  it('lists high findings first', () => {
    const rank = { high: 0, medium: 1, low: 2, info: 3 };
    const ranks = a.findings.map((f) => rank[f.severity]);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    expect(new Set(a.findings.map((f) => f.severity))).toEqual(new Set(['high', 'medium', 'low']));
  });
});
