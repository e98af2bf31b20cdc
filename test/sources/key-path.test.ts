// The S3 key layout of a trail bucket copy: org and account trails, prefixes, the sibling folders, and the paths
// that are not a bucket layout.
import { describe, expect, it } from 'vitest';
import { parseKeyPath, parseLogFileName } from '../../src/sources/key-path.js';

const LOG = '123456789012_CloudTrail_us-east-1_20240217T1005Z_AbCdEf123.json.gz';

describe('parseKeyPath', () => {
  it('an organization trail', () => {
    expect(parseKeyPath(`mybucket/AWSLogs/o-abcdefghij/123456789012/CloudTrail/us-east-1/2024/02/17/${LOG}`)).toEqual({
      prefix: 'mybucket',
      orgId: 'o-abcdefghij',
      accountId: '123456789012',
      folder: 'CloudTrail',
      region: 'us-east-1',
      date: '2024-02-17',
      s3Key: `AWSLogs/o-abcdefghij/123456789012/CloudTrail/us-east-1/2024/02/17/${LOG}`,
      fileTime: '2024-02-17T10:05:00Z',
    });
  });

  it('an account trail with no prefix', () => {
    expect(parseKeyPath(`AWSLogs/123456789012/CloudTrail/eu-west-1/2023/12/31/${LOG}`)).toEqual({
      prefix: '',
      orgId: null,
      accountId: '123456789012',
      folder: 'CloudTrail',
      region: 'eu-west-1',
      date: '2023-12-31',
      s3Key: `AWSLogs/123456789012/CloudTrail/eu-west-1/2023/12/31/${LOG}`,
      fileTime: '2024-02-17T10:05:00Z',
    });
  });

  it('keeps everything before AWSLogs/ as the prefix', () => {
    const r = parseKeyPath(`bucket/trail/prefix/AWSLogs/123456789012/CloudTrail/us-gov-west-1/2024/02/17/${LOG}`);
    expect(r).toMatchObject({ prefix: 'bucket/trail/prefix', region: 'us-gov-west-1', s3Key: `AWSLogs/123456789012/CloudTrail/us-gov-west-1/2024/02/17/${LOG}` });
  });

  it('a prefix that itself holds an AWSLogs segment: the last one that parses wins', () => {
    expect(parseKeyPath(`b/AWSLogs/x/AWSLogs/123456789012/CloudTrail/us-east-1/2024/02/17/${LOG}`)).toMatchObject({ prefix: 'b/AWSLogs/x', accountId: '123456789012' });
    // A later AWSLogs that does not parse falls back to an earlier one.
    expect(parseKeyPath('AWSLogs/123456789012/CloudTrail/us-east-1/2024/02/17/AWSLogs/f.json')).toMatchObject({ prefix: '', date: '2024-02-17', fileTime: null });
  });

  it('CloudTrail-Digest and CloudTrail-Insight folders', () => {
    const digest = parseKeyPath('AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/02/17/123456789012_CloudTrail-Digest_us-east-1_mytrail_us-east-1_20240217T100500Z.json.gz');
    expect(digest).toMatchObject({ folder: 'CloudTrail-Digest', region: 'us-east-1', date: '2024-02-17', fileTime: null });
    const insight = parseKeyPath('AWSLogs/123456789012/CloudTrail-Insight/ap-southeast-2/2024/02/17/123456789012_CloudTrail-Insight_ap-southeast-2_20240217T2359Z_x1.json.gz');
    expect(insight).toMatchObject({ folder: 'CloudTrail-Insight', region: 'ap-southeast-2', date: '2024-02-17', fileTime: '2024-02-17T23:59:00Z' });
  });

  it('a file not under date folders has no date; a file name not in the log format has no file time', () => {
    expect(parseKeyPath('AWSLogs/123456789012/CloudTrail/us-east-1/file.json')).toMatchObject({ date: null, fileTime: null });
    expect(parseKeyPath('AWSLogs/123456789012/CloudTrail/us-east-1/2024/02/other.json')).toMatchObject({ date: null, fileTime: null });
    expect(parseKeyPath('AWSLogs/123456789012/CloudTrail/us-east-1/2024/02/17/renamed.json.gz')).toMatchObject({ date: '2024-02-17', fileTime: null });
  });

  it('paths that are not a bucket layout are null', () => {
    for (const p of [
      `logs/123456789012/CloudTrail/us-east-1/2024/02/17/${LOG}`,
      `AWSLogs/12345678901/CloudTrail/us-east-1/2024/02/17/${LOG}`,
      `AWSLogs/o-abc/123456789012/CloudTrail/us-east-1/2024/02/17/${LOG}`,
      `AWSLogs/123456789012/CloudTrail/US-EAST-1/2024/02/17/${LOG}`,
      `AWSLogs/123456789012/CloudTrail/global/2024/02/17/${LOG}`,
      'AWSLogs/123456789012/CloudTrail/us-east-1',
      'AWSLogs/123456789012',
      'awslogs/123456789012/CloudTrail/us-east-1/2024/02/17/f.json',
      '',
    ]) {
      expect(parseKeyPath(p), p).toBeNull();
    }
  });
});

describe('parseLogFileName', () => {
  it('reads account, region and time from a log file name', () => {
    expect(parseLogFileName(LOG)).toEqual({ accountId: '123456789012', region: 'us-east-1', time: '20240217T1005Z' });
    expect(parseLogFileName('123456789012_CloudTrail-Insight_cn-north-1_20240217T1005Z_Z9.json')).toEqual({ accountId: '123456789012', region: 'cn-north-1', time: '20240217T1005Z' });
  });

  it('other names are null', () => {
    for (const n of [
      '123456789012_CloudTrail_us-east-1_20240217T1005Z_AbC.json.gz.tmp',
      '12345678901_CloudTrail_us-east-1_20240217T1005Z_AbC.json.gz',
      '123456789012_CloudTrail-Digest_us-east-1_trail_us-east-1_20240217T100500Z.json.gz',
      '123456789012_CloudTrail_us-east-1_20240217T10Z_AbC.json.gz',
      'a/123456789012_CloudTrail_us-east-1_20240217T1005Z_AbC.json.gz',
      'events.json',
    ]) {
      expect(parseLogFileName(n), n).toBeNull();
    }
  });
});
