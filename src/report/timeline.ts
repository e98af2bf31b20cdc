// Timeline rows (index/timeline-rows.ts) as lines of a timeline file, in two flavours (docs/timeline.md):
// - timesketch: what Timesketch imports as is — `message`, `datetime` (ISO 8601 with offset), `timestamp`
//   (microseconds), `timestamp_desc`, `data_type`, the findings as `tag`, then the event's fields;
// - generic: the same event and findings fields, flat, for spreadsheets and jq.
// Each as JSON Lines (values exact; the characters JSON.stringify leaves raw written as \uXXXX) or CSV (the one CSV
// cell writer: formula neutralisation, control characters shown escaped). Pure: the file is written by triage.

import type { TimelineRow } from '../index/timeline-rows.js';
import type { EventRow } from '../index/event-rows.js';
import { EVENT_COLUMNS } from '../model/event-columns.js';
import { LEVELS } from '../model/detection.js';
import { escapeControl, safeJson } from '../model/escape.js';
import { isoUtc } from '../model/time.js';
import { csvCell } from './csv.js';
import { resourcesText } from './events.js';

export type TimelineFlavour = 'timesketch' | 'generic';
export type TimelineFormat = 'jsonl' | 'csv';

export const TIMELINE_FLAVOURS: readonly TimelineFlavour[] = ['timesketch', 'generic'];

type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
export type TimelineRecord = Record<string, JsonValue>;

/** Timesketch's `timestamp_desc`: which time of the event `datetime` is. */
export const TIMESTAMP_DESC = 'Event Time';
/** Timesketch's `data_type` (plaso's name for a CloudTrail record, so plaso-aware searches apply). */
export const DATA_TYPE = 'aws:cloudtrail:entry';

/** The registry's listed columns: the event fields of every line, named as in search's JSON. */
const EVENT_FIELDS = EVENT_COLUMNS.filter((c) => c.listed);

/** Fields after the event's own: resources, provenance, trust, findings. */
const TAIL_FIELDS = ['resources', 'sourceFile', 'recordIndex', 'trust', 'findingLevel', 'findingRuleIds', 'findingTitles', 'findingIds'] as const;

const TIMESKETCH_HEAD = ['message', 'datetime', 'timestamp', 'timestamp_desc', 'data_type', 'tag'] as const;

/** A flavour's fields in order: the JSON Lines keys and the CSV header. */
export function timelineColumns(flavour: TimelineFlavour): readonly string[] {
  return COLUMNS[flavour];
}

const BODY_FIELDS: readonly string[] = [...EVENT_FIELDS.map((c) => c.field), ...TAIL_FIELDS];
const COLUMNS: Readonly<Record<TimelineFlavour, readonly string[]>> = { timesketch: [...TIMESKETCH_HEAD, ...BODY_FIELDS], generic: BODY_FIELDS };

/**
 * The time as Timesketch's `datetime` wants it: ISO 8601 with milliseconds and an explicit +00:00 offset; null for
 * events without a time (or one outside years 1–9999, which no importer reads).
 */
export function timesketchDatetime(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  const iso = new Date(ms).toISOString();
  return /^\d{4}-/.test(iso) && !iso.startsWith('0000') ? iso.replace(/Z$/, '+00:00') : null;
}

/**
 * A one-line summary of the event: who (user name, else principal ARN, else principal ID), the access key, the call,
 * the service, the source IP and the error. Control characters are shown escaped: it is evidence text.
 * `m.keller (AKIAEXAMPLE) StopLogging on cloudtrail.amazonaws.com from 198.51.100.77: AccessDenied`
 */
export function timelineMessage(row: TimelineRow): string {
  const e = row.event;
  const who = e.username ?? e.arn ?? e.principalId ?? e.identityType ?? e.invokedBy ?? 'unknown principal';
  let s = who;
  if (e.accessKeyId) s += ` (${e.accessKeyId})`;
  s += ` ${e.eventName ?? 'unknown call'}`;
  if (e.eventSource) s += ` on ${e.eventSource}`;
  if (e.sourceIPAddress) s += ` from ${e.sourceIPAddress}`;
  const error = e.errorCode ?? e.errorMessage;
  if (error) s += `: ${error}`;
  return escapeControl(s);
}

/** The tags of an event: each citing finding's level (`level:high`) and rule title, each once. */
export function timelineTags(row: TimelineRow): string[] {
  const tags = new Set<string>();
  for (const f of row.findings) tags.add(`level:${f.level}`);
  for (const f of row.findings) tags.add(f.title);
  return [...tags];
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

interface Head {
  message: string;
  datetime: string;
  timestamp: number;
  timestamp_desc: string;
  data_type: string;
  tag: string[];
}
type Tail = Record<(typeof TAIL_FIELDS)[number], JsonValue>;
type Build = (e: EventRow, head: Head | null, tail: Tail, iso: typeof isoUtc) => TimelineRecord;

/**
 * A flavour's record as one object literal compiled from the field lists (as event-rows.ts decodes rows): a fixed
 * shape V8 builds and stringifies fast, where a million lines spend most of their time.
 */
function compile(flavour: TimelineFlavour): Build {
  const head = flavour === 'timesketch' ? TIMESKETCH_HEAD.map((k) => `${JSON.stringify(k)}: h.${k}`) : [];
  const fields = EVENT_FIELDS.map((c) => `${JSON.stringify(c.field)}: ${c.kind === 'time' ? `iso(e.${c.key})` : `e.${c.key}`}`);
  const tail = TAIL_FIELDS.map((k) => `${JSON.stringify(k)}: t.${k}`);
  return new Function('e', 'h', 't', 'iso', `return { ${[...head, ...fields, ...tail].join(', ')} };`) as Build;
}

const BUILD: Readonly<Record<TimelineFlavour, Build>> = { timesketch: compile('timesketch'), generic: compile('generic') };

/**
 * One event as a flavour's record (keys in timelineColumns order); null for a Timesketch line of an event without a
 * time, which Timesketch cannot place (the writer counts those).
 */
export function timelineRecord(row: TimelineRow, flavour: TimelineFlavour): TimelineRecord | null {
  const e = row.event;
  let head: Head | null = null;
  if (flavour === 'timesketch') {
    const datetime = timesketchDatetime(e.eventTime);
    if (datetime === null || e.eventTime === null) return null;
    head = { message: timelineMessage(row), datetime, timestamp: e.eventTime * 1000, timestamp_desc: TIMESTAMP_DESC, data_type: DATA_TYPE, tag: timelineTags(row) };
  }
  const top = row.findings.reduce<number>((m, f) => Math.max(m, LEVELS.indexOf(f.level)), -1);
  const tail: Tail = {
    resources: flavour === 'timesketch' ? resourcesText(e) : e.resources.map((r) => ({ type: r.type, name: r.name })),
    sourceFile: row.file,
    recordIndex: e.recordIndex,
    trust: row.trust,
    findingLevel: top < 0 ? null : LEVELS[top],
    findingRuleIds: unique(row.findings.map((f) => f.ruleId)),
    findingTitles: unique(row.findings.map((f) => f.title)),
    findingIds: row.findings.map((f) => f.findingId),
  };
  return BUILD[flavour](e, head, tail, isoUtc);
}

/** One JSON Lines line (with its newline), or null (timelineRecord). */
export function timelineJsonLine(row: TimelineRow, flavour: TimelineFlavour): string | null {
  const r = timelineRecord(row, flavour);
  return r === null ? null : `${safeJson(JSON.stringify(r))}\n`;
}

/** The CSV header line (field names, as the JSON Lines keys; CRLF line ends as every CSV trailhound writes). */
export function timelineCsvHeader(flavour: TimelineFlavour): string {
  return `${timelineColumns(flavour).map((c) => csvCell(c)).join(',')}\r\n`;
}

/**
 * A record's value as a CSV cell: lists (`tag`, the finding columns) as JSON arrays — Timesketch reads a `[…]` tag
 * cell as a list, and a rule title may hold any separator — and resources as `Type name, …` as search's CSV has them.
 */
function cellOf(row: TimelineRow, key: string, v: JsonValue | undefined): string {
  if (key === 'resources') return csvCell(resourcesText(row.event));
  if (Array.isArray(v)) return csvCell(safeJson(JSON.stringify(v)));
  return csvCell(v as string | number | boolean | null | undefined);
}

/** One CSV line (with its CRLF), or null (timelineRecord). */
export function timelineCsvRow(row: TimelineRow, flavour: TimelineFlavour): string | null {
  const r = timelineRecord(row, flavour);
  if (r === null) return null;
  return `${timelineColumns(flavour).map((k) => cellOf(row, k, r[k])).join(',')}\r\n`;
}
