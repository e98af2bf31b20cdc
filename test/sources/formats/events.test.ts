// The generic event shapes and the Records envelope: what counts as an event, and which kind a file gets.
import { describe, expect, it } from 'vitest';
import { events } from '../../../src/sources/formats/events.js';
import { cloudTrailRecords } from '../../../src/sources/formats/cloudtrail-records.js';
import { consoleCsv } from '../../../src/sources/formats/console-csv.js';
import { cloudTrailDigest } from '../../../src/sources/formats/cloudtrail-digest.js';
import { publicKeys } from '../../../src/sources/formats/public-keys.js';

const at = { offset: 10, length: 5, text: '{...}' };

describe('events format', () => {
  it('a first top-level value needs two core fields; once the file reads as events, one will do', () => {
    expect(events.topValue!({ eventName: 'A' }, at, false)).toBeNull();
    expect(events.topValue!({ eventName: 'A', eventTime: 'T' }, at, false)).toMatchObject({ offset: 10, length: 5, text: '{...}', error: null });
    expect(events.topValue!({ eventName: 'A' }, at, true)).toMatchObject({ record: { eventName: 'A' } });
  });

  it('one document is event-json, several are ndjson', () => {
    expect(events.kind({ hint: null, topValues: 1 })).toBe('event-json');
    expect(events.kind({ hint: null, topValues: 2 })).toBe('ndjson');
  });
});

describe('cloudtrail-records format', () => {
  it('kind follows the key path folder', () => {
    expect(cloudTrailRecords.kind({ hint: 'CloudTrail', topValues: 1 })).toBe('cloudtrail-log');
    expect(cloudTrailRecords.kind({ hint: 'CloudTrail-Insight', topValues: 1 })).toBe('cloudtrail-insight');
    expect(cloudTrailRecords.kind({ hint: null, topValues: 1 })).toBe('records-json');
  });

  it('restores lower-cased keys and names elements that are not events', () => {
    expect(cloudTrailRecords.container!('records', [])).toBe(true);
    expect(cloudTrailRecords.containerEntry!({ eventname: 'A', awsregion: 'r' }, at)).toMatchObject({ record: { eventName: 'A', awsRegion: 'r' } });
    expect(cloudTrailRecords.containerEntry!(42, at)).toMatchObject({ code: 'not_an_event', error: expect.stringMatching(/^element is a number: not a CloudTrail event/) });
  });
});

describe('console-csv format', () => {
  it('reads rows as partial events after a CloudTrail header', () => {
    const got = consoleCsv.read(Buffer.from('Event name,Event time,Event ID\nConsoleLogin,2024-02-17T10:00:00Z,e-1\n'));
    expect('records' in got && [...got.records].map((r) => [r.record?.eventName, r.partial])).toEqual([['ConsoleLogin', true]]);
  });

  it('says why a file is not a CloudTrail CSV', () => {
    expect(consoleCsv.read(Buffer.from('a,b\n1,2\n'))).toEqual({ reason: 'not JSON, and not a CSV with CloudTrail columns (need at least event name/time/ID columns)' });
  });
});

describe('integrity inputs', () => {
  it('recognise digests and public keys by their keys', () => {
    expect(cloudTrailDigest.skipFile!({ parsed: {}, keys: ['digestS3Object', 'logFiles'], text: '' })).toMatch(/^CloudTrail digest file/);
    expect(cloudTrailDigest.skipFile!({ parsed: {}, keys: ['digestS3Object'], text: '' })).toBeNull();
    expect(publicKeys.skipFile!({ parsed: {}, keys: ['PublicKeyList'], text: '' })).toMatch(/list-public-keys/);
  });
});
