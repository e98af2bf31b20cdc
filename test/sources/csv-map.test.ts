// CSV exports → CloudTrail-shaped records: which headers are CloudTrail, how a row becomes a (partial) record, and the
// loose object syntax some exporters write.
import { describe, expect, it } from 'vitest';
import { csvRowToRecord, isCloudTrailCsvHeader, parseLooseObject } from '../../src/sources/csv-map.js';

const CONSOLE = ['Event ID', 'Event time', 'User name', 'Event name', 'Resource type', 'Resource name', 'AWS access key', 'AWS region', 'Error code', 'Source IP address', 'Event source', 'Read-only'];

describe('isCloudTrailCsvHeader', () => {
  it('the console Event history header', () => {
    expect(isCloudTrailCsvHeader(CONSOLE)).toBe(true);
  });

  it('matches names whatever their case, spaces or punctuation', () => {
    expect(isCloudTrailCsvHeader(['EVENT_ID', ' event-time '])).toBe(true);
    expect(isCloudTrailCsvHeader(['eventName', 'Event DateTime'])).toBe(true);
    expect(isCloudTrailCsvHeader(['x', 'CloudTrail Event'])).toBe(true);
    expect(isCloudTrailCsvHeader(['raw_event'])).toBe(true);
  });

  it('other headers are not CloudTrail', () => {
    expect(isCloudTrailCsvHeader(['Date', 'Description', 'Amount'])).toBe(false);
    expect(isCloudTrailCsvHeader(['Event ID', 'Event name'])).toBe(false);
    expect(isCloudTrailCsvHeader(['Event time', 'User name'])).toBe(false);
    expect(isCloudTrailCsvHeader([])).toBe(false);
  });
});

describe('csvRowToRecord', () => {
  it('a console row is a partial record with the fields it carries', () => {
    const row = ['7008d315', '2025-02-13T20:31:57Z', 'GitHubActions', 'PutObject', 'AWS::S3::Bucket, AWS::S3::Object', 'b1, b1/key', 'ASIAEXAMPLE', 'us-east-1', 'AccessDenied', '20.102.35.120', 's3.amazonaws.com', 'false'];
    expect(csvRowToRecord(CONSOLE, row)).toEqual({
      record: {
        eventID: '7008d315',
        eventTime: '2025-02-13T20:31:57Z',
        userIdentity: { userName: 'GitHubActions', accessKeyId: 'ASIAEXAMPLE' },
        eventName: 'PutObject',
        awsRegion: 'us-east-1',
        errorCode: 'AccessDenied',
        sourceIPAddress: '20.102.35.120',
        eventSource: 's3.amazonaws.com',
        readOnly: false,
        resources: [
          { resourceType: 'AWS::S3::Bucket', resourceName: 'b1' },
          { resourceType: 'AWS::S3::Object', resourceName: 'b1/key' },
        ],
      },
      partial: true,
      error: null,
    });
  });

  it('empty cells are left out; one resource type serves every name; readOnly only from true/false', () => {
    const r = csvRowToRecord(['Event name', 'Event time', 'Resource type', 'Resource name', 'Read-only', 'Error code'], ['GetObject', 'T', 'AWS::S3::Object', 'a,b', 'maybe', '']);
    expect(r.record).toEqual({
      eventName: 'GetObject',
      eventTime: 'T',
      resources: [
        { resourceType: 'AWS::S3::Object', resourceName: 'a' },
        { resourceType: 'AWS::S3::Object', resourceName: 'b' },
      ],
    });
  });

  it('user identity and request parameters given as objects (JSON or Python repr) are merged', () => {
    const r = csvRowToRecord(['eventTime', 'userName', 'userIdentity', 'requestParameters'], ['T', 'alice', "{'type': 'IAMUser', 'mfa': True}", '{"bucketName":"b"}']);
    expect(r.record).toEqual({ eventTime: 'T', userIdentity: { userName: 'alice', type: 'IAMUser', mfa: true }, requestParameters: { bucketName: 'b' } });
    expect(csvRowToRecord(['eventTime', 'requestParameters'], ['T', 'not an object']).record).toEqual({ eventTime: 'T', requestParameters: 'not an object' });
  });

  it('the CloudTrail event column, when present, is the whole (complete) record', () => {
    const whole = { eventID: 'E1', eventName: 'ConsoleLogin', eventTime: '2024-02-17T10:00:00Z', userIdentity: { type: 'Root' } };
    expect(csvRowToRecord([...CONSOLE, 'CloudTrail event'], ['other-id', 'T', 'u', 'n', '', '', '', '', '', '', '', '', JSON.stringify(whole)])).toEqual({ record: whole, partial: false, error: null });
  });

  it('a CloudTrail event column that is not JSON is an error naming the column', () => {
    expect(csvRowToRecord(['Event ID', 'CloudTrail event'], ['E1', '{"eventID": '])).toEqual({ record: null, partial: false, error: 'column "CloudTrail event" is not valid JSON' });
  });

  it('a CloudTrail event column holding JSON that is not an object falls back to the other columns', () => {
    expect(csvRowToRecord(['Event ID', 'CloudTrail event'], ['E1', '[1,2]'])).toEqual({ record: { eventID: 'E1' }, partial: true, error: null });
  });

  it('a row with no event ID, name or time is an error', () => {
    expect(csvRowToRecord(CONSOLE, ['', '', 'alice'])).toEqual({ record: null, partial: true, error: 'row has no event ID, name or time' });
  });
});

describe('parseLooseObject', () => {
  it('reads JSON objects', () => {
    expect(parseLooseObject(' {"a": 1, "b": [true]} ')).toEqual({ a: 1, b: [true] });
  });

  it('reads Python-repr dicts', () => {
    expect(parseLooseObject("{'type': 'AWSAccount', 'principalId': '', 'flag': True, 'off': False, 'x': None, 'n': 3}")).toEqual({ type: 'AWSAccount', principalId: '', flag: true, off: false, x: null, n: 3 });
    expect(parseLooseObject(String.raw`{'q': 'it\'s "quoted"', 'nested': {'Trueish': 'None of it'}}`)).toEqual({ q: `it's "quoted"`, nested: { Trueish: 'None of it' } });
  });

  it('null for what is not an object', () => {
    for (const t of ['[1, 2]', '"s"', 'True', '', '{broken', "{'a': }"]) expect(parseLooseObject(t), t).toBeNull();
  });
});
