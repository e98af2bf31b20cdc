// Denied-call bursts (src/scenarios/bursts.ts): split by idle gaps and by action family, so that each technique an
// intruder tries is a burst of its own.
import { describe, expect, it } from 'vitest';
import { actionFamily, BURST_GAP_MS, BURST_MIN, deniedBursts, type BurstRow } from '../../src/scenarios/bursts.js';

const t0 = Date.UTC(2025, 1, 13, 2, 0, 0);
let n = 0;
function row(sec: number, eventSource: string, eventName: string, errorCode: string | null = 'AccessDenied', ip = '192.0.2.77'): BurstRow {
  return { eventId: `e${++n}`, eventTime: t0 + sec * 1000, eventSource, eventName, sourceIPAddress: ip, errorCode };
}

describe('deniedBursts', () => {
  it('splits four techniques tried over 7.5 minutes into four bursts, one per action family', () => {
    const recon = [0, 5, 10, 15, 20, 25].map((s, i) => row(s, ['iam', 'kms', 'ssm', 'secretsmanager', 'rds', 'ec2'][i] + '.amazonaws.com', ['ListUsers', 'ListKeys', 'DescribeParameters', 'ListSecrets', 'DescribeDBInstances', 'DescribeInstances'][i]));
    const tamper = [90, 100, 110, 120, 130].map((s, i) => row(s, 'cloudtrail.amazonaws.com', ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'StopLogging'][i]));
    const persist = [200, 215, 230, 245, 260].map((s, i) => row(s, 'iam.amazonaws.com', ['CreateUser', 'CreateAccessKey', 'AttachUserPolicy', 'PutUserPolicy', 'CreateLoginProfile'][i]));
    const share = [330, 360, 390, 420, 450].map((s) => row(s, 'ec2.amazonaws.com', 'ModifySnapshotAttribute', 'Client.UnauthorizedOperation'));
    const bursts = deniedBursts([...recon, ...tamper, ...persist, ...share]);
    expect(bursts.map((b) => [b.family, b.count])).toEqual([
      ['discovery', 6],
      ['cloudtrail.amazonaws.com changes', 5],
      ['iam.amazonaws.com changes', 5],
      ['ec2.amazonaws.com changes', 5],
    ]);
    expect(bursts[0]).toEqual({
      start: '2025-02-13T02:00:00Z',
      end: '2025-02-13T02:00:25Z',
      count: 6,
      family: 'discovery',
      eventNames: ['ListUsers', 'ListKeys', 'DescribeParameters', 'ListSecrets', 'DescribeDBInstances', 'DescribeInstances'],
      sourceIps: ['192.0.2.77'],
      eventIds: recon.map((r) => r.eventId),
    });
  });

  it('keeps interleaved families apart, and ends a burst at an idle gap longer than 2 minutes', () => {
    const mixed = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90].map((s, i) => (i % 2 ? row(s, 'iam.amazonaws.com', 'ListRoles') : row(s, 'iam.amazonaws.com', 'CreateUser')));
    expect(deniedBursts(mixed).map((b) => [b.family, b.count])).toEqual([
      ['iam.amazonaws.com changes', 5],
      ['discovery', 5],
    ]);
    expect(BURST_GAP_MS).toBe(120_000);
    // Four calls, 131 s of quiet, five calls: the first four are not a burst, the five are.
    const gap = [0, 10, 20, 30, 161, 171, 181, 191, 201].map((s) => row(s, 'iam.amazonaws.com', 'ListUsers'));
    expect(deniedBursts(gap).map((b) => b.eventIds)).toEqual([gap.slice(4).map((r) => r.eventId)]);
    // The same calls with 119 s of quiet are one burst of nine.
    const close = [0, 10, 20, 30, 149, 159, 169, 179, 189].map((s) => row(s, 'iam.amazonaws.com', 'ListUsers'));
    expect(deniedBursts(close).map((b) => b.count)).toEqual([9]);
  });

  it(`needs ${BURST_MIN} denied calls: other errors and fewer calls are not a burst`, () => {
    expect(deniedBursts([0, 1, 2, 3].map((s) => row(s, 'iam.amazonaws.com', 'ListUsers')))).toEqual([]);
    expect(deniedBursts([0, 1, 2, 3, 4].map((s) => row(s, 'ec2.amazonaws.com', 'DescribeInstanceAttribute', 'Client.InvalidInstanceID.NotFound')))).toEqual([]);
    expect(deniedBursts([0, 1, 2, 3, 4].map((s) => row(s, 'ec2.amazonaws.com', 'DescribeInstances', 'Client.UnauthorizedOperation')))).toHaveLength(1);
  });

  it('calls every read-only name discovery, whatever the service, and changes by service', () => {
    expect(actionFamily('s3.amazonaws.com', 'GetBucketPolicy')).toBe('discovery');
    expect(actionFamily('organizations.amazonaws.com', 'DescribeOrganization')).toBe('discovery');
    expect(actionFamily('s3.amazonaws.com', 'PutBucketPolicy')).toBe('s3.amazonaws.com changes');
  });
});
