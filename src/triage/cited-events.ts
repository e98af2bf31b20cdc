// The events a triage cites, with their provenance: the file each came from (path as ingested), its record index,
// the file's SHA-256, the event's trust label, and the original record pretty-printed. Capped, so a report on a large
// case stays small: the oldest citations of the most severe findings come first.

import path from 'node:path';
import type { Db } from '../index/open.js';
import { eventProvenance, eventRowId, readEventBody } from '../index/bodies.js';
import { fetchEventRows } from '../index/event-rows.js';
import { trustForEvents } from '../index/trust.js';
import { isoUtc } from '../model/time.js';
import type { CitedEventDetail } from '../model/triage.js';

/** Cited events embedded at most. */
export const MAX_CITED_EVENTS = 1200;

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** Details of the events with these eventIDs (in the order given, duplicates dropped), at most `max`. */
export function citedEvents(db: Db, eventIds: readonly string[], max = MAX_CITED_EVENTS): { events: CitedEventDetail[]; omitted: number } {
  const unique = [...new Set(eventIds)];
  const kept = unique.slice(0, max);
  const rowIds = kept.map((id) => eventRowId(db, id)).filter((x): x is number => x !== null);
  const rows = new Map(fetchEventRows(db, rowIds).map((r) => [r.id, r]));
  const trust = trustForEvents(db, rowIds);
  const events: CitedEventDetail[] = [];
  for (const id of rowIds) {
    const r = rows.get(id);
    if (!r) continue;
    const prov = eventProvenance(db, id).find((p) => p.sourceId === r.sourceId && p.recordIndex === r.recordIndex) ?? eventProvenance(db, id)[0];
    const body = readEventBody(db, id);
    events.push({
      eventId: r.eventId,
      time: r.eventTime === null ? null : isoUtc(r.eventTime),
      eventName: r.eventName,
      eventSource: r.eventSource,
      principal: r.arn ?? r.username,
      sourceIp: r.sourceIPAddress,
      errorCode: r.errorCode,
      account: r.recipientAccountId,
      region: r.awsRegion,
      file: prov ? path.join(prov.root, prov.path) : '(unknown)',
      recordIndex: prov?.recordIndex ?? r.recordIndex,
      fileSha256: prov?.sha256 ?? '',
      trust: trust.get(id) ?? null,
      json: body ? pretty(body.json) : '(the record could not be read from the case)',
    });
  }
  return { events, omitted: unique.length - kept.length };
}
