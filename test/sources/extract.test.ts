// Record → columns: strict event times, Event history's user name, the category, and the columns themselves.
import { describe, expect, it } from 'vitest';
import { checkEventTime, eventCategory, eventHistoryUsername, extractColumns, parseEventTime, TIME_RANGE } from '../../src/sources/extract.js';

describe('checkEventTime / parseEventTime', () => {
  it('reads CloudTrail ISO times as UTC milliseconds', () => {
    expect(checkEventTime('2024-02-17T10:00:00Z')).toEqual({ ms: Date.UTC(2024, 1, 17, 10), problem: null });
    expect(parseEventTime('2024-02-17T12:30:00+02:30')).toBe(Date.UTC(2024, 1, 17, 10));
    expect(parseEventTime('2024-02-17T05:00:00-0500')).toBe(Date.UTC(2024, 1, 17, 10));
    expect(parseEventTime('2024-02-17T10:00:00.123456Z')).toBe(Date.UTC(2024, 1, 17, 10, 0, 0, 123));
    expect(parseEventTime('2024-02-17 10:00:00')).toBe(Date.UTC(2024, 1, 17, 10));
    expect(parseEventTime('2024-02-17T10:00')).toBe(Date.UTC(2024, 1, 17, 10));
    expect(parseEventTime('2024-02-17')).toBe(Date.UTC(2024, 1, 17));
    expect(parseEventTime('  2024-02-17T10:00:00z  ')).toBe(Date.UTC(2024, 1, 17, 10));
    expect(parseEventTime('2016-12-31T23:59:60Z')).toBe(Date.UTC(2017, 0, 1));
  });

  it('accepts 1970 through 9999', () => {
    expect(checkEventTime('1970-01-01T00:00:00Z')).toEqual({ ms: 0, problem: null });
    expect(checkEventTime('9999-12-31T23:59:59.999Z')).toEqual({ ms: TIME_RANGE.max, problem: null });
    expect(TIME_RANGE).toEqual({ min: 0, max: Date.UTC(10000, 0, 1) - 1 });
  });

  it('rejects times before 1970 and after 9999 with a reason', () => {
    expect(checkEventTime('1969-12-31T23:59:59Z')).toEqual({ ms: null, problem: 'time "1969-12-31T23:59:59Z" is outside 1970–9999' });
    expect(checkEventTime('1970-01-01T00:30:00+01:00')).toEqual({ ms: null, problem: 'time "1970-01-01T00:30:00+01:00" is outside 1970–9999' });
    expect(checkEventTime('0099-06-01T00:00:00Z')).toEqual({ ms: null, problem: 'time "0099-06-01T00:00:00Z" is outside 1970–9999' });
    expect(checkEventTime('+010000-01-01T00:00:00Z')).toEqual({ ms: null, problem: 'time "+010000-01-01T00:00:00Z" is outside 1970–9999' });
    // A five-digit year without the ISO '+' sign is not a time at all.
    expect(checkEventTime('10000-01-01T00:00:00Z')).toEqual({ ms: null, problem: 'unreadable time "10000-01-01T00:00:00Z"' });
  });

  it('impossible calendar dates and times are problems, never rolled over', () => {
    expect(checkEventTime('2025-02-30T00:00:00Z')).toEqual({ ms: null, problem: 'impossible date or time "2025-02-30T00:00:00Z"' });
    expect(checkEventTime('2100-02-29')).toEqual({ ms: null, problem: 'impossible date or time "2100-02-29"' });
    expect(parseEventTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseEventTime('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    for (const t of ['2024-13-01', '2024-00-10', '2024-04-31', '2024-01-01T24:00:00Z', '2024-01-01T10:60:00Z', '2024-01-01T10:00:61Z']) {
      expect(checkEventTime(t).problem, t).toBe(`impossible date or time ${JSON.stringify(t)}`);
    }
  });

  it('other text is read when Date.parse can, unreadable otherwise', () => {
    expect(parseEventTime('Sat, 17 Feb 2024 10:00:00 +0000')).toBe(Date.UTC(2024, 1, 17, 10));
    expect(parseEventTime('Sat, 17 Feb 2024 10:00:00 GMT')).toBe(Date.UTC(2024, 1, 17, 10));
    expect(parseEventTime('Sat, 17 Feb 2024 05:00:00 EST')).toBe(Date.UTC(2024, 1, 17, 10));
    // No zone: read as UTC, not as the machine's local time.
    expect(parseEventTime('2024/02/17 10:00:00')).toBe(Date.UTC(2024, 1, 17, 10));
    expect(checkEventTime('yesterday at noon')).toEqual({ ms: null, problem: 'unreadable time "yesterday at noon"' });
    expect(checkEventTime('2024')).toEqual({ ms: null, problem: 'unreadable time "2024"' });
    expect(checkEventTime(`x${'y'.repeat(60)}`).problem).toBe(`unreadable time ${JSON.stringify(`x${'y'.repeat(39)}`)}`);
  });

  it('numbers and other non-text values are not times; absent values are "missing"', () => {
    expect(checkEventTime(1708164000000)).toEqual({ ms: null, problem: 'not a text time (number)' });
    expect(checkEventTime(true)).toEqual({ ms: null, problem: 'not a text time (boolean)' });
    expect(checkEventTime({})).toEqual({ ms: null, problem: 'not a text time (object)' });
    for (const v of [undefined, null, '']) expect(checkEventTime(v)).toEqual({ ms: null, problem: 'missing' });
    expect(parseEventTime(1708164000000)).toBeNull();
  });
});

describe('eventHistoryUsername', () => {
  it('userName first', () => {
    expect(eventHistoryUsername({ userIdentity: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::123456789012:user/other' } })).toBe('alice');
  });

  it('the session name (last ARN segment) for assumed roles and federated identities', () => {
    expect(eventHistoryUsername({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com', principalId: 'AROA:other' } })).toBe('alice@example.com');
    expect(eventHistoryUsername({ userIdentity: { type: 'FederatedUser', arn: 'arn:aws:sts::123456789012:federated-user/bob' } })).toBe('bob');
    // An ARN ending in '/' has no session name: the issuer's name is used.
    expect(eventHistoryUsername({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/Admin/', sessionContext: { sessionIssuer: { userName: 'Admin' } } } })).toBe('Admin');
  });

  it('"root" for the root user', () => {
    expect(eventHistoryUsername({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', principalId: '123456789012' } })).toBe('root');
  });

  it('then the session issuer, the principal after ":", the invoking service or account', () => {
    expect(eventHistoryUsername({ userIdentity: { type: 'IAMUser', sessionContext: { sessionIssuer: { userName: 'issuer' } }, principalId: 'AIDA:p' } })).toBe('issuer');
    expect(eventHistoryUsername({ userIdentity: { type: 'Unknown', principalId: 'AIDAX:session-1' } })).toBe('session-1');
    expect(eventHistoryUsername({ userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' } })).toBe('lambda.amazonaws.com');
    expect(eventHistoryUsername({ userIdentity: { type: 'AWSAccount', accountId: '111122223333' } })).toBe('111122223333');
  });

  it('null when nothing names the user', () => {
    expect(eventHistoryUsername({})).toBeNull();
    expect(eventHistoryUsername({ userIdentity: 'alice' })).toBeNull();
    expect(eventHistoryUsername({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', principalId: 'AIDAX' } })).toBeNull();
    expect(eventHistoryUsername({ userIdentity: { type: 'IAMUser', userName: '' } })).toBeNull();
  });
});

describe('eventCategory', () => {
  it('the record\'s own category when present', () => {
    expect(eventCategory({ eventCategory: 'NetworkActivity', managementEvent: false })).toBe('NetworkActivity');
  });

  it('Insight for insight events', () => {
    expect(eventCategory({ eventType: 'AwsCloudTrailInsight' })).toBe('Insight');
    expect(eventCategory({ insightDetails: { state: 'Start' } })).toBe('Insight');
  });

  it('Data when managementEvent is false (boolean or text), Management otherwise', () => {
    expect(eventCategory({ managementEvent: false })).toBe('Data');
    expect(eventCategory({ managementEvent: 'FALSE' })).toBe('Data');
    expect(eventCategory({ managementEvent: true })).toBe('Management');
    expect(eventCategory({ managementEvent: 'no' })).toBe('Management');
    expect(eventCategory({ eventCategory: '' })).toBe('Management');
    expect(eventCategory({})).toBe('Management');
  });
});

describe('extractColumns', () => {
  const rec = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:alice',
      arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice',
      accountId: '123456789012',
      accessKeyId: 'ASIAEXAMPLE',
      invokedBy: 'cloudformation.amazonaws.com',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::123456789012:role/Admin', accountId: '123456789012', userName: 'Admin' },
        sourceIdentity: 'alice-src',
      },
    },
    eventTime: '2024-02-17T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15',
    errorCode: 'AccessDenied',
    errorMessage: 'Access Denied',
    requestID: 'REQ1',
    eventID: 'EV1',
    readOnly: 'true',
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: 123456789012,
    sharedEventID: 'SH1',
    vpcEndpointId: 'vpce-1',
  };

  it('every column, from nested userIdentity and sessionIssuer fields', () => {
    expect(extractColumns(rec, 'id-1', 1708164000000)).toEqual({
      eventId: 'id-1',
      eventTime: 1708164000000,
      eventName: 'GetObject',
      eventSource: 's3.amazonaws.com',
      awsRegion: 'eu-west-1',
      recipientAccountId: '123456789012',
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15',
      identityType: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice',
      principalId: 'AROAEXAMPLE:alice',
      accountId: '123456789012',
      accessKeyId: 'ASIAEXAMPLE',
      userName: null,
      username: 'alice',
      sessionIssuerArn: 'arn:aws:iam::123456789012:role/Admin',
      sessionIssuerUserName: 'Admin',
      sessionIssuerType: 'Role',
      invokedBy: 'cloudformation.amazonaws.com',
      sourceIdentity: 'alice-src',
      errorCode: 'AccessDenied',
      errorMessage: 'Access Denied',
      readOnly: true,
      eventType: 'AwsApiCall',
      eventCategory: 'Data',
      managementEvent: false,
      sharedEventId: 'SH1',
      requestId: 'REQ1',
      vpcEndpointId: 'vpce-1',
    });
  });

  it('sourceIdentity falls back to userIdentity.sourceIdentity', () => {
    expect(extractColumns({ userIdentity: { type: 'WebIdentityUser', sourceIdentity: 'ui-src' } }, 'x', null).sourceIdentity).toBe('ui-src');
    expect(extractColumns({ userIdentity: { sourceIdentity: 'ui-src', sessionContext: { sourceIdentity: 'sc-src' } } }, 'x', null).sourceIdentity).toBe('sc-src');
  });

  it('readOnly and managementEvent as text, in any case; anything else is null', () => {
    expect(extractColumns({ readOnly: 'TRUE', managementEvent: 'True' }, 'x', null)).toMatchObject({ readOnly: true, managementEvent: true });
    expect(extractColumns({ readOnly: 'false' }, 'x', null).readOnly).toBe(false);
    expect(extractColumns({ readOnly: 'yes', managementEvent: 1 }, 'x', null)).toMatchObject({ readOnly: null, managementEvent: null });
  });

  it('a record without userIdentity, with odd types, gives nulls rather than failing', () => {
    const c = extractColumns({ eventName: '', eventSource: ['s3'], awsRegion: { r: 1 }, errorCode: 403 }, 'x', null);
    expect(c).toMatchObject({ eventTime: null, eventName: null, eventSource: null, awsRegion: null, errorCode: '403', identityType: null, arn: null, username: null, sessionIssuerArn: null, sourceIdentity: null, readOnly: null, eventCategory: 'Management' });
  });
});

describe('checkEventTime: the canonical form read quickly', () => {
  it('reads YYYY-MM-DDTHH:MM:SSZ exactly as the general reader does, valid or not', () => {
    // A trailing space sends the same text through the general reader (it trims), so the two can be compared.
    const texts: string[] = ['2024-02-17T10:00:00Z', '2024-02-29T23:59:59Z', '2023-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2000-02-29T00:00:00Z',
      '1970-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '9999-12-31T23:59:59Z', '2024-13-01T00:00:00Z', '2024-00-10T00:00:00Z', '2024-04-31T00:00:00Z',
      '2024-01-01T24:00:00Z', '2024-01-01T23:60:00Z', '2024-01-01T23:59:60Z', '2024-01-01t10:00:00z', '2024-01-01 10:00:00Z', '0099-01-01T00:00:00Z',
      '1899-06-01T00:00:00Z', '２０２４-01-01T00:00:00Z', '2024-01-01T10:00:0xZ'];
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let i = 0; i < 3000; i++) {
      const p = (n: number, w: number): string => String(n).padStart(w, '0');
      texts.push(`${p(1960 + rnd(100), 4)}-${p(rnd(14), 2)}-${p(rnd(33), 2)}T${p(rnd(25), 2)}:${p(rnd(61), 2)}:${p(rnd(62), 2)}Z`);
    }
    let read = 0;
    for (const t of texts) {
      const fast = checkEventTime(t);
      expect(fast.ms, t).toBe(checkEventTime(`${t} `).ms);
      if (fast.ms !== null) read++;
      else expect(fast.problem, t).not.toBeNull();
    }
    expect(read).toBeGreaterThan(1000);
  });
});
