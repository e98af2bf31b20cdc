// Each finding type of the console-logins investigation (docs/findings.md#console-logins): emitted on sign-ins that
// should trigger it, and not on the look-alikes next to them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/index/open.js';
import { investigateConsoleLogins, type ConsoleLoginReport } from '../../../src/scenarios/console-logins.js';
import { ACCT, at, event, iamUser, ofType, OPTS, syntheticCase } from './synthetic-case.js';

const ROOT = { type: 'Root', principalId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT };

/** A ConsoleLogin of `identity` from `ip` at minute `min`. */
function login(min: number, identity: Record<string, unknown>, ip: string, ok: boolean, mfa: 'Yes' | 'No' = 'Yes'): Record<string, unknown> {
  const { accessKeyId: _key, ...who } = identity;
  return event({
    eventTime: at(min),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    userIdentity: who,
    sourceIPAddress: ip,
    userAgent: 'Mozilla/5.0',
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    responseElements: { ConsoleLogin: ok ? 'Success' : 'Failure' },
    additionalEventData: { MFAUsed: mfa, LoginTo: 'https://console.aws.amazon.com/console/home' },
    ...(ok ? {} : { errorMessage: 'Failed authentication' }),
  });
}

const user = (name: string) => iamUser(name, `AKIA${name.toUpperCase().padEnd(16, '0')}`);

const rootOk = login(0, ROOT, '203.0.113.25', true);
const rootFailed = login(5, ROOT, '203.0.113.26', false);
// alice works from 198.51.100.1, signs in from there, then from an IP she never used.
const aliceEarlier = event({ eventTime: at(10), userIdentity: user('alice'), sourceIPAddress: '198.51.100.1' });
const aliceUsualIp = login(20, user('alice'), '198.51.100.1', true);
const aliceNewIp = login(30, user('alice'), '203.0.113.77', true);
const bobNoMfa = login(40, user('bob'), '198.51.100.2', true, 'No');
const bobFailed = login(45, user('bob'), '198.51.100.2', false);
// Three failures from one IP, no success after: a burst. Two failures from another IP: too few.
const burst = [0, 2, 4].map((m) => login(100 + m, user('carol'), '192.0.2.10', false));
const twoFailures = [0, 2].map((m) => login(200 + m, user('carol'), '192.0.2.20', false));
// Three failures, then a success from the same IP within 10 minutes.
const guessed = [0, 2, 4].map((m) => login(300 + m, user('dave'), '192.0.2.30', false));
const guessedOk = login(310, user('dave'), '192.0.2.30', true);

const ids = (...records: Record<string, unknown>[]) => records.map((r) => r.eventID as string);

let c: { db: Db; close: () => void };
let r: ConsoleLoginReport;

beforeAll(async () => {
  c = await syntheticCase([rootOk, rootFailed, aliceEarlier, aliceUsualIp, aliceNewIp, bobNoMfa, bobFailed, ...burst, ...twoFailures, ...guessed, guessedOk]);
  r = investigateConsoleLogins(c.db, OPTS);
});

afterAll(() => c?.close());

describe('root-login', () => {
  it('is emitted for a successful root sign-in, at high', () => {
    expect(ofType(r.findings, 'root-login')).toEqual([expect.objectContaining({ severity: 'high', eventIds: ids(rootOk), message: 'root signed in to the console from 203.0.113.25' })]);
  });
  it('is not emitted for a failed root sign-in or for IAM users', () => {
    expect(ofType(r.findings, 'root-login').flatMap((f) => f.eventIds)).toEqual(ids(rootOk));
  });
});

describe('root-login-failed', () => {
  it('is emitted for a failed root sign-in, at medium', () => {
    expect(ofType(r.findings, 'root-login-failed')).toEqual([expect.objectContaining({ severity: 'medium', eventIds: ids(rootFailed) })]);
  });
  it('is not emitted for failed IAM-user sign-ins', () => {
    const cited = ofType(r.findings, 'root-login-failed').flatMap((f) => f.eventIds);
    for (const id of ids(bobFailed, ...burst)) expect(cited).not.toContain(id);
  });
});

describe('login-without-mfa', () => {
  it('is emitted for a successful IAM-user sign-in without MFA, at medium', () => {
    expect(ofType(r.findings, 'login-without-mfa')).toEqual([expect.objectContaining({ severity: 'medium', eventIds: ids(bobNoMfa), message: `arn:aws:iam::${ACCT}:user/bob signed in without MFA from 198.51.100.2` })]);
  });
  it('is not emitted for sign-ins with MFA or for failed ones', () => {
    const cited = ofType(r.findings, 'login-without-mfa').flatMap((f) => f.eventIds);
    for (const id of ids(aliceUsualIp, aliceNewIp, bobFailed, guessedOk)) expect(cited).not.toContain(id);
  });
});

describe('login-from-new-ip', () => {
  it("is emitted for a sign-in from an IP the user's earlier activity never came from, at medium", () => {
    expect(ofType(r.findings, 'login-from-new-ip')).toEqual([expect.objectContaining({ severity: 'medium', eventIds: ids(aliceNewIp) })]);
  });
  it('is not emitted for a sign-in from a known IP, nor for a user without earlier activity', () => {
    const cited = ofType(r.findings, 'login-from-new-ip').flatMap((f) => f.eventIds);
    for (const id of ids(aliceUsualIp, bobNoMfa, guessedOk)) expect(cited).not.toContain(id);
  });
});

describe('failure-burst', () => {
  it('is emitted for 3 failures from one IP with no success after, at medium', () => {
    expect(ofType(r.findings, 'failure-burst')).toEqual([expect.objectContaining({ severity: 'medium', eventIds: ids(...burst) })]);
  });
  it('is not emitted for 2 failures, nor for a burst followed by a success', () => {
    const cited = ofType(r.findings, 'failure-burst').flatMap((f) => f.eventIds);
    for (const id of ids(...twoFailures, ...guessed)) expect(cited).not.toContain(id);
  });
});

describe('failure-burst-then-success', () => {
  it('is emitted for a burst followed within 10 minutes by a success from the same IP, at high', () => {
    expect(ofType(r.findings, 'failure-burst-then-success')).toEqual([
      expect.objectContaining({ severity: 'high', eventIds: ids(...guessed, guessedOk), message: `3 failed logins from 192.0.2.30 between ${at(300)} and ${at(304)} (users: dave), then a success` }),
    ]);
  });
  it('is not emitted for a burst with no success after', () => {
    expect(ofType(r.findings, 'failure-burst-then-success').flatMap((f) => f.eventIds)).not.toContain(ids(burst[0])[0]);
  });
});
