// What a CloudTrail event looks like, shared by every format: its core field names, the file-level and the
// record-level tests, the restoring of CloudTrail's key spelling when an export lower-cased it, and the
// RawRecords a format hands back (an event, or a value that is not one, with the reason).

import type { CloudTrailRecord } from '../../model/types.js';
import type { Located, RawRecord } from './format.js';

const EVENT_KEYS = ['eventVersion', 'eventTime', 'eventName', 'eventSource', 'eventID', 'userIdentity', 'awsRegion', 'eventType'];

/** CloudTrail's top-level field names, to restore them when an export lower-cased the keys. */
const CANONICAL = new Map(
  [
    ...EVENT_KEYS, 'sourceIPAddress', 'userAgent', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID',
    'readOnly', 'resources', 'recipientAccountId', 'serviceEventDetails', 'sharedEventID', 'vpcEndpointId', 'eventCategory',
    'managementEvent', 'errorCode', 'errorMessage', 'tlsDetails', 'sessionCredentialFromConsole', 'apiVersion', 'insightDetails',
  ].map((k) => [k.toLowerCase(), k]),
);
const EVENT_KEYS_LOWER = new Set(EVENT_KEYS.map((k) => k.toLowerCase()));

export const NOT_EVENT = 'not a CloudTrail event (no eventTime/eventName/eventSource/eventID/userIdentity fields)';

/** File-level test: do these keys look like a CloudTrail event (two or more of its core fields)? */
export function looksLikeEventKeys(keys: Iterable<string>): boolean {
  let n = 0;
  for (const k of keys) if (EVENT_KEYS_LOWER.has(k.toLowerCase())) n++;
  return n >= 2;
}

/**
 * Record-level test, inside a container already known to hold events: at least one core field.
 * Lower-cased exports (eventname, awsregion...) get CloudTrail's spelling back.
 */
export function asEvent(v: unknown): CloudTrailRecord | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const rec = v as CloudTrailRecord;
  let exact = 0;
  let folded = 0;
  for (const k of Object.keys(rec)) {
    if (EVENT_KEYS.includes(k)) exact++;
    else if (EVENT_KEYS_LOWER.has(k.toLowerCase())) folded++;
  }
  if (exact === 0 && folded === 0) return null;
  if (folded > 0) {
    const out: CloudTrailRecord = {};
    for (const [k, val] of Object.entries(rec)) {
      const canon = CANONICAL.get(k.toLowerCase());
      out[canon && !(canon in rec) ? canon : k] = val;
    }
    return out;
  }
  return rec;
}

/** A value in a few words, for messages: "an object (keys: a, b)", "an array", "a number". */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') {
    const keys = Object.keys(v as object)
      .slice(0, 8)
      .map((k) => (k.length > 40 ? `${k.slice(0, 40)}…` : k));
    return `an object (keys: ${keys.join(', ') || 'none'})`;
  }
  return `a ${typeof v}`;
}

/** An event read verbatim from the file at `at`. */
export function eventRecord(record: CloudTrailRecord, at: Located): RawRecord {
  return { index: 0, record, text: at.text, offset: at.offset, length: at.length, partial: false, error: null };
}

/** A value at `at` that is not a readable event. */
export function badRecord(at: { offset: number; length: number }, code: string, error: string, text: string | null = null): RawRecord {
  return { index: 0, record: null, text, offset: at.offset, length: at.length, partial: false, error, code };
}

/** An element of a container of events: the event, or why it is not one. */
export function eventElement(parsed: unknown, at: Located): RawRecord {
  const rec = asEvent(parsed);
  return rec ? eventRecord(rec, at) : badRecord(at, 'not_an_event', `element is ${describe(parsed)}: ${NOT_EVENT}`, at.text);
}
