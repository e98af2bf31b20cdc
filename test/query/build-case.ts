// Test helper: a case file built directly through SQL from records (no evidence bodies), for query tests that
// must not depend on the ingester. Uses the ingester's own column extraction and resource mapping.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCase, type Db } from '../../src/index/open.js';
import { StringTable } from '../../src/index/strings.js';
import { packId, packIdOrNull } from '../../src/index/ids.js';
import { extractColumns, parseEventTime } from '../../src/sources/extract.js';
import { extractResources } from '../../src/sources/resources.js';

export function tmpCasePath(name = 'case'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-q-'));
  return path.join(dir, `${name}.db`);
}

/** Create a case at `file` holding `records`; returns it open for writing (close it before reading read-only). */
export function buildCase(file: string, records: Record<string, unknown>[]): Db {
  const db = openCase(file, { create: true });
  const strings = new StringTable(db);
  db.prepare(
    "INSERT INTO sources(id, path, root, size, sha256, kind, compression, status) VALUES (1, 'synthetic.json', '/synthetic', 0, 'x', 'records-json', 'none', 'done')",
  ).run();
  const ins = db.prepare(`INSERT INTO events(event_id, event_time, event_name, event_source, aws_region, recipient_account_id, source_ip,
    user_agent, identity_type, arn, principal_id, account_id, access_key_id, user_name, username, session_issuer_arn,
    session_issuer_user_name, invoked_by, source_identity, error_code, error_message, read_only, event_type, event_category,
    management_event, shared_event_id, request_id, vpc_endpoint_id, flags, content_hash, source_id, record_index)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,1,?)`);
  const insRes = db.prepare('INSERT OR IGNORE INTO event_resources(event_id, type, name) VALUES (?,?,?)');
  db.transaction(() => {
    records.forEach((rec, i) => {
      const c = extractColumns(rec, String(rec.eventID), parseEventTime(rec.eventTime));
      const b = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);
      const s = (v: string | null): number | null => strings.id(v);
      const info = ins.run(
        packId(c.eventId), c.eventTime, s(c.eventName), s(c.eventSource), s(c.awsRegion), s(c.recipientAccountId), s(c.sourceIPAddress),
        s(c.userAgent), s(c.identityType), s(c.arn), s(c.principalId), s(c.accountId), s(c.accessKeyId), s(c.userName), s(c.username),
        s(c.sessionIssuerArn), s(c.sessionIssuerUserName), s(c.invokedBy), s(c.sourceIdentity), s(c.errorCode), c.errorMessage,
        b(c.readOnly), s(c.eventType), s(c.eventCategory), b(c.managementEvent), packIdOrNull(c.sharedEventId), packIdOrNull(c.requestId),
        s(c.vpcEndpointId), Buffer.alloc(16), i,
      );
      for (const r of extractResources(rec)) insRes.run(Number(info.lastInsertRowid), strings.id(r.type), strings.id(r.name));
    });
  })();
  return db;
}

let n = 0;
/** A plausible record with overrides. */
export function rec(over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  const hex = n.toString(16).padStart(12, '0');
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', accessKeyId: 'AKIAALICE00000000000', userName: 'alice' },
    eventTime: '2025-02-01T00:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    requestID: `00000000-0000-4000-8000-${hex}`,
    eventID: `11111111-0000-4000-8000-${hex}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
    ...over,
  };
}
