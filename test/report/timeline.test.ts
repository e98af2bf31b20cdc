// Timeline rows and lines (src/index/timeline-rows.ts, src/report/timeline.ts) on the committed sample with detect
// run: every event once, oldest first; Timesketch's mandatory fields on every line with a datetime equal to the
// event's time; the events cited by findings (as `detect --format json` lists them) tagged with those findings and
// no others; provenance and trust as the events_v view computes them; the message a responder reads.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { runCliInProcess } from '../helpers/cli.js';
import { copyCase, sharedCase } from '../helpers/cases.js';
import { openCase, type Db } from '../../src/index/open.js';
import { timelineRows, type TimelineRow } from '../../src/index/timeline-rows.js';
import { timelineColumns, timelineJsonLine, timelineMessage, timelineRecord, timesketchDatetime } from '../../src/report/timeline.js';
import type { EventRow } from '../../src/index/event-rows.js';

interface DetectFinding {
  findingId: string;
  ruleId: string;
  title: string;
  level: string;
  eventIds: string[];
}

describe('timeline of the sample case after detect', () => {
  let db: Db;
  let rows: TimelineRow[];
  let findings: DetectFinding[];
  beforeAll(async () => {
    const file = copyCase('sample');
    const r = await runCliInProcess(['detect', '--db', file, '--format', 'json']);
    expect(r.code).toBe(0);
    findings = (JSON.parse(r.stdout) as { findings: DetectFinding[] }).findings;
    db = openCase(file, { readonly: true });
    rows = [...timelineRows(db, { batch: 97 })];
  });
  afterAll(() => db?.close());

  it('lists every event exactly once, oldest first', () => {
    const total = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    expect(total).toBeGreaterThan(4000);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.event.eventId)).size).toBe(total);
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1].event;
      const b = rows[i].event;
      if (a.eventTime !== null && b.eventTime !== null) expect(a.eventTime).toBeLessThanOrEqual(b.eventTime);
      else expect(b.eventTime).toBeNull();
    }
  });

  it('tags exactly the events detect cites, with each citing finding', () => {
    expect(findings.length).toBeGreaterThan(5);
    const expected = new Map<string, Set<string>>();
    for (const f of findings) for (const id of f.eventIds) expected.set(id, (expected.get(id) ?? new Set()).add(f.findingId));
    const got = new Map<string, Set<string>>();
    for (const r of rows) if (r.findings.length) got.set(r.event.eventId, new Set(r.findings.map((f) => f.findingId)));
    expect(got).toEqual(expected);
    const byId = new Map(findings.map((f) => [f.findingId, f]));
    for (const r of rows) {
      const rec = timelineRecord(r, 'timesketch');
      if (!rec) continue;
      for (const f of r.findings) {
        const d = byId.get(f.findingId)!;
        expect(rec.tag).toEqual(expect.arrayContaining([d.title, `level:${d.level}`]));
        expect(rec.findingRuleIds).toContain(d.ruleId);
      }
      if (!r.findings.length) {
        expect(rec.tag).toEqual([]);
        expect(rec.findingLevel).toBeNull();
      }
    }
  });

  it('gives every Timesketch line message, datetime (ISO 8601 with offset, the event time), timestamp (µs) and timestamp_desc', () => {
    let lines = 0;
    for (const r of rows) {
      const line = timelineJsonLine(r, 'timesketch');
      if (r.event.eventTime === null) {
        expect(line).toBeNull();
        continue;
      }
      lines++;
      const rec = JSON.parse(line!) as Record<string, unknown>;
      expect(Object.keys(rec)).toEqual(timelineColumns('timesketch'));
      expect(rec.message).toEqual(expect.any(String));
      expect((rec.message as string).length).toBeGreaterThan(0);
      expect(rec.timestamp_desc).toBe('Event Time');
      expect(rec.datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
      expect(Date.parse(rec.datetime as string)).toBe(r.event.eventTime);
      expect(rec.timestamp).toBe(r.event.eventTime * 1000);
      expect(rec.eventID).toBe(r.event.eventId);
    }
    expect(lines).toBeGreaterThan(4000);
  });

  it('names the file and record each body was read from, as events_v does; no trust label before verify', () => {
    const view = new Map(
      (db.prepare('SELECT event_id, source_file, record_index FROM events_v').all() as Array<{ event_id: string; source_file: string; record_index: number }>).map((v) => [v.event_id, v]),
    );
    for (const r of rows) {
      const v = view.get(r.event.eventId)!;
      expect([r.file, r.event.recordIndex]).toEqual([v.source_file, v.record_index]);
      expect(r.trust).toBeNull();
    }
  });
});

describe('timeline of the verified sample case', () => {
  it('labels each event with the trust events_v shows', () => {
    const db = openCase(sharedCase('sampleVerified'), { readonly: true });
    try {
      const view = new Map((db.prepare('SELECT event_id, trust FROM events_v').raw().all() as Array<[string, string]>).map(([id, t]) => [id, t]));
      const counts: Record<string, number> = {};
      let n = 0;
      for (const r of timelineRows(db)) {
        n++;
        expect(r.trust).toBe(view.get(r.event.eventId));
        counts[r.trust!] = (counts[r.trust!] ?? 0) + 1;
      }
      expect(n).toBe(view.size);
      // Verify proved the sample's log files: the labels are not all the never-verified default.
      expect(counts.unverified ?? 0).toBeLessThan(n);
    } finally {
      db.close();
    }
  });
});

/** A timeline row for message and field tests. */
function row(over: Partial<EventRow>, findings: TimelineRow['findings'] = []): TimelineRow {
  const event = {
    id: 1,
    flags: 0,
    sourceId: 1,
    recordIndex: 0,
    resources: [],
    eventTime: Date.UTC(2025, 2, 1, 10, 0, 0, 5),
    eventId: 'e-1',
    eventName: 'StopLogging',
    eventSource: 'cloudtrail.amazonaws.com',
    awsRegion: 'us-east-1',
    recipientAccountId: '123456789012',
    username: 'm.keller',
    sourceIPAddress: '198.51.100.77',
    userAgent: 'aws-cli/2.15.0',
    identityType: 'IAMUser',
    arn: 'arn:aws:iam::123456789012:user/m.keller',
    principalId: 'AIDAEXAMPLE',
    accountId: '123456789012',
    accessKeyId: 'AKIAEXAMPLE',
    userName: 'm.keller',
    sessionIssuerArn: null,
    invokedBy: null,
    errorCode: 'AccessDenied',
    errorMessage: null,
    readOnly: false,
    eventType: 'AwsApiCall',
    eventCategory: 'Management',
    managementEvent: true,
    sessionIssuerUserName: null,
    sessionIssuerType: null,
    sourceIdentity: null,
    sharedEventId: null,
    requestId: null,
    vpcEndpointId: null,
    ...over,
  } as EventRow;
  return { event, file: 'AWSLogs/x.json.gz', trust: null, findings };
}

describe('timeline message and fields', () => {
  it('says who (and which key) called what, where from, and the error', () => {
    expect(timelineMessage(row({}))).toBe('m.keller (AKIAEXAMPLE) StopLogging on cloudtrail.amazonaws.com from 198.51.100.77: AccessDenied');
    expect(timelineMessage(row({ username: null, accessKeyId: null, errorCode: null }))).toBe('arn:aws:iam::123456789012:user/m.keller StopLogging on cloudtrail.amazonaws.com from 198.51.100.77');
    expect(timelineMessage(row({ eventName: 'ConsoleLogin', accessKeyId: null, eventSource: 'signin.amazonaws.com', errorCode: null, errorMessage: 'Failed authentication' }))).toBe(
      'm.keller ConsoleLogin on signin.amazonaws.com from 198.51.100.77: Failed authentication',
    );
  });

  it('shows control characters in the message escaped; the fields keep the evidence exact', () => {
    const r = row({ username: 'evil\n\u001b[31mroot', userAgent: 'ua\u202e' });
    expect(timelineMessage(r)).toBe('evil\\n\\e[31mroot (AKIAEXAMPLE) StopLogging on cloudtrail.amazonaws.com from 198.51.100.77: AccessDenied');
    const line = timelineJsonLine(r, 'generic')!;
    expect(line).not.toMatch(/[\u001b\u202e]/);
    expect(JSON.parse(line)).toMatchObject({ username: 'evil\n\u001b[31mroot', userAgent: 'ua\u202e' });
  });

  it('puts each finding level and title in the tags once, and the most severe level in findingLevel', () => {
    const f = (findingId: string, ruleId: string, title: string, level: 'high' | 'low') => ({ findingId, ruleId, title, level });
    const rec = timelineRecord(row({}, [f('a', 'r1', 'Logging stopped', 'high'), f('b', 'r1', 'Logging stopped', 'high'), f('c', 'r2', 'Odd agent', 'low')]), 'timesketch')!;
    expect(rec.tag).toEqual(['level:high', 'level:low', 'Logging stopped', 'Odd agent']);
    expect(rec.findingLevel).toBe('high');
    expect(rec.findingRuleIds).toEqual(['r1', 'r2']);
    expect(rec.findingIds).toEqual(['a', 'b', 'c']);
  });

  it('leaves events without a time out of Timesketch (it cannot place them), not out of the generic flavour', () => {
    const r = row({ eventTime: null });
    expect(timelineRecord(r, 'timesketch')).toBeNull();
    expect(timelineRecord(r, 'generic')).toMatchObject({ eventTime: null, eventID: 'e-1' });
    expect(timesketchDatetime(Date.UTC(2025, 0, 2, 3, 4, 5))).toBe('2025-01-02T03:04:05.000+00:00');
    expect(timesketchDatetime(Date.UTC(12000, 0, 1))).toBeNull();
  });
});

describe('docs/timeline.md', () => {
  it('names every field of both flavours', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'timeline.md'), 'utf8');
    const missing = [...new Set([...timelineColumns('timesketch'), ...timelineColumns('generic')])].filter((f) => !doc.includes(`\`${f}\``));
    expect(missing).toEqual([]);
  });
});
