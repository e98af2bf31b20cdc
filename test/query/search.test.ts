import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { buildSearch, searchEvents, countByRegion, type EventFilter } from '../../src/index/search.js';
import { caseCoverage } from '../../src/index/query-coverage.js';
import { buildCase, rec, tmpCasePath } from './build-case.js';

// A deterministic mix: 4 users, 3 regions, 2 accounts, several APIs, errors, data events, resources.
const records: Record<string, unknown>[] = [];
const users = ['alice', 'bob', 'carol', 'dave'];
const regions = ['us-east-1', 'eu-west-1', 'ap-northeast-2'];
const names = ['DescribeInstances', 'RunInstances', 'StopInstances', 'GetObject', 'CreateUser', 'AssumeRole'];
const base = Date.UTC(2025, 1, 1);
for (let i = 0; i < 3000; i++) {
  const u = users[i % 4];
  const name = names[i % 6];
  const src = name === 'GetObject' ? 's3.amazonaws.com' : name === 'CreateUser' ? 'iam.amazonaws.com' : name === 'AssumeRole' ? 'sts.amazonaws.com' : 'ec2.amazonaws.com';
  const inst = `i-${(i % 50).toString(16).padStart(17, '0')}`;
  records.push(
    rec({
      eventTime: new Date(base + i * 60_000).toISOString().replace('.000Z', 'Z'),
      eventName: name,
      eventSource: src,
      awsRegion: regions[i % 3],
      recipientAccountId: i % 10 === 0 ? '210987654321' : '123456789012',
      sourceIPAddress: `203.0.${i % 4}.${i % 200}`,
      userAgent: i % 7 === 0 ? 'python-requests/2.31 \u001b[31mevil' : 'aws-cli/2.15.0',
      userIdentity: {
        type: u === 'dave' ? 'AssumedRole' : 'IAMUser',
        arn: u === 'dave' ? 'arn:aws:sts::123456789012:assumed-role/Admin/dave' : `arn:aws:iam::123456789012:user/${u}`,
        accountId: '123456789012',
        accessKeyId: `AKIA${u.toUpperCase().padEnd(16, '0')}`,
        ...(u === 'dave'
          ? { sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::123456789012:role/Admin', userName: 'Admin' } } }
          : { userName: u }),
      },
      readOnly: name.startsWith('Describe') || name === 'GetObject',
      errorCode: i % 13 === 0 ? 'AccessDenied' : undefined,
      managementEvent: name !== 'GetObject',
      eventCategory: name === 'GetObject' ? 'Data' : 'Management',
      resources: name === 'GetObject' ? [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::bucket-${i % 3}/k` }, { type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::bucket-${i % 3}` }] : undefined,
      requestParameters: name.endsWith('Instances') ? { instancesSet: { items: [{ instanceId: inst }] } } : name === 'GetObject' ? { bucketName: `bucket-${i % 3}`, key: 'k' } : name === 'CreateUser' ? { userName: `new-${i}` } : null,
    }),
  );
}

let file: string;
let db: Db;
beforeAll(() => {
  file = tmpCasePath();
  buildCase(file, records).close();
  db = openCase(file, { readonly: true });
});
afterAll(() => db?.close());

// Reference: the same filters applied in plain JS.
function expected(pred: (r: Record<string, unknown>, i: number) => boolean, limit = Infinity): string[] {
  const hits = records.map((r, i) => ({ r, i })).filter(({ r, i }) => pred(r, i));
  hits.sort((a, b) => String(b.r.eventTime).localeCompare(String(a.r.eventTime)) || b.i - a.i);
  return hits.slice(0, limit).map(({ r }) => String(r.eventID));
}
const ids = (f: EventFilter, limit: number | null = null): string[] => searchEvents(db, f, { limit }).rows.map((r) => r.eventId);
const ui = (r: Record<string, unknown>): Record<string, unknown> => r.userIdentity as Record<string, unknown>;

describe('searchEvents', () => {
  it('single filters', () => {
    expect(ids({ eventNames: ['StopInstances'] })).toEqual(expected((r) => r.eventName === 'StopInstances'));
    expect(ids({ users: ['dave'] })).toEqual(expected((r) => ui(r).type === 'AssumedRole'));
    expect(ids({ accessKeys: ['AKIABOB0000000000000'] })).toEqual(expected((r) => ui(r).accessKeyId === 'AKIABOB0000000000000'));
    expect(ids({ regions: ['eu-west-1'] }, 20)).toEqual(expected((r) => r.awsRegion === 'eu-west-1', 20));
    expect(ids({ accounts: ['210987654321'] })).toEqual(expected((r) => r.recipientAccountId === '210987654321'));
    expect(ids({ errors: 'any' })).toEqual(expected((r) => r.errorCode !== undefined));
    expect(ids({ errors: ['AccessDenied'] })).toEqual(expected((r) => r.errorCode === 'AccessDenied'));
    expect(ids({ readOnly: false }, 30)).toEqual(expected((r) => r.readOnly === false, 30));
    expect(ids({ categories: ['data'] }, 30)).toEqual(expected((r) => r.eventCategory === 'Data', 30));
    expect(ids({ eventIds: [String(records[17].eventID)] })).toEqual([records[17].eventID]);
  });
  it('OR within a filter, AND across filters, with a time range', () => {
    const start = base + 600 * 60_000;
    const end = base + 1800 * 60_000;
    const got = ids({ eventNames: ['StopInstances', 'RunInstances'], users: ['alice', 'carol'], startMs: start, endMs: end });
    expect(got).toEqual(
      expected((r) => ['StopInstances', 'RunInstances'].includes(String(r.eventName)) && ['alice', 'carol'].includes(String(ui(r).userName)) && Date.parse(String(r.eventTime)) >= start && Date.parse(String(r.eventTime)) <= end),
    );
    expect(got.length).toBeGreaterThan(0);
  });
  it('resources, source IP CIDR, principal ARN wildcards, user-agent substrings', () => {
    const inst = `i-${(7).toString(16).padStart(17, '0')}`;
    // read-only calls (DescribeInstances) name no resources from their parameters, as in Event history
    expect(ids({ resourceNames: [inst] })).toEqual(expected((r) => r.readOnly === false && JSON.stringify(r.requestParameters ?? null).includes(`"${inst}"`)));
    expect(ids({ resourceNames: [inst], resourceTypes: ['AWS::EC2::Instance'] }).length).toBeGreaterThan(0);
    expect(ids({ resourceNames: [inst], resourceTypes: ['AWS::S3::Bucket'] })).toEqual([]);
    expect(ids({ resourceTypes: ['AWS::S3::Bucket'] }, 10)).toEqual(expected((r) => r.eventName === 'GetObject', 10));
    expect(ids({ sourceIps: ['203.0.2.0/24'] }, 50)).toEqual(expected((r) => String(r.sourceIPAddress).startsWith('203.0.2.'), 50));
    expect(ids({ sourceIps: ['203.0.0.0/23'] }, 50)).toEqual(expected((r) => /^203\.0\.[01]\./.test(String(r.sourceIPAddress)), 50));
    expect(ids({ sourceIps: ['203.0.3.5'] })).toEqual(expected((r) => r.sourceIPAddress === '203.0.3.5'));
    expect(ids({ principalArns: ['arn:aws:iam::123456789012:role/Admin'] })).toEqual(expected((r) => ui(r).type === 'AssumedRole'));
    expect(ids({ principalArns: ['arn:aws:iam::*:user/b*'] })).toEqual(expected((r) => String(ui(r).arn).endsWith(':user/bob')));
    expect(ids({ userAgents: ['PYTHON-requests'] })).toEqual(expected((r) => String(r.userAgent).startsWith('python')));
  });
  it('a value absent from the case gives an empty result without running a scan', () => {
    const q = buildSearch(db, { eventNames: ['NoSuchEvent'], regions: ['us-east-1'] });
    expect(q.empty).toBe(true);
    expect(ids({ users: ['nobody'] })).toEqual([]);
  });
  it('orders newest first by default, oldest first on request, and reports truncation', () => {
    const newest = searchEvents(db, {}, { limit: 5 });
    expect(newest.truncated).toBe(true);
    expect(newest.rows.map((r) => r.eventId)).toEqual(expected(() => true, 5));
    const oldest = searchEvents(db, {}, { limit: 2, order: 'oldest' });
    expect(oldest.rows.map((r) => r.eventId)).toEqual([records[0].eventID, records[1].eventID]);
  });
  it('rows carry resolved strings and resources', () => {
    const r = searchEvents(db, { eventIds: [String(records[2].eventID)] }).rows[0];
    expect(r).toMatchObject({ eventName: 'StopInstances', eventSource: 'ec2.amazonaws.com', awsRegion: 'ap-northeast-2', username: 'carol', readOnly: false });
    expect(r.resources).toEqual([{ type: 'AWS::EC2::Instance', name: `i-${(2).toString(16).padStart(17, '0')}` }]);
  });
  it('counts matches per region and describes coverage', () => {
    const m = countByRegion(db, { users: ['alice'] });
    expect([...m.values()].reduce((a, b) => a + b, 0)).toBe(750);
    const c = caseCoverage(db);
    expect(c.events).toBe(3000);
    expect(c.regions.map((x) => x.value).sort()).toEqual([...regions].sort());
  });
});

describe('query plans (EXPLAIN QUERY PLAN): every pivot uses an index', () => {
  const plan = (f: EventFilter): string => {
    const q = buildSearch(db, f, { limit: 100 });
    return (db.prepare(`EXPLAIN QUERY PLAN ${q.sql} LIMIT 100`).all(...q.params) as { detail: string }[]).map((r) => r.detail).join('\n');
  };
  const cases: [string, EventFilter, RegExp][] = [
    ['event-name', { eventNames: ['StopInstances'] }, /USING (COVERING )?INDEX events_name/],
    ['event-source', { eventSources: ['iam.amazonaws.com'] }, /USING (COVERING )?INDEX events_source/],
    ['user', { users: ['bob'] }, /USING (COVERING )?INDEX events_username/],
    ['access-key', { accessKeys: ['AKIABOB0000000000000'] }, /USING (COVERING )?INDEX events_key/],
    ['event-id', { eventIds: [String(records[1].eventID)] }, /USING (COVERING )?INDEX events_event_id/],
    ['resource-type', { resourceTypes: ['AWS::S3::Bucket'] }, /INDEX resources_type/],
    ['resource-name', { resourceNames: [`i-${(7).toString(16).padStart(17, '0')}`] }, /INDEX resources_name/],
    ['source-ip', { sourceIps: ['203.0.2.0/24'] }, /USING (COVERING )?INDEX events_ip/],
    ['region', { regions: ['eu-west-1'] }, /USING (COVERING )?INDEX events_region/],
    ['account', { accounts: ['210987654321'] }, /USING (COVERING )?INDEX events_account/],
    ['principal-arn', { principalArns: ['arn:aws:iam::123456789012:role/Admin'] }, /INDEX events_(arn|issuer)/],
    ['user-agent', { userAgents: ['python'] }, /USING (COVERING )?INDEX events_ua/],
    ['error', { errors: 'any' }, /USING (COVERING )?INDEX events_error/],
    ['error code', { errors: ['AccessDenied'] }, /USING (COVERING )?INDEX events_error/],
    ['time range', { startMs: base, endMs: base + 3600_000 }, /USING (COVERING )?INDEX events_time/],
    ['read-only', { readOnly: true }, /USING (COVERING )?INDEX events_time/],
    ['category', { categories: ['insight'] }, /INDEX events_time|^$/],
    ['combination', { eventNames: ['StopInstances'], users: ['bob'], regions: ['us-east-1'], startMs: base }, /USING (COVERING )?INDEX events_(name|username)/],
  ];
  for (const [name, f, re] of cases) {
    it(name, () => {
      const p = plan(f);
      expect(p).toMatch(re);
      // no full table scan of events
      expect(p).not.toMatch(/SCAN e$/m);
      expect(p).not.toMatch(/SCAN events$/m);
    });
  }
});
