// search on the bundled sample: filters combine, formats keep their contracts (docs/output-formats.md).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { copyCase } from '../helpers/cases.js';
import { sampleDir } from '../helpers/paths.js';
import { truth } from '../helpers/sample.js';

describe('search', () => {
  let db = '';
  const search = (...args: string[]) => runCliInProcess(['search', '--db', db, ...args]);
  const jsonl = async (...args: string[]): Promise<Record<string, unknown>[]> => {
    const r = await search(...args, '--format', 'jsonl', '--limit', '0');
    expect(r.code).toBe(0);
    return r.stdout.trim() ? r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  };
  beforeAll(() => {
    db = copyCase('sample'); // the --trust test verifies into it
  });

  it('combines filters: the stolen key from attacker addresses, failed calls only', async () => {
    const k = truth.incidents.stolenAccessKey;
    const rows = await jsonl('--access-key', k.accessKeyId, '--source-ip', '198.51.100.0/24,192.0.2.199', '--error', 'AccessDenied');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.accessKeyId).toBe(k.accessKeyId);
      expect(k.attackerIps).toContain(r.sourceIPAddress);
      expect(r.errorCode).toBe('AccessDenied');
    }
    // the same, computed in JS from the key's whole history
    const all = await jsonl('--access-key', k.accessKeyId);
    const expected = all.filter((r) => k.attackerIps.includes(r.sourceIPAddress) && r.errorCode === 'AccessDenied').map((r) => r.eventID);
    expect(rows.map((r) => r.eventID)).toEqual(expected);
  });

  it('resource pivots: the launched instances, the exfiltration bucket by type and name', async () => {
    const k = truth.incidents.stolenAccessKey;
    const run = await jsonl('--resource-name', k.launchedInstanceIds[0]);
    expect(run.map((r) => r.eventID)).toContain(k.runInstancesEventId);
    const bucket = await jsonl('--resource-type', 'AWS::S3::Bucket', '--resource-name', k.exfilBucket, '--event-name', 'GetObject');
    expect(bucket.map((r) => r.eventID).sort()).toEqual([...k.getObjectEventIds].sort());
    expect(bucket.every((r) => r.eventCategory === 'Data')).toBe(true);
  });

  it('time range, region, account, category, read-only, principal wildcard, order', async () => {
    const day = await jsonl('--start-time', '2024-02-17', '--end-time', '2024-02-17', '--event-source', 'iam.amazonaws.com', '--region', 'us-east-1', '--account', '444455556666');
    expect(day).toHaveLength(truth.runbook.iamEventSourceLookup.events);
    const oldest = await jsonl('--start-time', '2024-02-17', '--end-time', '2024-02-17', '--event-source', 'iam.amazonaws.com', '--account', '444455556666', '--order', 'oldest');
    expect(oldest.map((r) => r.eventID)).toEqual(day.map((r) => r.eventID).reverse());
    const writes = await jsonl('--principal-arn', 'arn:aws:iam::444455556666:user/m.*', '--read-only', 'false', '--category', 'management');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((r) => String(r.principalArn).startsWith('arn:aws:iam::444455556666:user/m.') && r.readOnly === false && r.eventCategory === 'Management')).toBe(true);
  });

  it('--text scans whole events; --user-agent is a substring; --user is Event history user name', async () => {
    const k = truth.incidents.stolenAccessKey;
    const t = await jsonl('--text', k.exfilBucket, '--event-name', 'ListObjects');
    expect(t.map((r) => r.eventID)).toEqual([k.listObjectsEventId]);
    expect((await jsonl('--user-agent', 'KALI')).every((r) => String(r.userAgent).toLowerCase().includes('kali'))).toBe(true);
    expect(await jsonl('--user', 'username', '--region', 'us-east-1')).toHaveLength(truth.runbook.usernameLookup.events);
  });

  it('formats: json document, csv header and neutralisation, table fits the width, md', async () => {
    const j = JSON.parse((await search('--event-name', 'AuthorizeSecurityGroupIngress', '--format', 'json')).stdout) as { events: Record<string, unknown>[]; truncated: boolean };
    expect(j.truncated).toBe(false);
    expect(Object.keys(j.events[0])).toEqual([
      'eventTime', 'eventID', 'eventName', 'eventSource', 'awsRegion', 'recipientAccountId', 'username', 'sourceIPAddress', 'userAgent', 'identityType',
      'principalArn', 'principalId', 'accountId', 'accessKeyId', 'identityUserName', 'sessionIssuerArn', 'invokedBy', 'errorCode', 'errorMessage', 'readOnly',
      'eventType', 'eventCategory', 'managementEvent', 'resources', 'trust',
    ]);
    expect(j.events[0].trust).toBe('unverified');
    expect(j.events[0].eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const csv = await search('--event-name', 'AuthorizeSecurityGroupIngress', '--format', 'csv', '--fields', 'eventID,eventName,resources');
    expect(csv.stdout.split('\r\n')[0]).toBe('eventID,eventName,resources');
    const table = await search('--limit', '20', '--width', '80');
    // Every table line fits; the one footer line after it names the columns left out (issue 14).
    const lines = table.stdout.trimEnd().split('\n');
    for (const line of lines.slice(0, -1)) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines.at(-1)).toMatch(/^\(columns not shown at 80 columns: .* — widen the terminal, use --width, or --format json\)$/);
    const md = await search('--event-name', 'AuthorizeSecurityGroupIngress', '--format', 'md');
    expect(md.stdout.split('\n')[1]).toMatch(/^\| --- \|/);
  });

  it('bad input and empty results', async () => {
    expect((await search('--fields', 'eventTime,nope')).stderr).toContain('--fields: unknown field "nope"; known fields: eventTime, eventID');
    expect((await search('--source-ip', '10.0.0.0/99')).stderr).toContain('--source-ip: "10.0.0.0/99": prefix length 99 is too long for IPv4');
    expect((await search('--category', 'bogus')).stderr).toContain('--category: unknown category "bogus"; allowed: management, data, insight');
    expect((await search('--start-time', 'soon')).code).toBe(2);
    expect((await search('--account', '12')).stderr).toContain('--account: "12" is not a 12-digit AWS account ID');
    const empty = await search('--event-name', 'NoSuchCall');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/no events match; the case holds \d+ events from 2024-02-16T\S+Z to 2025-02-\S+Z; accounts: 444455556666 \(\d+\), 111122223333 \(\d+\); regions: /);
    expect(empty.stderr).toContain(`the case holds ${truth.counts.events} events`);
  });

  it('--trust filters on the labels of the latest verify run (last: it writes the verify results into the case)', async () => {
    const total = (await jsonl('--event-name', 'AuthorizeSecurityGroupIngress')).length;
    expect(await jsonl('--event-name', 'AuthorizeSecurityGroupIngress', '--trust', 'unverified')).toHaveLength(total);
    const ev = path.join(sampleDir, 'evidence');
    const v = await runCliInProcess(['verify', '--db', db, '--public-keys', path.join(ev, 'keys', 'list-public-keys.json'), '--digest-metadata', path.join(ev, 'digest-metadata.json')]);
    expect(v.code).toBe(5); // no failure; the sample has gaps in assurance
    const proven = await jsonl('--event-name', 'AuthorizeSecurityGroupIngress', '--trust', 'proven');
    const rest = await jsonl('--event-name', 'AuthorizeSecurityGroupIngress', '--trust', 'provisional,unverified');
    expect(proven.length + rest.length).toBe(total);
    expect(proven.length).toBeGreaterThan(0);
    expect(proven.every((r) => r.trust === 'proven')).toBe(true);
    expect((await search('--trust', 'trusted')).stderr).toContain('--trust: unknown label "trusted"; allowed: proven, provisional, unverified');
  });
});
