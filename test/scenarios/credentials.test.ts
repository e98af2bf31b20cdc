import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/index/event-rows.js';
import { traceLineage, type EventWithBody, type LineageSource } from '../../src/scenarios/credentials.js';

let nextId = 1;
function row(p: Partial<EventRow>): EventRow {
  const id = nextId++;
  return {
    id,
    eventId: `ev-${id}`,
    eventTime: Date.UTC(2024, 1, 17, 10, 0, id),
    eventName: null,
    eventSource: 'sts.amazonaws.com',
    awsRegion: 'us-east-1',
    recipientAccountId: '111111111111',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2',
    identityType: 'IAMUser',
    arn: 'arn:aws:iam::111111111111:user/alice',
    principalId: 'AIDA',
    accountId: '111111111111',
    accessKeyId: null,
    userName: 'alice',
    username: 'alice',
    sessionIssuerArn: null,
    sessionIssuerUserName: null,
    sessionIssuerType: null,
    invokedBy: null,
    sourceIdentity: null,
    errorCode: null,
    errorMessage: null,
    readOnly: false,
    eventType: 'AwsApiCall',
    eventCategory: 'Management',
    managementEvent: true,
    sharedEventId: null,
    requestId: null,
    vpcEndpointId: null,
    flags: 0,
    sourceId: 1,
    recordIndex: id,
    resources: [],
    ...p,
  };
}

function mint(signer: string, eventName: string, minted: string | null, extra: { roleArn?: string; rowExtra?: Partial<EventRow>; response?: boolean } = {}): EventWithBody {
  const r = row({ eventName, accessKeyId: signer, ...extra.rowExtra });
  const record: Record<string, unknown> = {
    eventName,
    recipientAccountId: r.recipientAccountId,
    requestParameters: extra.roleArn ? { roleArn: extra.roleArn, roleSessionName: 's' } : {},
    responseElements:
      extra.response === false || !minted
        ? null
        : {
            credentials: { accessKeyId: minted, expiration: 'Feb 17, 2024, 11:00:00 AM' },
            ...(extra.roleArn ? { assumedRoleUser: { arn: `${extra.roleArn.replace(':iam:', ':sts:').replace(':role/', ':assumed-role/')}/s` } } : {}),
          },
  };
  return { row: r, record };
}

function created(signer: string, newKey: string, userName: string): EventWithBody {
  const r = row({ eventName: 'CreateAccessKey', eventSource: 'iam.amazonaws.com', accessKeyId: signer });
  return { row: r, record: { eventName: 'CreateAccessKey', recipientAccountId: '111111111111', requestParameters: { userName }, responseElements: { accessKey: { accessKeyId: newKey, userName, status: 'Active' } } } };
}

function source(events: EventWithBody[]): LineageSource & { calls: number } {
  const s = {
    calls: 0,
    eventsSignedBy(keys: readonly string[], names: readonly string[]) {
      s.calls++;
      return events.filter((e) => e.row.accessKeyId && keys.includes(e.row.accessKeyId) && e.row.eventName && names.includes(e.row.eventName));
    },
    copiesOf(rows: readonly EventRow[]) {
      return events.filter((e) => rows.some((r) => r.id !== e.row.id && ((r.sharedEventId && r.sharedEventId === e.row.sharedEventId) || (r.requestId && r.requestId === e.row.requestId))));
    },
  };
  return s;
}

const ROOT = 'AKIAXXXXXXXXXXXXXXXX';

describe('traceLineage', () => {
  it('follows GetSessionToken, AssumeRole chains and CreateAccessKey, recording parent, call and depth', () => {
    const ev = [
      mint(ROOT, 'GetSessionToken', 'ASIA0000000000000001'),
      mint('ASIA0000000000000001', 'AssumeRole', 'ASIA0000000000000002', { roleArn: 'arn:aws:iam::111111111111:role/ops' }),
      mint('ASIA0000000000000002', 'AssumeRole', 'ASIA0000000000000003', { roleArn: 'arn:aws:iam::111111111111:role/admin' }),
      created(ROOT, 'AKIAPERSIST000000001', 'backdoor'),
      // Unrelated key's mint: never part of the lineage.
      mint('AKIAOTHER00000000000', 'GetSessionToken', 'ASIA9999999999999999'),
      // A failed call mints nothing.
      { ...mint(ROOT, 'AssumeRole', 'ASIAFAILED0000000000', { roleArn: 'arn:aws:iam::111111111111:role/x' }), row: row({ eventName: 'AssumeRole', accessKeyId: ROOT, errorCode: 'AccessDenied' }) },
    ];
    const lin = traceLineage(source(ev), ROOT, '111111111111');
    expect(lin.nodes.map((n) => [n.accessKeyId, n.parentAccessKeyId, n.kind, n.via, n.depth])).toEqual([
      [ROOT, null, 'investigated', null, 0],
      ['ASIA0000000000000001', ROOT, 'temporary', 'GetSessionToken', 1],
      ['AKIAPERSIST000000001', ROOT, 'created', 'CreateAccessKey', 1],
      ['ASIA0000000000000002', 'ASIA0000000000000001', 'temporary', 'AssumeRole', 2],
      ['ASIA0000000000000003', 'ASIA0000000000000002', 'temporary', 'AssumeRole', 3],
    ]);
    expect(lin.nodes[4]).toMatchObject({ roleArn: 'arn:aws:iam::111111111111:role/admin', sessionArn: 'arn:aws:sts::111111111111:assumed-role/admin/s', crossAccount: false });
    expect(lin.nodes[2]).toMatchObject({ userName: 'backdoor' });
    expect(lin.truncated).toBe(false);
  });

  it('takes the credentials of a cross-account AssumeRole from the role owner\u2019s copy (sharedEventID)', () => {
    const callerCopy = mint(ROOT, 'AssumeRole', null, { roleArn: 'arn:aws:iam::222222222222:role/xacct', rowExtra: { sharedEventId: 'shared-1', requestId: 'req-1' } });
    const ownerCopy = mint('', 'AssumeRole', 'ASIACROSS00000000001', {
      roleArn: 'arn:aws:iam::222222222222:role/xacct',
      rowExtra: { accessKeyId: null, identityType: 'AWSAccount', arn: null, recipientAccountId: '222222222222', sharedEventId: 'shared-1', requestId: 'req-1' },
    });
    const used = mint('ASIACROSS00000000001', 'AssumeRole', 'ASIACROSS00000000002', { roleArn: 'arn:aws:iam::222222222222:role/deeper', rowExtra: { recipientAccountId: '222222222222' } });
    const lin = traceLineage(source([callerCopy, ownerCopy, used]), ROOT, '111111111111');
    expect(lin.nodes.map((n) => [n.accessKeyId, n.linkedBy, n.crossAccount, n.accountId])).toEqual([
      [ROOT, 'signature', false, '111111111111'],
      ['ASIACROSS00000000001', 'sharedEventID', true, '222222222222'],
      ['ASIACROSS00000000002', 'signature', false, '222222222222'],
    ]);
    expect(lin.nodes[1].linkedEventIds).toEqual([ownerCopy.row.eventId]);
    expect(lin.linkedEvents.map((l) => l.row.id)).toEqual([ownerCopy.row.id]);
  });

  it('follows a 12-level role chain one query per level, stops at cycles and at maxDepth', () => {
    const ev: EventWithBody[] = [];
    let prev = ROOT;
    for (let i = 1; i <= 12; i++) {
      const k = `ASIACHAIN${String(i).padStart(11, '0')}`;
      ev.push(mint(prev, 'AssumeRole', k, { roleArn: `arn:aws:iam::111111111111:role/r${i}` }));
      prev = k;
    }
    // A cycle: the last key "mints" the first again.
    ev.push(mint(prev, 'AssumeRole', 'ASIACHAIN00000000001', { roleArn: 'arn:aws:iam::111111111111:role/r1' }));
    const src = source(ev);
    const lin = traceLineage(src, ROOT, '111111111111');
    expect(lin.nodes).toHaveLength(13);
    expect(lin.nodes[12].depth).toBe(12);
    expect(src.calls).toBe(13);
    const cut = traceLineage(source(ev), ROOT, '111111111111', 5);
    expect(cut.nodes).toHaveLength(6);
    expect(cut.truncated).toBe(true);
  });
});
