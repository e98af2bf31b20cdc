// `aws cloudtrail lookup-events` output: {"Events":[{"EventId":…, "CloudTrailEvent":"<event as a JSON string>"}],
// "NextToken":…}, one page, pages concatenated, or a JSON array of pages. The event is the CloudTrailEvent
// string; an entry without one that is itself an event (insights output) is taken as is.

import type { JsonFormat, Located, RawRecord } from './format.js';
import { asEvent, badRecord, looksLikeEventKeys } from './event-shape.js';

/** A lookup-events entry: its CloudTrailEvent string is the event (else the entry itself, as insights output). */
export function lookupEntry(entry: unknown): RawRecord {
  const base = { index: 0, offset: null, length: null, partial: false };
  const e = entry as Record<string, unknown> | null;
  if (e && typeof e === 'object' && typeof e.CloudTrailEvent === 'string') {
    try {
      const rec = JSON.parse(e.CloudTrailEvent) as unknown;
      if (rec === null || typeof rec !== 'object' || Array.isArray(rec) || !looksLikeEventKeys(Object.keys(rec))) {
        return { ...base, record: null, text: e.CloudTrailEvent, error: 'CloudTrailEvent is not a CloudTrail event', code: 'not_an_event' };
      }
      return { ...base, record: asEvent(rec), text: e.CloudTrailEvent, error: null };
    } catch (err) {
      return { ...base, record: null, text: e.CloudTrailEvent, error: `CloudTrailEvent is not valid JSON: ${(err as Error).message}`, code: 'bad_record' };
    }
  }
  if (e && typeof e === 'object' && !Array.isArray(e) && looksLikeEventKeys(Object.keys(e))) return { ...base, record: asEvent(e), text: JSON.stringify(e), error: null };
  return { ...base, record: null, text: null, error: 'lookup-events entry has no CloudTrailEvent', code: 'not_an_event' };
}

/** One page of a top-level array of pages: its entries. */
function page(parsed: unknown, at: Located): RawRecord[] | RawRecord {
  const entries = (parsed as { Events?: unknown } | null)?.Events;
  if (!Array.isArray(entries)) return badRecord(at, 'bad_record', 'lookup-events page without an Events array', at.text);
  return entries.map(lookupEntry);
}

export const lookupEvents: JsonFormat = {
  name: 'lookup-events',
  syntax: 'json',
  family: 'lookup',
  kind: () => 'lookup-events',
  // An "Events" key in an object that is itself an event (two core fields before it) is a field, not a page.
  container: (key, keysSoFar) => key.toLowerCase() === 'events' && !looksLikeEventKeys(keysSoFar),
  containerEntry: (parsed) => lookupEntry(parsed),
  arrayOf: (first) => {
    const o = first as Record<string, unknown> | null;
    return o !== null && typeof o === 'object' && !Array.isArray(o) && Array.isArray(o.Events) && !looksLikeEventKeys(Object.keys(o));
  },
  arrayElement: page,
};
