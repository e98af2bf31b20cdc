// A TriageReport built in memory for the HTML report's tests: realistic values (an attacker's key minting sessions,
// a StopLogging gap, a coverage gap day), and every evidence-derived field optionally carrying hostile text.
// `hostile(i)` gives the i-th attacker string (cycled); pass none for a clean report.

import { TRIAGE_SCHEMA, type CitedEventDetail, type TriageFinding, type TriageReport } from '../../src/model/triage.js';

export interface TriageReportOptions {
  /** Attacker text to put into every evidence field; empty for clean values. */
  hostile?: readonly string[];
  /** Cited events to embed (default 6). */
  events?: number;
}

const ACCOUNT = '123456789012';
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const ATTACKER_IP = '203.0.113.66';

function uuid(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `5b1f0c3e-8d2a-4c7e-9a1b-${hex}`;
}

/** A TriageReport with `events` cited events, findings citing them, and optional hostile text in evidence fields. */
export function buildTriageReport(options: TriageReportOptions = {}): TriageReport {
  const payloads = options.hostile ?? [];
  const given = new Map<string, string>();
  /** The clean value with a hostile string appended (the next one for each new value, the same one for a value seen before). */
  const ev = (clean: string): string => {
    if (payloads.length === 0) return clean;
    let v = given.get(clean);
    if (v === undefined) {
      v = `${clean}${payloads[given.size % payloads.length]}`;
      given.set(clean, v);
    }
    return v;
  };
  const eventCount = options.events ?? 6;
  const base = Date.UTC(2025, 2, 1, 9, 0, 0);
  const events: CitedEventDetail[] = [];
  for (let i = 0; i < eventCount; i++) {
    const time = new Date(base + i * 7 * 60_000).toISOString().replace('.000Z', 'Z');
    const name = ['CreateAccessKey', 'StopLogging', 'AssumeRole', 'PutBucketPolicy', 'AuthorizeSecurityGroupIngress', 'StartLogging'][i % 6];
    const eventId = i === 1 && payloads.length > 0 ? ev(uuid(i)) : uuid(i);
    const record = {
      eventVersion: '1.09',
      eventTime: time,
      eventSource: 'iam.amazonaws.com',
      eventName: ev(name),
      awsRegion: ev('us-east-1'),
      sourceIPAddress: ev(ATTACKER_IP),
      userAgent: ev('aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64'),
      userIdentity: { type: 'IAMUser', userName: ev('mallory'), accessKeyId: KEY, accountId: ACCOUNT },
      requestParameters: { userName: ev('backdoor'), policyDocument: ev('{"Statement":[{"Effect":"Allow"}]}') },
      eventID: eventId,
      recipientAccountId: ACCOUNT,
    };
    events.push({
      eventId,
      time,
      eventName: ev(name),
      eventSource: ev('iam.amazonaws.com'),
      principal: ev(`arn:aws:iam::${ACCOUNT}:user/mallory`),
      sourceIp: ev(ATTACKER_IP),
      errorCode: i % 4 === 3 ? ev('AccessDenied') : null,
      account: ev(ACCOUNT),
      region: ev('us-east-1'),
      file: ev(`AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2025/03/01/${ACCOUNT}_CloudTrail_us-east-1_20250301T0900Z_${i}.json.gz`),
      recordIndex: i,
      fileSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      trust: i % 2 === 0 ? 'proven' : ev('unverified'),
      json: JSON.stringify(record, null, 2),
    });
  }
  const ids = events.map((e) => e.eventId);
  const finding = (i: number, over: Partial<TriageFinding>): TriageFinding => ({
    id: `f-${i}`,
    origin: 'rule',
    ruleId: ev('th-aws-cloudtrail-stop-logging'),
    title: ev('CloudTrail logging stopped'),
    level: 'high',
    outcome: 'succeeded',
    errorCodes: [],
    revert: { state: 'not-reverted', eventIds: [], note: null },
    firstTime: events[0]?.time ?? null,
    lastTime: events[events.length - 1]?.time ?? null,
    eventCount: ids.length,
    eventIds: ids,
    principals: [ev(`arn:aws:iam::${ACCOUNT}:user/mallory`)],
    accessKeyIds: [ev(KEY)],
    sourceIps: [ev(ATTACKER_IP)],
    accounts: [ev(ACCOUNT)],
    regions: [ev('us-east-1')],
    details: { [ev('requestParameters.name')]: [ev('management-trail')] },
    author: ev('trailhound'),
    source: ev('trailhound'),
    trust: ev('proven'),
    ...over,
  });
  const findings: TriageFinding[] = [
    finding(1, { level: 'critical', title: ev('Access key created for another user'), ruleId: ev('th-iam-create-access-key-other-user'), eventIds: ids.slice(0, 1), eventCount: 1 }),
    finding(2, {
      revert: { state: 'reverted', eventIds: ids.slice(5, 6), note: ev('StartLogging 40 minutes later') },
      eventIds: ids.slice(1, 2),
      eventCount: 1,
    }),
    finding(3, {
      origin: 'investigation',
      ruleId: 'console-login-failures',
      level: 'medium',
      outcome: 'mixed',
      errorCodes: [ev('AccessDenied'), ev('InvalidClientTokenId')],
      title: ev('Failed calls from a new IP'),
      source: ev('investigate access-key'),
      eventIds: [...ids.slice(2, 50), 'not-embedded-event-id'],
      eventCount: ids.length + 120,
    }),
    finding(4, { level: 'low', title: ev('Security group opened to the world'), firstTime: null, lastTime: null, eventIds: [], eventCount: 0 }),
  ];
  const day = (d: number) => new Date(Date.UTC(2025, 2, 1 + d)).toISOString().slice(0, 10);
  return {
    schema: TRIAGE_SCHEMA,
    generatedAt: '2025-03-10T12:00:00Z',
    toolVersion: '0.1.0',
    tz: 'Asia/Seoul',
    steps: [
      { step: 'ingest', status: 'ran', note: ev('5098 new events from 1608 files'), durationMs: 4210 },
      { step: 'verify', status: 'ran', note: ev('1142 of 1146 log files proven; 2 gaps'), durationMs: 1830 },
      { step: 'detect', status: 'ran', note: '4 findings from 64 rules', durationMs: 912 },
      { step: 'investigate console-logins', status: 'skipped', note: 'no ConsoleLogin events', durationMs: 0 },
      { step: 'investigate iam', status: 'failed', note: ev('error: the case is locked'), durationMs: 12 },
    ],
    evidence: {
      caseFile: ev('/cases/acme/case.db'),
      events: 5098,
      accounts: [ev(ACCOUNT), '210987654321'],
      regions: [ev('us-east-1'), 'eu-west-1'],
      firstEvent: '2025-03-01T00:02:11Z',
      lastEvent: '2025-03-04T23:58:40Z',
      sources: { [ev('log')]: 1608, digest: 96 },
      categories: { [ev('Management')]: 5090, Data: 8 },
      integrity: ev('1142 of 1146 log files proven; 2 gaps in the digest chain'),
      trust: { proven: 1142, provisional: 0, unverified: 4 },
      verifyExitCode: 5,
    },
    blindSpots: [
      { kind: 'logging-stopped', severity: 'high', account: ev(ACCOUNT), region: ev('us-east-1'), start: events[1]?.time ?? null, end: events[5]?.time ?? null, message: ev('StopLogging on management-trail until StartLogging'), eventIds: ids.slice(1, 2) },
      { kind: 'missing-hours', severity: 'medium', account: '210987654321', region: 'eu-west-1', start: '2025-03-02T00:00:00Z', end: '2025-03-03T00:00:00Z', message: 'no events for 24 hours', eventIds: [] },
      { kind: 'no-insights', severity: 'info', account: null, region: null, start: null, end: null, message: 'no Insights events in the evidence', eventIds: [] },
    ],
    coverage: [
      ...[0, 1, 2, 3].map((d) => ({ account: ev(ACCOUNT), region: 'us-east-1', day: day(d), events: 1000 + d * 200 })),
      { account: '210987654321', region: ev('eu-west-1'), day: day(0), events: 40 },
      { account: '210987654321', region: ev('eu-west-1'), day: day(3), events: 8 },
    ],
    activity: Array.from({ length: 96 }, (_, h) => ({ start: new Date(Date.UTC(2025, 2, 1, h)).toISOString().replace('.000Z', 'Z'), events: 40 + ((h * 37) % 60), flagged: h === 9 ? eventCount : 0 })).filter((b) => b.start.slice(11, 13) !== '03'),
    stacks: {
      baselineEnd: '2025-03-02T23:59:59Z',
      baselineNote: 'Baseline: the first 2 of 4 active days.',
      principals: [
        { value: ev(`arn:aws:iam::${ACCOUNT}:user/mallory`), events: 412, errors: 37, firstSeen: '2025-03-03T08:00:00Z', lastSeen: '2025-03-04T09:00:00Z', new: true },
        { value: `arn:aws:iam::${ACCOUNT}:role/ci-deploy`, events: 3900, errors: 2, firstSeen: '2025-03-01T00:02:11Z', lastSeen: '2025-03-04T23:58:40Z', new: false },
      ],
      accessKeys: [{ value: ev(KEY), events: 412, errors: 37, firstSeen: '2025-03-03T08:00:00Z', lastSeen: '2025-03-04T09:00:00Z', new: true }],
      sourceIps: [{ value: ev(ATTACKER_IP), events: 412, errors: 37, firstSeen: '2025-03-03T08:00:00Z', lastSeen: '2025-03-04T09:00:00Z', new: true }],
      userAgents: [{ value: ev('aws-cli/2'), events: 500, errors: 40, firstSeen: '2025-03-01T00:02:11Z', lastSeen: '2025-03-04T09:00:00Z', new: false, variants: 7 }],
      eventNames: [{ value: ev('StopLogging'), events: 1, errors: 0, firstSeen: events[1]?.time ?? null, lastSeen: events[1]?.time ?? null, new: true }],
      errors: [{ value: ev('AccessDenied'), events: 39, errors: 39, firstSeen: '2025-03-03T08:10:00Z', lastSeen: '2025-03-04T09:00:00Z', new: true }],
      regions: [{ value: ev('us-east-1'), events: 5050, errors: 39, firstSeen: '2025-03-01T00:02:11Z', lastSeen: '2025-03-04T23:58:40Z', new: false }],
    },
    findings,
    findingCounts: { critical: 1, high: 1, medium: 1, low: 1, informational: 3 },
    actors: [
      {
        kind: 'access-key',
        id: ev(KEY),
        label: ev('IAM user mallory'),
        account: ev(ACCOUNT),
        firstSeen: '2025-03-03T08:00:00Z',
        lastSeen: '2025-03-04T09:00:00Z',
        events: 412,
        errors: 37,
        sourceIps: [ev(ATTACKER_IP)],
        regions: [ev('us-east-1')],
        level: 'critical',
        findingIds: ['f-1', 'f-2', 'f-unknown'],
        story: [ev('2025-03-03 08:00 first call (GetCallerIdentity) from 203.0.113.66'), ev('created user backdoor and an access key for it')],
        created: [ev('AWS::IAM::User backdoor')],
        minted: [ev('AssumeRole session admin-session')],
        suspectWindow: { start: '2025-03-03T08:00:00Z', end: '2025-03-04T09:00:00Z', reason: ev('first call from a new IP to the last call'), source: 'first-anomaly', confidence: 'high' },
      },
    ],
    nextSteps: [
      { command: ev(`trailhound investigate access-key ${KEY} --db case.db`), why: ev('Follow the key that made the critical finding'), kind: 'investigate' },
      { command: ev(`aws iam update-access-key --access-key-id ${KEY} --status Inactive --user-name mallory`), why: 'Disable the key', kind: 'response' },
    ],
    events,
    citedEventsOmitted: 1,
    exitCode: 6,
  };
}
