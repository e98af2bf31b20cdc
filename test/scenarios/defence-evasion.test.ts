// Which calls weaken logging (src/scenarios/defence-evasion.ts), on hand-made records: trail settings only when they
// narrow, bucket calls only on a trail bucket, and the finding's level from what succeeded.
import { describe, expect, it } from 'vitest';
import { defenceEvasionFinding, evasionEffect, splitEvasion, type EvasionCandidate } from '../../src/scenarios/defence-evasion.js';

const call = (eventSource: string, eventName: string, requestParameters: unknown, errorCode: string | null = null): EvasionCandidate => ({
  eventId: `${eventName}-${errorCode ?? 'ok'}`,
  eventTime: '2025-02-10T19:00:00Z',
  eventName,
  eventSource,
  awsRegion: 'us-east-1',
  errorCode,
  errorMessage: null,
  record: { requestParameters },
});
const buckets = new Set(['acct-trail-bucket']);

describe('defence evasion', () => {
  it('counts trail settings only when they narrow the trail, saying what', () => {
    expect(evasionEffect(call('cloudtrail.amazonaws.com', 'PutEventSelectors', { eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }] }), buckets)).toBeNull();
    expect(evasionEffect(call('cloudtrail.amazonaws.com', 'PutEventSelectors', { eventSelectors: [{ readWriteType: 'All', includeManagementEvents: false }] }), buckets)).toMatch(/management events are no longer recorded/);
    expect(evasionEffect(call('cloudtrail.amazonaws.com', 'UpdateTrail', { name: 't', isMultiRegionTrail: false }), buckets)).toBe('single-region only');
    expect(evasionEffect(call('cloudtrail.amazonaws.com', 'UpdateTrail', { name: 't', s3BucketName: 'acct-trail-bucket' }), buckets)).toBeNull();
    expect(evasionEffect(call('cloudtrail.amazonaws.com', 'UpdateTrail', { name: 't', s3BucketName: 'elsewhere' }), buckets)).toMatch(/elsewhere/);
    expect(evasionEffect(call('cloudtrail.amazonaws.com', 'StopLogging', { name: 't' }), buckets)).toBe('StopLogging');
  });

  it('counts bucket calls on a trail bucket only, and resolver query logging', () => {
    expect(evasionEffect(call('s3.amazonaws.com', 'PutBucketLifecycle', { bucketName: 'acct-trail-bucket' }), buckets)).toBe('trail bucket acct-trail-bucket');
    expect(evasionEffect(call('s3.amazonaws.com', 'DeleteBucketPolicy', { bucketName: 'acct-trail-bucket' }), buckets)).toMatch(/trail bucket/);
    expect(evasionEffect(call('s3.amazonaws.com', 'PutBucketLifecycle', { bucketName: 'photos' }), buckets)).toBeNull();
    expect(evasionEffect(call('route53resolver.amazonaws.com', 'DeleteResolverQueryLogConfig', { resolverQueryLogConfigId: 'rqlc-1' }), buckets)).toBe('DeleteResolverQueryLogConfig');
  });

  it('is high when something succeeded, medium when every call failed', () => {
    const failedOnly = splitEvasion([call('cloudtrail.amazonaws.com', 'StopLogging', { name: 't' }, 'AccessDenied')], buckets);
    expect(failedOnly.succeeded).toEqual([]);
    const f = defenceEvasionFinding(failedOnly)!;
    expect(f.severity).toBe('medium');
    expect(f.message).toBe('logging/defence changes failed: StopLogging: AccessDenied');
    const both = splitEvasion([call('cloudtrail.amazonaws.com', 'StopLogging', { name: 't' }, 'AccessDenied'), call('guardduty.amazonaws.com', 'UpdateDetector', { enable: false })], buckets);
    const g = defenceEvasionFinding(both)!;
    expect(g.severity).toBe('high');
    expect(g.message).toBe('logging/defence changes succeeded: UpdateDetector; failed: StopLogging: AccessDenied');
    expect(g.succeeded).toHaveLength(1);
    expect(defenceEvasionFinding({ succeeded: [], failed: [] })).toBeNull();
  });
});
