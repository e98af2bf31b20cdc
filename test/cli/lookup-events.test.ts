// Acceptance: every `aws cloudtrail lookup-events` command of the seed runbook (../shared/seed/cloudtrail-guide.ko.txt)
// runs verbatim with `aws cloudtrail` replaced by `trailhound` (plus --db) and returns the right events on the
// bundled sample (fixtures/sample): checked against the sample's ground truth, its lookup-events exports, and an
// independent reading of the evidence files.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { sharedCase } from '../helpers/cases.js';
import { sampleDir, tmpDir } from '../helpers/paths.js';
import { truth } from '../helpers/sample.js';

const evidence = path.join(sampleDir, 'evidence');
const exportsDir = path.join(sampleDir, 'exports');

interface AwsEvent {
  EventId: string;
  EventName: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime: string;
  EventSource: string;
  Username?: string;
  Resources: { ResourceType: string; ResourceName: string }[];
  CloudTrailEvent: string;
  SourceIPAddress?: string;
  AwsRegion?: string;
  RecipientAccountId?: string;
}

function exported(file: string): AwsEvent[] {
  const d = JSON.parse(fs.readFileSync(path.join(exportsDir, file), 'utf8')) as { Events: AwsEvent[] } | { Events: AwsEvent[] }[];
  return (Array.isArray(d) ? d : [d]).flatMap((p) => p.Events);
}

/** Every unique event of the sample's trail log files, read without trailhound. */
function evidenceEvents(): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/_CloudTrail_.*\.json\.gz$/.test(e.name)) {
        const d = JSON.parse(zlib.gunzipSync(fs.readFileSync(p)).toString('utf8')) as { Records: Record<string, unknown>[] };
        for (const r of d.Records) out.set(String(r.eventID), r);
      }
    }
  };
  walk(evidence);
  return out;
}

const ids = (evs: { EventId: string }[]): string[] => evs.map((e) => e.EventId).sort();
const utc = (t: string): string => new Date(t).toISOString().replace('.000Z', 'Z');
const PROD = '444455556666';

describe('lookup-events: the seed runbook, verbatim, on the bundled sample', () => {
  let db = '';
  let lookup: (args: string[]) => Promise<{ code: number; json: unknown; stderr: string; stdout: string }>;
  beforeAll(() => {
    db = sharedCase('sample');
    lookup = async (args) => {
      const res = await runCliInProcess(['lookup-events', ...args, '--db', db]);
      return { code: res.code, stdout: res.stdout, stderr: res.stderr, json: res.stdout.trim() ? JSON.parse(res.stdout) : null };
    };
  });

  it('1. AccessKeyId lookup in us-east-1: every event of the key there, newest first; points at other regions', async () => {
    const r = await lookup(['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=AccessKeyId,AttributeValue=AKIAXXXXXXXXXXXXXXXX']);
    expect(r.code).toBe(0);
    const evs = (r.json as { Events: AwsEvent[] }).Events;
    const all = [...evidenceEvents().values()].filter(
      (e) => (e.userIdentity as Record<string, unknown> | undefined)?.accessKeyId === 'AKIAXXXXXXXXXXXXXXXX' && e.awsRegion === 'us-east-1',
    );
    expect(ids(evs)).toEqual(all.map((e) => String(e.eventID)).sort());
    expect(ids(evs)).toEqual(expect.arrayContaining(ids(exported('lookup-events-AccessKeyId-AKIAXXXXXXXXXXXXXXXX.json'))));
    const times = evs.map((e) => Date.parse(e.EventTime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(evs.every((e) => e.AccessKeyId === 'AKIAXXXXXXXXXXXXXXXX' && e.AwsRegion === 'us-east-1')).toBe(true);
    // AWS's members, in AWS's order, then the documented extras
    expect(Object.keys(evs[0]).slice(0, 9)).toEqual(['EventId', 'EventName', 'ReadOnly', 'AccessKeyId', 'EventTime', 'EventSource', 'Username', 'Resources', 'CloudTrailEvent']);
    expect(JSON.parse(evs[0].CloudTrailEvent).eventID).toBe(evs[0].EventId);
    expect(r.stderr).toMatch(/more matching events? in other regions: eu-west-1 \(\d+\)/);
  });

  it('2. the same lookup with --query contains(EventName, `EC2`): the legacy literal works as in aws-cli', async () => {
    const r = await lookup([
      '--region', 'us-east-1',
      '--lookup-attributes', 'AttributeKey=AccessKeyId,AttributeValue=AKIAXXXXXXXXXXXXXXXX',
      '--query', 'Events[?contains(EventName, `EC2`)].{Time:EventTime,Event:EventName,Source:SourceIPAddress,User:Username}',
    ]);
    expect(r.code).toBe(0);
    const rows = r.json as { Time: string; Event: string; Source: string; User: string }[];
    expect(rows).toHaveLength(truth.runbook.accessKeyLookup.eventNameContainsEC2);
    const ev = evidenceEvents().get(truth.incidents.stolenAccessKey.computeOptimizerEventId)!;
    expect(rows[0]).toEqual({ Time: utc(String(ev.eventTime)).replace('Z', '+00:00'), Event: ev.eventName, Source: ev.sourceIPAddress, User: 'm.keller' });
    expect(truth.incidents.stolenAccessKey.attackerIps).toContain(rows[0].Source);
  });

  it('3. the key over 2025-02-1 .. 2025-02-18 (one-digit day) with a projection: exactly the 79 events of the export', async () => {
    const r = await lookup([
      '--region', 'us-east-1',
      '--lookup-attributes', 'AttributeKey=AccessKeyId,AttributeValue=AKIAXXXXXXXXXXXXXXXX',
      '--start-time', '2025-02-1T00:00:00Z',
      '--end-time', '2025-02-18T23:59:59Z',
      '--query', 'Events[*].{Time:EventTime,Name:EventName,Source:SourceIPAddress,UserName:Username}',
    ]);
    expect(r.code).toBe(0);
    const rows = r.json as { Time: string; Name: string; Source: string; UserName: string }[];
    const exp = exported('lookup-events-AccessKeyId-AKIAXXXXXXXXXXXXXXXX.json');
    expect(rows).toHaveLength(truth.runbook.accessKeyLookup.events);
    expect(rows.map((x) => [utc(x.Time), x.Name])).toEqual(exp.map((e) => [utc(e.EventTime), e.EventName]));
    expect(new Set(rows.map((x) => x.UserName))).toEqual(new Set(['m.keller']));
    expect(rows.every((x) => typeof x.Source === 'string' && x.Source.length > 0)).toBe(true);
  });

  it('4. ResourceName i-1234567890abcdef0: run, stop, start, stop, terminate (newest first), with who', async () => {
    const r = await lookup([
      '--region', 'us-east-1',
      '--lookup-attributes', 'AttributeKey=ResourceName,AttributeValue=i-1234567890abcdef0',
      '--query', 'Events[*].{EventName:EventName,EventTime:EventTime,Username:Username}',
    ]);
    expect(r.code).toBe(0);
    const rows = r.json as { EventName: string; EventTime: string; Username: string }[];
    expect(rows).toHaveLength(truth.runbook.resourceNameLookup.events);
    expect(rows.map((x) => x.EventName)).toEqual(['RunInstances', 'StopInstances', 'StartInstances', 'StopInstances', 'TerminateInstances'].reverse());
    const exp = exported('lookup-events-ResourceName-i-1234567890abcdef0.pages.json');
    expect(rows.map((x) => [x.EventName, utc(x.EventTime), x.Username])).toEqual(exp.map((e) => [e.EventName, utc(e.EventTime), e.Username]));
  });

  it('5. EventName AuthorizeSecurityGroupIngress: the three rule changes', async () => {
    const r = await lookup(['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=AuthorizeSecurityGroupIngress']);
    expect(r.code).toBe(0);
    const evs = (r.json as { Events: AwsEvent[] }).Events;
    expect(evs).toHaveLength(truth.runbook.authorizeSecurityGroupIngressLookup.events);
    expect(ids(evs)).toEqual(ids(exported('lookup-events-EventName-AuthorizeSecurityGroupIngress.json')));
    expect(evs.every((e) => e.Resources.some((x) => x.ResourceType === 'AWS::EC2::SecurityGroup'))).toBe(true);
  });

  it('6. EventSource iam.amazonaws.com on 2024-02-17: the production account\'s changes, plus the other account\'s, said on stderr', async () => {
    const args = ['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=iam.amazonaws.com', '--start-time', '2024-02-17T00:00:00Z', '--end-time', '2024-02-17T23:59:59Z'];
    const r = await lookup(args);
    expect(r.code).toBe(0);
    const evs = (r.json as { Events: AwsEvent[] }).Events;
    const exp = exported('lookup-events-EventSource-iam-2024-02-17.json');
    const prod = evs.filter((e) => e.RecipientAccountId === PROD);
    expect(ids(prod)).toEqual(ids(exp));
    expect(prod).toHaveLength(truth.runbook.iamEventSourceLookup.events);
    const byName: Record<string, number> = {};
    for (const e of prod) byName[e.EventName] = (byName[e.EventName] ?? 0) + 1;
    expect(byName).toEqual(truth.runbook.iamEventSourceLookup.byEventName);
    // Events of the other account are real IAM events of that day in us-east-1; the note says how to narrow.
    const ev = evidenceEvents();
    for (const e of evs.filter((x) => x.RecipientAccountId !== PROD)) {
      const rec = ev.get(e.EventId)!;
      expect([rec.eventSource, rec.awsRegion, String(rec.eventTime).slice(0, 10)]).toEqual(['iam.amazonaws.com', 'us-east-1', '2024-02-17']);
    }
    expect(r.stderr).toMatch(new RegExp(`come from 2 accounts: .*${PROD} \\(${prod.length}\\).*add --account`));
    const narrowed = await lookup([...args, '--account', PROD]);
    expect(ids((narrowed.json as { Events: AwsEvent[] }).Events)).toEqual(ids(exp));
  });

  it('7. Username=username: the 21 events of the user literally named "username"', async () => {
    const r = await lookup(['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=Username,AttributeValue=username']);
    expect(r.code).toBe(0);
    const evs = (r.json as { Events: AwsEvent[] }).Events;
    expect(evs).toHaveLength(truth.runbook.usernameLookup.events);
    expect(evs.every((e) => e.Username === 'username' && e.AwsRegion === 'us-east-1')).toBe(true);
  });

  it('8. a time window alone (no --region): every event of 2024-02-17, all regions and accounts', async () => {
    const r = await lookup(['--start-time', '2024-02-17T00:00:00Z', '--end-time', '2024-02-17T23:59:59Z']);
    expect(r.code).toBe(0);
    const evs = (r.json as { Events: AwsEvent[] }).Events;
    const expected = [...evidenceEvents().values()].filter((e) => String(e.eventTime) >= '2024-02-17T00:00:00Z' && String(e.eventTime) <= '2024-02-17T23:59:59Z');
    expect(ids(evs)).toEqual(expected.map((e) => String(e.eventID)).sort());
    expect(evs.length).toBeGreaterThan(100);
  });

  it('Event history scope on request: --management-only drops data events; --strict drops the extras', async () => {
    const all = ((await lookup(['--start-time', '2025-02-12T00:00:00Z', '--end-time', '2025-02-13T23:59:59Z'])).json as { Events: AwsEvent[] }).Events;
    const mgmt = ((await lookup(['--start-time', '2025-02-12T00:00:00Z', '--end-time', '2025-02-13T23:59:59Z', '--management-only'])).json as { Events: AwsEvent[] }).Events;
    const ev = evidenceEvents();
    const dataIds = all.filter((e) => ev.get(e.EventId)!.eventCategory === 'Data').map((e) => e.EventId);
    expect(dataIds.length).toBeGreaterThan(0);
    expect(ids(mgmt)).toEqual(ids(all).filter((i) => !dataIds.includes(i)));
    const strict = ((await lookup(['--lookup-attributes', 'AttributeKey=EventName,AttributeValue=AuthorizeSecurityGroupIngress', '--strict'])).json as { Events: AwsEvent[] }).Events;
    expect(Object.keys(strict[0])).toEqual(['EventId', 'EventName', 'ReadOnly', 'AccessKeyId', 'EventTime', 'EventSource', 'Username', 'Resources', 'CloudTrailEvent']);
  });

  it('several --lookup-attributes mean AND; --max-items pages with NextToken / --starting-token', async () => {
    const both = ((await lookup([
      '--lookup-attributes', 'AttributeKey=AccessKeyId,AttributeValue=AKIAXXXXXXXXXXXXXXXX',
      '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=RunInstances',
    ])).json as { Events: AwsEvent[] }).Events;
    expect(both.map((e) => e.EventId)).toEqual([truth.incidents.stolenAccessKey.runInstancesEventId]);
    const p1 = (await lookup(['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=Username,AttributeValue=username', '--max-items', '15'])).json as { Events: AwsEvent[]; NextToken?: string };
    expect(p1.Events).toHaveLength(15);
    expect(p1.NextToken).toBeTypeOf('string');
    const p2 = (await lookup(['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=Username,AttributeValue=username', '--max-items', '15', '--starting-token', p1.NextToken!])).json as { Events: AwsEvent[]; NextToken?: string };
    expect(p2.Events).toHaveLength(6);
    expect(p2.NextToken).toBeUndefined();
    expect(new Set([...ids(p1.Events), ...ids(p2.Events)]).size).toBe(21);
  });

  it('--output text and table, and the aws-cli no-op flags', async () => {
    const text = await runCliInProcess(['lookup-events', '--db', db, '--profile', 'prod', '--no-paginate', '--color', 'off', '--cli-read-timeout', '5', '--region', 'us-east-1',
      '--lookup-attributes', 'AttributeKey=ResourceName,AttributeValue=i-1234567890abcdef0', '--query', 'Events[*].[EventTime,EventName,Username]', '--output', 'text']);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0].split('\t')[1]).toBe('TerminateInstances');
    const table = await runCliInProcess(['lookup-events', '--db', db, '--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=ResourceName,AttributeValue=i-1234567890abcdef0', '--query', 'Events[*].{Name:EventName,User:Username}', '--output', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('LookupEvents');
    expect(table.stdout).toContain('TerminateInstances');
    const widths = new Set(table.stdout.trimEnd().split('\n').map((l) => l.length));
    expect(widths.size).toBe(1);
  });

  it('bad input: unknown key, bad time, bad JMESPath (where), end before start, missing case, empty result', async () => {
    const key = await lookup(['--lookup-attributes', 'AttributeKey=UserName2,AttributeValue=x']);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('unknown AttributeKey "UserName2"; allowed keys: EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId');
    const time = await lookup(['--start-time', 'last tuesday']);
    expect(time.code).toBe(2);
    expect(time.stderr).toMatch(/--start-time: cannot read time "last tuesday": not a recognised format\. Accepted formats: 2025-02-01T00:00:00Z/);
    const q = await lookup(['--query', 'Events[?contains(EventName, `EC2`)']);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/--query: invalid JMESPath expression at character 35: .*\n {2}Events\[\?contains\(EventName, `EC2`\)\n {36}\^/);
    const order = await lookup(['--start-time', '2025-02-18T00:00:00Z', '--end-time', '2025-02-01T00:00:00Z']);
    expect(order.code).toBe(2);
    expect(order.stderr).toContain('--end-time (2025-02-01T00:00:00.000Z) is before --start-time (2025-02-18T00:00:00.000Z)');
    const missing = await runCliInProcess(['lookup-events', '--db', path.join(tmpDir(), 'nope.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
    const notCase = path.join(tmpDir(), 'x.db');
    fs.writeFileSync(notCase, 'hello, not sqlite at all........');
    expect((await runCliInProcess(['lookup-events', '--db', notCase])).stderr).toMatch(/not a trailhound case file/);
    const empty = await lookup(['--lookup-attributes', 'AttributeKey=Username,AttributeValue=nobody-at-all']);
    expect(empty.code).toBe(0);
    expect(empty.json).toEqual({ Events: [] });
    expect(empty.stderr).toMatch(/no events match; the case holds \d+ events from 2024-02-16T.* to 2025-02-1.*; accounts: .*444455556666.*; regions: .*us-east-1.*eu-west-1|no events match; the case holds \d+ events .*regions: .*eu-west-1.*us-east-1/);
    expect(empty.stderr).toContain(`the case holds ${truth.counts.events} events`);
    const ro = await lookup(['--lookup-attributes', 'AttributeKey=ReadOnly,AttributeValue=maybe']);
    expect(ro.code).toBe(2);
    expect(ro.stderr).toContain('AttributeKey=ReadOnly needs AttributeValue true or false, got "maybe"');
  });
});
