import { describe, expect, it } from 'vitest';
import { invalidTime, isoInZone, isoUtc, isoUtcSeconds, msFromIso, parseTime } from '../../src/model/time.js';
import { TimeFormatError } from '../../src/model/errors.js';

const NOW = Date.UTC(2025, 1, 18, 12, 0, 0);
const iso = (s: string, o = {}): string | null => isoUtc(parseTime(s, { now: NOW, ...o }));

describe('parseTime', () => {
  it('reads ISO 8601 in UTC and with offsets', () => {
    expect(iso('2025-02-01T00:00:00Z')).toBe('2025-02-01T00:00:00Z');
    expect(iso('2025-02-01T09:00:00+09:00')).toBe('2025-02-01T00:00:00Z');
    expect(iso('2025-02-01T09:00:00+0900')).toBe('2025-02-01T00:00:00Z');
    expect(iso('2025-01-31T16:00:00-08:00')).toBe('2025-02-01T00:00:00Z');
    expect(iso('2025-02-01T00:00:00.250Z')).toBe('2025-02-01T00:00:00.250Z');
  });
  it("accepts aws-cli's lenient forms (the seed's one-digit day)", () => {
    expect(iso('2025-02-1T00:00:00Z')).toBe('2025-02-01T00:00:00Z');
    expect(iso('2025-2-1T0:00:00Z')).toBe('2025-02-01T00:00:00Z');
    expect(iso('2025-02-18 23:59:59')).toBe('2025-02-18T23:59:59Z');
    expect(iso('2025-02-18T23:59')).toBe('2025-02-18T23:59:00Z');
  });
  it('reads dates, epoch values and relative times', () => {
    expect(iso('2024-02-17')).toBe('2024-02-17T00:00:00Z');
    expect(iso('2024-02-17', { dateIsEndOfDay: true })).toBe('2024-02-17T23:59:59.999Z');
    expect(iso('1738368000')).toBe('2025-02-01T00:00:00Z');
    expect(iso('1738368000000')).toBe('2025-02-01T00:00:00Z');
    expect(iso('36h')).toBe('2025-02-17T00:00:00Z');
    expect(iso('7d')).toBe('2025-02-11T12:00:00Z');
    expect(iso('30m')).toBe('2025-02-18T11:30:00Z');
    expect(iso('2w')).toBe('2025-02-04T12:00:00Z');
    expect(iso('now')).toBe('2025-02-18T12:00:00Z');
  });
  it('applies --tz to times without a zone only', () => {
    expect(iso('2025-02-01T09:00:00', { tz: 'Asia/Seoul' })).toBe('2025-02-01T00:00:00Z');
    expect(iso('2025-02-01T09:00:00', { tz: '+09:00' })).toBe('2025-02-01T00:00:00Z');
    expect(iso('2025-02-01T09:00:00Z', { tz: 'Asia/Seoul' })).toBe('2025-02-01T09:00:00Z');
    expect(iso('2024-07-01T12:00:00', { tz: 'America/New_York' })).toBe('2024-07-01T16:00:00Z');
  });
  it('rejects bad input and lists the accepted formats', () => {
    expect(() => parseTime('yesterday')).toThrow(TimeFormatError);
    expect(() => parseTime('yesterday')).toThrow(/Accepted formats: 2025-02-01T00:00:00Z/);
    expect(() => parseTime('2025-02-30T00:00:00Z')).toThrow(/day 30 is out of range for 2025-02/);
    expect(() => parseTime('2025-13-01')).toThrow(/month 13/);
    expect(() => parseTime('')).toThrow(/empty/);
  });
});

describe('formatting', () => {
  it('isoUtc drops zero milliseconds', () => {
    expect(isoUtc(Date.UTC(2024, 1, 17, 10))).toBe('2024-02-17T10:00:00Z');
    expect(isoUtc(null)).toBeNull();
  });
  it('isoInZone shows the offset', () => {
    const t = Date.UTC(2024, 1, 17, 10);
    expect(isoInZone(t, 'UTC')).toBe('2024-02-17T10:00:00Z');
    expect(isoInZone(t, 'Asia/Seoul')).toBe('2024-02-17T19:00:00+09:00');
    expect(isoInZone(t, '-08:00')).toBe('2024-02-17T02:00:00-08:00');
  });
  it('isoInZone follows daylight-saving changes with the zone formatter reused', () => {
    // New York springs forward at 2025-03-09T07:00:00Z; Lord Howe Island shifts by 30 minutes.
    expect(isoInZone(Date.UTC(2025, 2, 9, 6, 59), 'America/New_York')).toBe('2025-03-09T01:59:00-05:00');
    expect(isoInZone(Date.UTC(2025, 2, 9, 7, 0), 'America/New_York')).toBe('2025-03-09T03:00:00-04:00');
    expect(isoInZone(Date.UTC(2025, 3, 6, 15, 29), 'Australia/Lord_Howe')).toBe('2025-04-07T01:59:00+10:30');
    expect(isoInZone(Date.UTC(2024, 1, 17, 10), 'Not/AZone')).toBe('2024-02-17T10:00:00Z');
  });
});

describe('formatting never throws on what a case may hold', () => {
  const MAX = 8.64e15; // the last instant a Date can hold: +275760-09-13T00:00:00Z
  const odd: unknown[] = [MAX + 1, -MAX - 1, 1e20, -1e300, Infinity, -Infinity, NaN, Number.MAX_VALUE, '1700000000000', 'garbage', true, {}];

  it('isoUtc: the Date range edges format; beyond them, invalid-time(<raw>)', () => {
    expect(isoUtc(MAX)).toBe('+275760-09-13T00:00:00Z');
    expect(isoUtc(-MAX)).toBe('-271821-04-20T00:00:00Z');
    expect(isoUtc(MAX + 1)).toBe('invalid-time(8640000000000001)');
    expect(isoUtc(Infinity)).toBe('invalid-time(Infinity)');
    expect(isoUtc(NaN)).toBe('invalid-time(NaN)');
    expect(isoUtc(1e20)).toBe('invalid-time(100000000000000000000)');
    expect(isoUtc(undefined)).toBeNull();
    expect(invalidTime(42)).toBe('invalid-time(42)');
    // a value of the wrong type (a TEXT event_time in an old case)
    expect(isoUtc('garbage' as unknown as number)).toBe('invalid-time(garbage)');
  });

  it('isoInZone: an instant whose wall clock in the zone is beyond the Date range is shown in UTC', () => {
    // the probe: search --tz Asia/Seoul and investigate --tz +14:00 died with "Invalid time value" here
    expect(isoInZone(MAX, 'Asia/Seoul')).toBe('+275760-09-13T00:00:00Z');
    expect(isoInZone(MAX, '+14:00')).toBe('+275760-09-13T00:00:00Z');
    expect(isoInZone(MAX, '-08:00')).toBe('+275760-09-12T16:00:00-08:00');
    expect(isoInZone(-MAX, '-12:00')).toBe('-271821-04-20T00:00:00Z');
    expect(isoInZone(MAX, 'local')).toMatch(/^\+275760-09-1[23]T/);
    expect(isoInZone(MAX + 1, 'Asia/Seoul')).toBe('invalid-time(8640000000000001)');
    expect(isoInZone(null, 'Asia/Seoul')).toBeNull();
  });

  it.each(['UTC', 'Asia/Seoul', '+14:00', '-12:00', 'local', 'America/New_York', 'No/Such_Zone'])('no value throws in %s', (tz) => {
    for (const v of odd) {
      const out = isoInZone(v as number, tz);
      expect(out).toBe(invalidTime(v));
    }
    for (const v of odd) expect(isoUtc(v as number)).toBe(invalidTime(v));
    // and an ordinary time in a zone the runtime cannot resolve falls back to UTC instead of throwing
    expect(isoInZone(Date.UTC(2024, 1, 17, 10), tz)).toMatch(/^2024-02-1[678]T/);
  });
});

describe('parsing stays inside the Date range', () => {
  it('a relative time reaching beyond ±8.64e15 ms is refused, not returned (it made --end-time "fatal: Invalid time value")', () => {
    expect(() => parseTime('1000000000w', { now: NOW })).toThrow(TimeFormatError);
    expect(() => parseTime('1000000000w', { now: NOW })).toThrow(/reaches beyond the dates a computer clock can hold/);
    expect(() => parseTime(`${'9'.repeat(400)}d`, { now: NOW })).toThrow(TimeFormatError);
    expect(isoUtc(parseTime('10000w', { now: NOW }))).toMatch(/^18/);
  });
});

describe('parseTime errors name the option they came from', () => {
  it('starts the message with the option when given, and is a usage error (exit 2)', () => {
    expect(() => parseTime('soon', { option: '--end-time' })).toThrow(/^--end-time: cannot read time "soon": not a recognised format\. Accepted formats: /);
    expect(() => parseTime('soon')).toThrow(/^cannot read time "soon"/);
    try {
      parseTime('soon');
      expect.unreachable();
    } catch (err) {
      expect((err as TimeFormatError).exitCode).toBe(2);
    }
  });
});

describe('msFromIso and isoUtcSeconds (stored times)', () => {
  it('reads stored ISO text leniently; NaN for missing or not a time', () => {
    expect(msFromIso('2024-02-17T10:00:00Z')).toBe(Date.UTC(2024, 1, 17, 10));
    expect(msFromIso('2024-02-17T10:00:00.250Z')).toBe(Date.UTC(2024, 1, 17, 10, 0, 0, 250));
    expect(msFromIso(null)).toBeNaN();
    expect(msFromIso('')).toBeNaN();
    expect(msFromIso('invalid-time(1e99)')).toBeNaN();
  });

  it('formats to the whole second', () => {
    expect(isoUtcSeconds(Date.UTC(2024, 1, 17, 10, 0, 5, 999))).toBe('2024-02-17T10:00:05Z');
    expect(isoUtcSeconds(Date.UTC(2024, 1, 17, 10))).toBe('2024-02-17T10:00:00Z');
  });
});
