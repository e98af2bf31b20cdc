// Small hand-made evidence for ingest tests.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';

let counter = 0;

/**
 * A successful read-only EC2 DescribeInstances call as CloudTrail records it (the plausible default every synthetic
 * test starts from), with the caller's identity, time and ids, then `over` applied.
 */
export function apiCall(
  base: { identity: Record<string, unknown>; eventTime: string; eventId: string; account: string; sourceIPAddress?: string },
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: base.identity,
    eventTime: base.eventTime,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: base.sourceIPAddress ?? '198.51.100.1',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    requestID: base.eventId,
    eventID: base.eventId,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: base.account,
    eventCategory: 'Management',
    ...over,
  };
}

export function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const n = counter;
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEALICE0001', userName: 'alice' },
    eventTime: new Date(Date.UTC(2024, 1, 17, 10, 0, n % 60)).toISOString().replace('.000Z', 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { instancesSet: { items: [{ instanceId: 'i-0123456789abcdef0' }] } },
    responseElements: null,
    requestID: crypto.randomUUID(),
    eventID: crypto.randomUUID(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    ...over,
  };
}

export function records(events: Record<string, unknown>[]): Buffer {
  return Buffer.from(JSON.stringify({ Records: events }));
}

/** Write a log file at its bucket key path under root; returns the absolute path. */
export function writeLog(root: string, events: Record<string, unknown>[], opts: { account?: string; region?: string; stamp?: string; gz?: boolean; name?: string; org?: string } = {}): string {
  const account = opts.account ?? '111122223333';
  const region = opts.region ?? 'us-east-1';
  const stamp = opts.stamp ?? '20240217T1005Z';
  const dir = path.join(root, 'AWSLogs', ...(opts.org ? [opts.org] : []), account, 'CloudTrail', region, stamp.slice(0, 4), stamp.slice(4, 6), stamp.slice(6, 8));
  fs.mkdirSync(dir, { recursive: true });
  const gz = opts.gz ?? true;
  const name = opts.name ?? `${account}_CloudTrail_${region}_${stamp}_${crypto.randomBytes(8).toString('hex').slice(0, 16)}.json${gz ? '.gz' : ''}`;
  const file = path.join(dir, name);
  const body = records(events);
  fs.writeFileSync(file, gz ? zlib.gzipSync(body) : body);
  return file;
}
