// What a finding says: one per actor for an event rule; the outcome of the calls (succeeded, failed with which
// errorCodes, or mixed: a failed StopLogging is an attempt, not a blind spot); ids that survive re-runs and a rebuild
// of the case; the values of the rule's `fields`; and the weakest integrity trust label of its events after
// `trailhound verify`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCase } from '../../helpers/cases.js';
import { openCase, type Db } from '../../../src/index/open.js';
import { runIngest } from '../../../src/ingest/run.js';
import { loadRuleSet } from '../../../src/detect/rule-set.js';
import type { Rule } from '../../../src/detect/rule.js';
import type { Finding } from '../../../src/model/detection.js';
import { tmpDir } from '../../helpers/paths.js';
import { at, detect, event, findings, load, makeCase, ruleFolder, sigmaRule, user, type TestCase } from './engine-case.js';

const stop = (who: string, sec: number, over: Record<string, unknown> = {}) =>
  event({ userIdentity: user(who), eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', eventTime: at(sec), readOnly: false, requestParameters: { name: `trail-${who}-${sec}` }, ...over });
const denied = { errorCode: 'AccessDenied', errorMessage: 'User is not authorized' };

const records = [
  // alice: both succeeded
  stop('alice', 0),
  stop('alice', 10, { sourceIPAddress: '203.0.113.9', awsRegion: 'eu-west-1' }),
  // bob: all failed, two error codes (AccessDenied twice, so first)
  stop('bob', 20, { errorCode: 'TrailNotFoundException', errorMessage: 'x' }),
  stop('bob', 30, denied),
  stop('bob', 40, denied),
  // carol: mixed
  stop('carol', 50, denied),
  stop('carol', 60),
  // no ARN: grouped by principal ID
  stop('dave', 70, { userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLE:dave-session', accountId: '123456789012' } }),
];

const RULE = `${sigmaRule('f-stop', '  sel:\n    eventName: StopLogging\n  condition: sel')}fields:\n  - requestParameters.name\n  - eventName\ntags:\n  - attack.t1562.008\n`;

describe('findings of an event rule', () => {
  let c: TestCase;
  let db: Db;
  let rules: Rule[];
  let all: Finding[];
  const byActor = (needle: string) => all.find((f) => (f.group.actor ?? '').includes(needle))!;

  beforeAll(async () => {
    c = await makeCase(records);
    db = c.open();
    rules = load(ruleFolder({ 'stop.yml': RULE })).rules;
    detect(db, rules);
    all = findings(db);
  });
  afterAll(() => {
    db?.close();
    c?.remove();
  });

  it('one finding per actor, with the rule metadata', () => {
    expect(all).toHaveLength(4);
    expect(all.map((f) => f.group.actor).sort()).toEqual(['AROAEXAMPLE:dave-session', user('alice').arn, user('bob').arn, user('carol').arn].sort());
    for (const f of all) expect(f).toMatchObject({ ruleId: 'f-stop', title: 'Rule f-stop', level: 'medium', author: 'Tester', tags: ['attack.t1562.008'], pack: 'mine' });
  });

  it('outcome: succeeded, failed (error codes most frequent first) or mixed', () => {
    expect(byActor('alice')).toMatchObject({ outcome: 'succeeded', errorCodes: [] });
    expect(byActor('bob')).toMatchObject({ outcome: 'failed', errorCodes: ['AccessDenied', 'TrailNotFoundException'] });
    expect(byActor('carol')).toMatchObject({ outcome: 'mixed', errorCodes: ['AccessDenied'] });
  });

  it('times, events oldest first, and who/where', () => {
    const a = byActor('alice');
    expect(a).toMatchObject({ firstTime: at(0), lastTime: at(10), eventCount: 2, eventIds: [records[0].eventID, records[1].eventID] });
    expect(a.principals).toEqual([user('alice').arn]);
    expect(a.accessKeyIds).toEqual([user('alice').accessKeyId]);
    expect(a.sourceIps.sort()).toEqual(['198.51.100.1', '203.0.113.9']);
    expect(a.regions.sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(a.accounts).toEqual(['123456789012']);
    expect(byActor('dave').principals).toEqual(['AROAEXAMPLE:dave-session']);
  });

  it("details hold the values of the rule's fields", () => {
    expect(byActor('bob').details).toEqual({ 'requestParameters.name': ['trail-bob-20', 'trail-bob-30', 'trail-bob-40'], eventName: ['StopLogging'] });
  });

  it('ids are stable: a re-run, a full re-run and a case rebuilt from the same evidence give the same ids and events', async () => {
    const ids = all.map((f) => f.findingId).sort();
    detect(db, rules);
    expect(findings(db).map((f) => f.findingId).sort()).toEqual(ids);
    detect(db, rules, { full: true });
    expect(findings(db).map((f) => f.findingId).sort()).toEqual(ids);
    const again = await makeCase([...records].reverse());
    const db2 = again.open();
    try {
      detect(db2, rules);
      expect(findings(db2).map((f) => [f.findingId, f.eventIds])).toEqual(findings(db).map((f) => [f.findingId, f.eventIds]));
    } finally {
      db2.close();
      again.remove();
    }
  });

  // BUG (minor): src/detect/findings.ts findingsOfRule orders sourceIps, regions, principals… by count, ties in the
  // order the matches are read (events.id, i.e. ingest order), so the same evidence ingested in another order prints
  // differently (JSON diffs, golden files). Fix: break ties by first time seen (iterate the matches ordered by
  // e.event_time, e.id in forEachMatchRaw, or sort ties by the first index in the time-ordered rows).
  it('a case rebuilt from the same evidence in another order gives identical findings', async () => {
    const again = await makeCase([...records].reverse());
    const db2 = again.open();
    try {
      detect(db2, rules);
      expect(findings(db2)).toEqual(findings(db));
    } finally {
      db2.close();
      again.remove();
    }
  });
});

describe('a failed console login', () => {
  // The shape CloudTrail writes for a wrong password: no errorCode; errorMessage and responseElements say it failed.
  const failedLogin = event({
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEVE', accountId: '123456789012', accessKeyId: '', userName: 'eve' },
    eventName: 'ConsoleLogin',
    eventSource: 'signin.amazonaws.com',
    errorMessage: 'Failed authentication',
    responseElements: { ConsoleLogin: 'Failure' },
    additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/' },
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
  });

  // Regression test (a bug found in review, now fixed): src/detect/findings.ts outcomeOf / findingsOfRule decide the outcome from errorCode only; a failed console
  // sign-in has none (errorMessage "Failed authentication", responseElements.ConsoleLogin "Failure"), so the
  // shipped "AWS ConsoleLogin Failed Authentication" rule reports its attempts as "succeeded" (on the committed sample
  // too). Fix: count an event as failed when error_code is NULL but error_message is set (the column exists), and
  // list the message (or "Failure") among errorCodes.
  it('is reported as a failed attempt by the shipped rule', async () => {
    const c = await makeCase([failedLogin]);
    const db = c.open();
    try {
      const set = loadRuleSet({ only: ['6393e346-1977-46ef-8987-ad414a145fad'] });
      detect(db, set.rules);
      const list = findings(db);
      expect(list).toHaveLength(1);
      expect(list[0].outcome).toBe('failed');
    } finally {
      db.close();
      c.remove();
    }
  });
});

describe('trust labels after trailhound verify', () => {
  let rules: Rule[];
  beforeAll(() => {
    rules = loadRuleSet({}).rules;
  });

  function run(file: string): Finding[] {
    const db = openCase(file);
    try {
      detect(db, rules);
      return findings(db);
    } finally {
      db.close();
    }
  }

  it('an unverified case labels every finding unverified', () => {
    const list = run(copyCase('sample'));
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(list.map((f) => f.trust))).toEqual(new Set(['unverified']));
  });

  it('a verified case labels findings proven; one event from unverified evidence makes its finding unverified', async () => {
    const file = copyCase('sampleVerified');
    const list = run(file);
    expect(new Set(list.map((f) => f.trust))).toEqual(new Set(['proven']));
    // A finding with one proven event: the key pair import by m.keller. Add an unverified event of the same kind.
    const target = list.find((f) => f.title === 'AWS Key Pair Import Activity' && f.eventCount === 1)!;
    expect(target).toBeDefined();
    const extra = event({
      userIdentity: { type: 'IAMUser', arn: target.principals[0], principalId: 'AIDAEXTRA', accountId: target.accounts[0] },
      eventName: 'ImportKeyPair',
      eventTime: target.firstTime,
      readOnly: false,
    });
    const dir = tmpDir('trailhound-engine-');
    fs.writeFileSync(path.join(dir, 'late.json'), JSON.stringify({ Records: [extra] }));
    await runIngest({ dbPath: file, paths: [dir], workers: 0 });
    const after = run(file);
    const same = after.find((f) => f.findingId === target.findingId)!;
    expect(same.eventCount).toBe(2);
    expect(same.trust).toBe('unverified');
    // The others keep their label.
    expect(after.filter((f) => f.findingId !== target.findingId).every((f) => f.trust === 'proven')).toBe(true);
  });
});
