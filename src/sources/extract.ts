// Record → the columns investigations query. Tolerant of every shape seen in real data: missing
// userIdentity, booleans written as strings, numbers where strings are expected, odd account ids.

import type { CloudTrailRecord, EventColumns } from '../model/types.js';
import { PATH_COLUMNS } from '../model/event-columns.js';

function str(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return null;
}

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
/** Event times outside this range are problems at ingest (documented in docs/ingest.md#limits). */
export const TIME_RANGE = { min: Date.UTC(1970, 0, 1), max: Date.UTC(10000, 0, 1) - 1 };

/** A record's time as read: milliseconds, or why it cannot be used. */
export interface TimeCheck {
  ms: number | null;
  problem: string | null;
}

/**
 * Read a CloudTrail time strictly: ISO 8601 (CloudTrail writes 2024-02-17T10:00:00Z; offsets, fractions and a bare
 * date are tolerated; no zone means UTC). Impossible calendar dates (2025-02-30) and times outside 1970–9999 are
 * problems, never rolled over. Other text that Date.parse reads (console exports) is accepted when in range.
 */
export function checkEventTime(v: unknown): TimeCheck {
  if (v === undefined || v === null || v === '') return { ms: null, problem: 'missing' };
  if (typeof v !== 'string') return { ms: null, problem: `not a text time (${typeof v})` };
  const fast = canonicalTime(v);
  if (fast !== null) return { ms: fast, problem: null };
  const m = ISO_TIME.exec(v.trim());
  let ms: number;
  if (m) {
    const [, y, mo, d, hh = '0', mi = '0', ss = '0'] = m;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const dim = month >= 1 && month <= 12 ? new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate() : 0;
    if (month < 1 || month > 12 || day < 1 || day > dim || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 60) {
      return { ms: null, problem: `impossible date or time ${JSON.stringify(v)}` };
    }
    const frac = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
    ms = Date.UTC(year, month - 1, day, Number(hh), Number(mi), Math.min(Number(ss), 59), frac) + (Number(ss) === 60 ? 1000 : 0);
    if (year < 100) ms = new Date(ms).setUTCFullYear(year);
    const zone = m[8];
    if (zone && !/^z$/i.test(zone)) {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
      ms -= (Number(z[2]) * 60 + Number(z[3])) * 60_000 * (z[1] === '-' ? -1 : 1);
    }
  } else {
    // No zone means UTC; a named zone (GMT, UTC, EST…) is Date.parse's to read.
    const hasZone = /(Z|[+-]\d{2}:?\d{2}|\b(GMT|UTC|UT|[ECMP][SD]T))$/i.test(v.trim());
    ms = v.length < 10 ? NaN : Date.parse(hasZone ? v : `${v}Z`);
  }
  if (!Number.isFinite(ms)) return { ms: null, problem: `unreadable time ${JSON.stringify(v.slice(0, 40))}` };
  if (ms < TIME_RANGE.min || ms > TIME_RANGE.max) return { ms: null, problem: `time ${JSON.stringify(v.slice(0, 40))} is outside 1970–9999` };
  return { ms, problem: null };
}

/** Two ASCII digits at `at` as a number, or -1. */
function digits2(v: string, at: number): number {
  const a = v.charCodeAt(at) - 48;
  const b = v.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The time CloudTrail writes, `2024-02-17T10:00:00Z` exactly, read without a regular expression (every event has
 * one); null for anything else, which checkEventTime reads the general way. Same result as the general way.
 */
function canonicalTime(v: string): number | null {
  if (v.length !== 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58 || v.charCodeAt(19) !== 90) return null;
  const c = digits2(v, 0);
  const y = digits2(v, 2);
  const mo = digits2(v, 5);
  const d = digits2(v, 8);
  const hh = digits2(v, 11);
  const mi = digits2(v, 14);
  const ss = digits2(v, 17);
  if (c < 19 || y < 0 || mo < 1 || mo > 12 || d < 1 || hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) return null;
  const year = c * 100 + y;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1])) return null;
  const ms = Date.UTC(year, mo - 1, d, hh, mi, ss);
  return ms >= TIME_RANGE.min && ms <= TIME_RANGE.max ? ms : null;
}

/** Parse a CloudTrail time to ms since the epoch (UTC); null when absent, impossible or out of range. */
export function parseEventTime(v: unknown): number | null {
  return checkEventTime(v).ms;
}

/** Event history's "User name" for a record. */
export function eventHistoryUsername(rec: CloudTrailRecord): string | null {
  const ui = obj(rec.userIdentity);
  if (!ui) return null;
  const type = str(ui.type);
  const userName = str(ui.userName);
  if (userName) return userName;
  const arn = str(ui.arn);
  if (type === 'Root') return 'root';
  if (arn && (type === 'AssumedRole' || type === 'FederatedUser' || type === 'IdentityCenterUser' || type === 'WebIdentityUser' || type === 'SAMLUser')) {
    const slash = arn.lastIndexOf('/');
    if (slash >= 0 && slash < arn.length - 1) return arn.slice(slash + 1);
  }
  const issuer = obj(obj(ui.sessionContext)?.sessionIssuer);
  const issuerName = str(issuer?.userName);
  if (issuerName) return issuerName;
  const principal = str(ui.principalId);
  if (principal && principal.includes(':')) return principal.slice(principal.indexOf(':') + 1);
  if (type === 'AWSService' || type === 'AWSAccount') return str(ui.invokedBy) ?? str(ui.accountId);
  return null;
}

/** Normalised category: the record's eventCategory when present, else derived (documented in docs/case-format.md). */
export function eventCategory(rec: CloudTrailRecord): string {
  const c = str(rec.eventCategory);
  if (c) return c;
  if (rec.eventType === 'AwsCloudTrailInsight' || rec.insightDetails) return 'Insight';
  if (bool(rec.managementEvent) === false) return 'Data';
  return 'Management';
}

const COLUMN_PATHS = [...PATH_COLUMNS.keys()].map((p) => p.split('.'));

/**
 * Does the record hold something other than a string (or null) at a path stored as a string column, or a
 * top-level key with a dot in it? Then its columns do not say what the record says (EVENT_FLAGS.oddFields).
 */
export function hasOddFields(rec: CloudTrailRecord): boolean {
  for (const path of COLUMN_PATHS) {
    let v: unknown = rec;
    for (const step of path) {
      v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[step] : undefined;
      if (v === undefined) break;
    }
    if (v !== undefined && v !== null && typeof v !== 'string') return true;
  }
  for (const k in rec) if (k.includes('.')) return true;
  return false;
}

export function extractColumns(rec: CloudTrailRecord, eventId: string, eventTime: number | null): EventColumns {
  const ui = obj(rec.userIdentity);
  const sc = obj(ui?.sessionContext);
  const issuer = obj(sc?.sessionIssuer);
  const ua = rec.userAgent;
  return {
    eventId,
    eventTime,
    eventName: str(rec.eventName),
    eventSource: str(rec.eventSource),
    awsRegion: str(rec.awsRegion),
    recipientAccountId: str(rec.recipientAccountId),
    sourceIPAddress: str(rec.sourceIPAddress),
    userAgent: typeof ua === 'string' ? ua : str(ua),
    identityType: str(ui?.type),
    arn: str(ui?.arn),
    principalId: str(ui?.principalId),
    accountId: str(ui?.accountId),
    accessKeyId: str(ui?.accessKeyId),
    userName: str(ui?.userName),
    username: eventHistoryUsername(rec),
    sessionIssuerArn: str(issuer?.arn),
    sessionIssuerUserName: str(issuer?.userName),
    sessionIssuerType: str(issuer?.type),
    invokedBy: str(ui?.invokedBy),
    sourceIdentity: str(sc?.sourceIdentity) ?? str(ui?.sourceIdentity),
    errorCode: str(rec.errorCode),
    errorMessage: str(rec.errorMessage),
    readOnly: bool(rec.readOnly),
    eventType: str(rec.eventType),
    eventCategory: eventCategory(rec),
    managementEvent: bool(rec.managementEvent),
    sharedEventId: str(rec.sharedEventID),
    requestId: str(rec.requestID),
    vpcEndpointId: str(rec.vpcEndpointId),
  };
}
