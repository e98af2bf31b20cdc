// Time parsing and formatting shared by every command: ISO 8601 (strict and aws-cli's lenient forms such as the
// one-digit day in `2025-02-1T00:00:00Z`), plain dates, epoch seconds/milliseconds, and relative times (`36h`, `7d`).
// Pure (imports only the error classes). All results are milliseconds since the epoch, UTC.

import { TimeFormatError } from './errors.js';

/** The formats parseTime accepts, as listed in error messages and in docs/search.md. */
const ACCEPTED_TIME_FORMATS: readonly string[] = [
  '2025-02-01T00:00:00Z (ISO 8601, UTC)',
  '2025-02-01T09:00:00+09:00 (ISO 8601 with an offset; fractions of a second allowed)',
  '2025-02-1T0:00:00Z (one-digit month, day or hour, as aws-cli accepts)',
  '2025-02-01 00:00:00 or 2025-02-01T00:00 (no zone: UTC, or the zone given with --tz)',
  '2025-02-01 (a date: its start; as an end time, the end of that day in search)',
  '1738368000 (epoch seconds) or 1738368000000 (epoch milliseconds)',
  '36h, 7d, 30m, 90s, 2w (that long before now), now',
];

export interface ParseTimeOptions {
  /** "Now", for relative times (ms since epoch). */
  now?: number;
  /** A bare date as an end time means the end of that day (23:59:59.999) instead of its start. */
  dateIsEndOfDay?: boolean;
  /** Zone for inputs without one: 'UTC' (default), 'local', an IANA name, or ±HH:MM. */
  tz?: string;
  /** The command-line option the value came from (`--start-time`): error messages start with it. */
  option?: string;
}

const ISO_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
const REL_RE = /^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)(?:\s+ago)?$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parse one time value; throws TimeFormatError listing the accepted formats. */
export function parseTime(input: string, options: ParseTimeOptions = {}): number {
  const text = input.trim();
  const now = options.now ?? Date.now();
  const fail = (why: string): never => {
    throw new TimeFormatError(`${options.option ? `${options.option}: ` : ''}cannot read time "${input}": ${why}. Accepted formats: ${ACCEPTED_TIME_FORMATS.join('; ')}`);
  };
  if (text === '') fail('it is empty');
  if (/^now$/i.test(text)) return now;

  const rel = REL_RE.exec(text);
  if (rel) {
    const unit = rel[2].toLowerCase();
    const key = unit.startsWith('mi') || unit === 'm' ? 'm' : unit[0];
    const ms = Math.round(now - Number(rel[1]) * UNIT_MS[key]);
    if (!isTimeMs(ms)) fail('it reaches beyond the dates a computer clock can hold (±275,760 years)');
    return ms;
  }

  if (/^\d{9,10}(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (/^\d{12,13}$/.test(text)) return Number(text);

  const m = ISO_RE.exec(text);
  if (!m) return fail('not a recognised format');
  const [, y, mo, d, hh, mi, ss, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = hh === undefined ? 0 : Number(hh);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = ss === undefined ? 0 : Number(ss);
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  if (month < 1 || month > 12) fail(`month ${month} is out of range`);
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > dim) fail(`day ${day} is out of range for ${year}-${String(month).padStart(2, '0')}`);
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || ms > 0))) fail(`hour ${hour} is out of range`);
  if (minute > 59) fail(`minute ${minute} is out of range`);
  if (second > 60) fail(`second ${second} is out of range`);

  const dateOnly = hh === undefined;
  let wall = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  if (dateOnly && options.dateIsEndOfDay) wall += 86_400_000 - 1;

  if (zone !== undefined) {
    if (/^(z|utc|gmt)$/i.test(zone)) return wall;
    const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const off = (Number(zm[2]) * 60 + Number(zm[3] ?? 0)) * 60_000 * (zm[1] === '-' ? -1 : 1);
    return wall - off;
  }
  return wall - zoneOffsetAt(options.tz ?? 'UTC', wall);
}

/** Offset in ms (local minus UTC) of a zone at a wall-clock time given as if it were UTC. */
export function zoneOffsetAt(tz: string, wallMs: number): number {
  const fixed = parseFixedOffset(tz);
  if (fixed !== null) return fixed;
  // Two passes converge on the offset in force at that wall time (DST edges resolve to the later offset).
  let off = utcOffsetOf(tz, wallMs);
  off = utcOffsetOf(tz, wallMs - off);
  return off;
}

/** Check a --tz value; returns an error text or null. */
export function checkTimeZone(tz: string): string | null {
  if (parseFixedOffset(tz) !== null) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz === 'local' ? undefined : tz });
    return null;
  } catch {
    return `unknown time zone "${tz}"; use UTC, local, an IANA name such as Asia/Seoul, or an offset such as +09:00`;
  }
}

function parseFixedOffset(tz: string): number | null {
  if (/^(utc|z|gmt)$/i.test(tz)) return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(tz);
  if (!m) return null;
  return (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000 * (m[1] === '-' ? -1 : 1);
}

/** Offset (ms) of a named zone (or 'local') at an instant. */
/** One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting with it (reports format thousands of times). */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(tz: string): Intl.DateTimeFormat {
  let fmt = zoneFormats.get(tz);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (zoneFormats.size >= 64) zoneFormats.clear();
    zoneFormats.set(tz, fmt);
  }
  return fmt;
}

function utcOffsetOf(tz: string, instantMs: number): number {
  if (tz === 'local') return -new Date(instantMs).getTimezoneOffset() * 60_000;
  const fmt = zoneFormat(tz);
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(instantMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

// Formatting is total: a case made by an older trailhound (or a hostile record) may hold any time value, and a
// formatter must never throw. A value that is not a time JavaScript can represent (non-finite, not a number, or
// beyond ±8.64e15 ms, the Date range) is shown as `invalid-time(<raw value>)` (docs/output-formats.md).

/** The largest |ms| a Date can hold (±100,000,000 days around 1970). */
const MAX_TIME_MS = 8.64e15;

/** The visible stand-in for a time value that cannot be formatted: `invalid-time(8640000000000001)`. */
export function invalidTime(value: unknown): string {
  return `invalid-time(${String(value)})`;
}

function isTimeMs(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS;
}

/**
 * ISO 8601 UTC: `2024-02-17T10:00:00Z`, with milliseconds only when non-zero (years beyond 9999 as `+275760-…`).
 * null/undefined give null; any other value that is not a representable time gives `invalid-time(<value>)`.
 */
export function isoUtc(ms: number): string;
export function isoUtc(ms: number | null | undefined): string | null;
export function isoUtc(ms: number | null | undefined): string | null {
  if (ms == null) return null;
  if (!isTimeMs(ms)) return invalidTime(ms);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * ISO 8601 in a zone ('UTC' gives the same as isoUtc): `2024-02-17T19:00:00+09:00`. Never throws: an invalid time
 * gives `invalid-time(<value>)`, and a time whose wall clock in the zone is beyond the Date range (or a zone the
 * runtime cannot resolve) is shown in UTC.
 */
export function isoInZone(ms: number, tz: string): string;
export function isoInZone(ms: number | null | undefined, tz: string): string | null;
export function isoInZone(ms: number | null | undefined, tz: string): string | null {
  if (ms == null) return null;
  if (!isTimeMs(ms)) return invalidTime(ms);
  let off: number;
  try {
    off = parseFixedOffset(tz) ?? utcOffsetOf(tz, ms);
  } catch {
    return isoUtc(ms);
  }
  if (off === 0 && /^(utc|z|gmt)$/i.test(tz)) return isoUtc(ms);
  if (!isTimeMs(ms + off)) return isoUtc(ms);
  const local = new Date(ms + off).toISOString().replace('.000Z', 'Z').slice(0, -1);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off) / 60_000;
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * A stored ISO 8601 time (a digest field, a time in a file name, a time saved in the case) as ms; NaN when it is
 * missing or not a time. Lenient, for machine-written text; what a user types goes through parseTime.
 */
export function msFromIso(s: string | null | undefined): number {
  if (!s) return NaN;
  return Date.parse(s);
}

/** isoUtc to the whole second (`2024-02-17T10:00:00Z`): run and report timestamps. */
export function isoUtcSeconds(ms: number): string {
  return isoUtc(Math.floor(ms / 1000) * 1000);
}
