// Stolen instance credentials: the pure logic that tells an instance's own addresses from elsewhere
// (src/scenarios/instance-credentials.ts), and `investigate instance` / `investigate access-key` on the committed
// sample, whose expected keys, addresses and event ids come from ground-truth.json
// (incidents.attackPack.stolenInstanceSession), never written here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import type { SessionUsageRow } from '../../src/index/instance-sessions.js';
import { investigateAccessKey } from '../../src/scenarios/access-key.js';
import type { InvestigationOptions } from '../../src/scenarios/common.js';
import { investigateInstance } from '../../src/scenarios/instance.js';
import { addressKind, assessInstanceCredentials, instanceOfSessionArn, isPrivateAddress } from '../../src/scenarios/instance-credentials.js';
import { instanceCredentials } from '../../src/scenarios/instance-sessions.js';
import { accessKeyView, instanceView } from '../../src/scenarios/views.js';
import { sharedCase } from '../helpers/cases.js';
import { truth } from '../helpers/sample.js';

const INSTANCE = 'i-0123456789abcdef0';
const ARN = `arn:aws:sts::123456789012:assumed-role/app-role/${INSTANCE}`;
const SDK = 'aws-sdk-java/2.21.29 Linux/5.10.205-195.807.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS Java/17.0.9';
const KALI = 'aws-cli/2.9.19 Python/3.9.11 Linux/6.1.0-kali7-amd64 exe/x86_64.kali.2023 prompt/off command/sts.get-caller-identity';
const T0 = Date.UTC(2025, 1, 10, 20, 0);
let rowId = 0;

/** One group of calls of the instance's session `key` from `ip` with `ua`. */
function group(key: string, ip: string, ua: string, over: Partial<SessionUsageRow> = {}): SessionUsageRow {
  return {
    accessKeyId: key,
    arn: ARN,
    sessionIssuerArn: 'arn:aws:iam::123456789012:role/app-role',
    accountId: '123456789012',
    identityType: 'AssumedRole',
    sourceIPAddress: ip,
    userAgent: ua,
    invokedBy: null,
    viaVpcEndpoint: false,
    count: 10,
    first: T0,
    last: T0 + 3_600_000,
    firstRowId: ++rowId,
    ...over,
  };
}

describe('instanceOfSessionArn', () => {
  it('reads the instance id of an assumed-role session named after it, and nothing else', () => {
    expect(instanceOfSessionArn(ARN)).toBe(INSTANCE);
    expect(instanceOfSessionArn('arn:aws:sts::123456789012:assumed-role/app-role/i-0a3c9e7b')).toBe('i-0a3c9e7b');
    expect(instanceOfSessionArn('arn:aws:sts::123456789012:assumed-role/ops/anna')).toBeNull();
    expect(instanceOfSessionArn('arn:aws:iam::123456789012:user/i-0123456789abcdef0')).toBeNull();
    expect(instanceOfSessionArn(null)).toBeNull();
  });
});

describe('isPrivateAddress and addressKind', () => {
  it('knows private, shared, link-local and unique-local ranges, and only those', () => {
    for (const ip of ['10.20.11.47', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.169.254', 'fd12:3456::1', 'fe80::1']) expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['172.32.0.1', '192.0.2.61', '8.8.8.8', '100.128.0.1', '2001:db8::1', '300.1.1.1']) expect(isPrivateAddress(ip), ip).toBe(false);
  });
  it('tells AWS services, VPC endpoints, private and public addresses apart', () => {
    const k = (ip: string, over: { invokedBy?: string; viaVpcEndpoint?: boolean } = {}) => addressKind({ sourceIPAddress: ip, invokedBy: over.invokedBy ?? null, viaVpcEndpoint: over.viaVpcEndpoint ?? false });
    expect(k('AWS Internal')).toBe('service');
    expect(k('s3.amazonaws.com')).toBe('service');
    expect(k('52.95.1.1', { invokedBy: 'cloudformation.amazonaws.com' })).toBe('service');
    expect(k('10.0.0.5', { viaVpcEndpoint: true })).toBe('vpc-endpoint');
    expect(k('10.0.0.5')).toBe('private');
    expect(k('192.0.2.61')).toBe('public');
  });
});

describe('assessInstanceCredentials', () => {
  it('flags a public address with a new client as high, with its reasons', () => {
    const a = assessInstanceCredentials(INSTANCE, [group('ASIA1', '10.20.11.47', SDK), group('ASIA2', '10.20.11.47', SDK), group('ASIA1', '192.0.2.61', KALI, { count: 3, first: T0 + 1_800_000 })]);
    expect(a.baseline).toBe('own-addresses');
    expect(a.ownAddresses).toEqual(['10.20.11.47']);
    expect(a.usedElsewhere).toHaveLength(1);
    const u = a.usedElsewhere[0];
    expect(u).toMatchObject({ sourceIPAddress: '192.0.2.61', accessKeyIds: ['ASIA1'], eventCount: 3, outsideAws: true, newUserAgentFamily: true, severity: 'high' });
    expect(u.userAgentFamilies).toEqual(['aws-cli/2.9.19 on Kali']);
    expect(u.reasons.join('\n')).toMatch(/not an address the instance calls from \(10\.20\.11\.47\)/);
    expect(u.reasons.join('\n')).toMatch(/user agent aws-cli\/2\.9\.19 on Kali is not one the instance uses/);
    expect(u.reasons.join('\n')).toMatch(/same session \(ASIA1\) also called from the instance's own address/);
  });

  it('keeps a NAT address the rotated sessions keep using with the instance client, and calls by AWS services, as the instance\'s own', () => {
    const a = assessInstanceCredentials(INSTANCE, [
      group('ASIA1', '10.20.11.47', SDK),
      group('ASIA1', '203.0.113.9', SDK),
      group('ASIA2', '203.0.113.9', SDK),
      group('ASIA2', 'AWS Internal', 'AWS Internal'),
      group('ASIA2', 's3.amazonaws.com', 's3.amazonaws.com', { invokedBy: 's3.amazonaws.com' }),
      group('ASIA2', '10.20.99.1', SDK, { viaVpcEndpoint: true }),
    ]);
    expect(a.ownAddresses.sort()).toEqual(['10.20.11.47', '10.20.99.1', '203.0.113.9']);
    expect(a.usedElsewhere).toEqual([]);
  });

  it('does not take an address used across sessions with another client as the instance\'s', () => {
    const a = assessInstanceCredentials(INSTANCE, [group('ASIA1', '10.20.11.47', SDK), group('ASIA1', '192.0.2.61', KALI), group('ASIA2', '192.0.2.61', KALI)]);
    expect(a.usedElsewhere.map((u) => [u.sourceIPAddress, u.accessKeyIds, u.severity])).toEqual([['192.0.2.61', ['ASIA1', 'ASIA2'], 'high']]);
  });

  it('rates another public address with the instance\'s own client medium', () => {
    const a = assessInstanceCredentials(INSTANCE, [group('ASIA1', '10.20.11.47', SDK), group('ASIA1', '198.51.100.7', SDK)]);
    expect(a.usedElsewhere.map((u) => [u.sourceIPAddress, u.newUserAgentFamily, u.severity])).toEqual([['198.51.100.7', false, 'medium']]);
  });

  it('falls back to the first public address when nothing else tells the instance\'s own, and says so', () => {
    const a = assessInstanceCredentials(INSTANCE, [group('ASIA1', '203.0.113.9', SDK), group('ASIA1', '192.0.2.61', KALI, { first: T0 + 60_000 })]);
    expect(a.baseline).toBe('first-address');
    expect(a.ownAddresses).toEqual(['203.0.113.9']);
    expect(a.usedElsewhere[0].reasons[0]).toMatch(/not the address the instance's sessions first called from/);
    expect(assessInstanceCredentials(INSTANCE, [group('ASIA1', 'AWS Internal', 'AWS Internal')]).baseline).toBe('none');
  });

  it('leaves out rows of other identities and other instances', () => {
    const a = assessInstanceCredentials(INSTANCE, [
      group('ASIA1', '10.20.11.47', SDK),
      group('AKIA1', '192.0.2.61', KALI, { identityType: 'IAMUser', arn: `arn:aws:iam::123456789012:user/${INSTANCE}` }),
      group('ASIA9', '192.0.2.62', KALI, { arn: 'arn:aws:sts::123456789012:assumed-role/app-role/i-0fffffffffffffff0' }),
    ]);
    expect(a.usedElsewhere).toEqual([]);
  });
});

describe('on the sample', () => {
  const stolen = truth.incidents.attackPack.stolenInstanceSession;
  const opts: InvestigationOptions = { filter: {}, tz: 'UTC', now: Date.UTC(2025, 1, 20) };
  let db: Db;
  beforeAll(() => {
    db = openCase(sharedCase('sample'), { readonly: true });
  });
  afterAll(() => db?.close());

  it('investigate instance lists the role sessions with the minting AssumeRole by EC2 and the IMDS delivery', () => {
    const r = investigateInstance(db, stolen.instanceId, opts);
    const sessions = r.roleSessions!.sessions;
    stolen.sessionKeys.forEach((key: string, i: number) => {
      const s = sessions.find((x) => x.accessKeyId === key);
      expect(s, key).toBeDefined();
      expect(s!.roleArn).toBe(stolen.roleArn);
      expect(s!.mintedBy).toMatchObject({ eventId: stolen.mintEventIds[i], invokedBy: 'ec2.amazonaws.com' });
      expect(s!.ec2RoleDelivery).toBe('2.0');
      expect(s!.usedElsewhere).toBe(key === stolen.stolenKey);
    });
    expect(sessions.find((s) => s.accessKeyId === stolen.stolenKey)!.sourceIps.sort()).toEqual([...stolen.ownAddresses, stolen.usedFrom].sort());
  });

  it('investigate instance finds the theft: the thief address, high, first theft event first, own addresses kept', () => {
    const r = investigateInstance(db, stolen.instanceId, opts);
    const c = r.roleSessions!;
    expect(c.ownAddresses).toEqual(stolen.ownAddresses);
    expect(c.usedElsewhere.map((u) => [u.sourceIPAddress, u.accessKeyIds, u.severity, u.outsideAws])).toEqual([[stolen.usedFrom, [stolen.stolenKey], 'high', true]]);
    const f = r.findings.filter((x) => x.type === 'instance-credentials-used-elsewhere');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'high', eventIds: stolen.theftEventIds });
    expect(f[0].message).toContain(stolen.usedFrom);
    expect(r.findings[0].type).toBe('instance-credentials-used-elsewhere');
  });

  it('lists the activity with the calls from elsewhere first when it is long, and bounded', () => {
    const a = investigateInstance(db, stolen.instanceId, opts).roleSessions!.activity!;
    expect(a.truncated).toBe(true);
    expect(a.events.length).toBe(200);
    expect(a.total).toBeGreaterThan(200);
    expect(a.events.slice(0, stolen.theftEventIds.length).map((e) => [e.eventId, e.elsewhere])).toEqual(stolen.theftEventIds.map((id: string) => [id, true]));
    // Then the stolen session's own calls (from the instance), before any other session's.
    const next = a.events.slice(stolen.theftEventIds.length, stolen.theftEventIds.length + 3);
    expect(next.every((e) => e.accessKeyId === stolen.stolenKey && !e.elsewhere)).toBe(true);
    expect(a.events.filter((e) => e.elsewhere)).toHaveLength(stolen.theftEventIds.length);
  });

  it('lists every call, oldest first, when the filter makes it small (the verdict still reads the whole case)', () => {
    const c = instanceCredentials(db, stolen.instanceId, { filter: { accessKeys: [stolen.stolenKey] } })!;
    expect(c.activity!.truncated).toBe(false);
    const ids = c.activity!.events.map((e) => e.eventId);
    expect(ids.filter((id) => stolen.theftEventIds.includes(id))).toEqual(stolen.theftEventIds);
    expect(ids.filter((id) => stolen.ownEventIds.includes(id)).length).toBeGreaterThan(0);
    const times = c.activity!.events.map((e) => e.eventTime!);
    expect([...times].sort()).toEqual(times);
    expect(c.usedElsewhere.map((u) => u.sourceIPAddress)).toEqual([stolen.usedFrom]);
  });

  it('investigate access-key on the stolen session shows the instance link and the finding', () => {
    const r = investigateAccessKey(db, stolen.stolenKey, opts);
    expect(r.instanceLink).toMatchObject({ instanceId: stolen.instanceId, linkedBy: ['session-name', 'ec2-assume-role'], ownAddresses: stolen.ownAddresses });
    expect(r.instanceLink!.session!.mintedBy!.eventId).toBe(stolen.mintEventIds[0]);
    expect(r.instanceLink!.usedElsewhere.map((u) => u.sourceIPAddress)).toEqual([stolen.usedFrom]);
    const f = r.findings.filter((x) => x.type === 'instance-session-used-elsewhere');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'high', eventIds: stolen.theftEventIds });
    expect(f[0].eventIds[0]).toBe(stolen.firstTheftEventId);
  });

  it('gives the rotated session, and every other app instance and its sessions, the link but not the finding', () => {
    const rotated = stolen.sessionKeys.find((k: string) => k !== stolen.stolenKey);
    const r = investigateAccessKey(db, rotated, opts);
    expect(r.instanceLink?.instanceId).toBe(stolen.instanceId);
    expect(r.findings.filter((x) => x.type === 'instance-session-used-elsewhere')).toEqual([]);
    const others = (db.prepare("SELECT DISTINCT username AS v FROM events_v WHERE username LIKE 'i-%' AND identity_type = 'AssumedRole'").all() as Array<{ v: string }>)
      .map((x) => x.v)
      .filter((i) => i !== stolen.instanceId);
    expect(others.length).toBeGreaterThanOrEqual(2);
    for (const id of others) {
      const ri = investigateInstance(db, id, opts);
      expect(ri.roleSessions!.sessions.length, id).toBeGreaterThan(1);
      expect(ri.roleSessions!.usedElsewhere, id).toEqual([]);
      expect(ri.findings.filter((x) => x.type === 'instance-credentials-used-elsewhere'), id).toEqual([]);
      const key = ri.roleSessions!.sessions[0].accessKeyId;
      const rk = investigateAccessKey(db, key, opts);
      expect(rk.instanceLink?.instanceId, key).toBe(id);
      expect(rk.findings.filter((x) => x.type === 'instance-session-used-elsewhere'), key).toEqual([]);
    }
  });

  it('draws the sessions, the address used elsewhere and the activity in the instance view, and the link in the access-key view', () => {
    const v = instanceView(investigateInstance(db, stolen.instanceId, opts), 'UTC');
    expect(v.facts).toEqual(expect.arrayContaining([['Own addresses', stolen.ownAddresses.join(', ')]]));
    const titles = v.sections.map((x) => x.title);
    const sessions = v.sections.find((x) => x.title.startsWith('Role sessions'))!;
    expect(sessions.rows.filter((row) => row.w === '!').map((row) => row.key)).toEqual([stolen.stolenKey]);
    const away = v.sections.find((x) => x.title.startsWith('Used elsewhere'))!;
    expect(away.rows.map((row) => [row.ip, row.severity])).toEqual([[stolen.usedFrom, 'HIGH']]);
    const activity = v.sections.find((x) => x.title.startsWith('Role session activity'))!;
    expect(activity.rows.slice(0, stolen.theftEventIds.length).map((row) => [row.w, row.eventId])).toEqual(stolen.theftEventIds.map((id: string) => ['*', id]));
    expect(titles.indexOf(sessions.title)).toBeLessThan(titles.indexOf(activity.title));
    const k = accessKeyView(investigateAccessKey(db, stolen.stolenKey, opts), 'UTC');
    expect(k.facts.find(([name]) => name === 'Instance')?.[1]).toContain(stolen.instanceId);
    expect(k.facts.find(([name]) => name === 'Instance addresses')?.[1]).toContain(stolen.usedFrom);
  });

  it('has no role sessions, and no link, where there are none', () => {
    const leaked = truth.incidents.attackPack.leakedKey.accessKeyId;
    expect(investigateAccessKey(db, leaked, opts).instanceLink).toBeNull();
  });
});
