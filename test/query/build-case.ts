// Test helper: a case file built directly through SQL from records (no evidence bodies), for query tests that
// must not depend on the ingester. Uses the ingester's own column extraction and resource mapping.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCase, type Db } from '../../src/index/open.js';
import { CaseWriter } from '../../src/index/writer.js';
import { EventBatchBuilder } from '../../src/model/event-batch.js';
import { extractColumns, parseEventTime } from '../../src/sources/extract.js';
import { extractResources } from '../../src/sources/resources.js';

export function tmpCasePath(name = 'case'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-q-'));
  return path.join(dir, `${name}.db`);
}

/** Create a case at `file` holding `records` through the case writer; returns it open for writing (close it before reading read-only). */
export function buildCase(file: string, records: Record<string, unknown>[]): Db {
  const db = openCase(file, { create: true });
  const writer = new CaseWriter(db);
  writer.beginRun('test', ['build-case']);
  const batch = new EventBatchBuilder();
  records.forEach((rec, i) => {
    const c = extractColumns(rec, String(rec.eventID), parseEventTime(rec.eventTime));
    batch.add(c, { index: i, offset: null, length: null, flags: 0, hash: new Uint8Array(16) }, extractResources(rec));
  });
  writer.transaction(() => {
    const sid = writer.beginSource({ root: '/synthetic', path: 'synthetic.json', size: 0, sha256: 'x', compression: 'none', keyInfo: null });
    const added = writer.addEvents(sid, batch.take(), () => {});
    writer.finishSource(sid, { contentSha256: null, kind: 'records-json', status: 'done', reason: null, recordCount: records.length, blobFormat: null }, added, false);
  });
  writer.finishRun('done', {});
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
