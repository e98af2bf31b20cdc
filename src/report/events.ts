// Event lists in every format (table, json, jsonl, csv, md), shared by every command that lists events.
// Field names and the JSON contract are documented in docs/output-formats.md; keep them stable.

import type { EventRow } from '../index/event-rows.js';
import { isoInZone, isoUtc } from '../model/time.js';
import { csvTruncatedRow, renderCsv } from './csv.js';
import { renderJson, renderJsonLines } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import { PRIORITY, type TableColumn } from '../model/report-view.js';
import { EVENT_COLUMNS, type EventColumnDef } from '../model/event-columns.js';

export type EventFormat = 'table' | 'json' | 'jsonl' | 'csv' | 'md';

type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

interface FieldDef {
  /** JSON name and --fields name. */
  name: string;
  /** Table/CSV header. */
  header: string;
  json: (r: EventRow) => JsonValue;
  /** Text for table/csv/md; defaults to String(json) ('' for null). */
  text?: (r: EventRow, tz: string) => string | null;
  /** Table layout (src/report/table.ts): the narrowest readable width, what is given up first, which end is cut. */
  minWidth?: number;
  priority?: number;
  cut?: 'start';
}

/** Resources as one line of text: `S3::Bucket my-bucket, IAM::User alice` (AWS:: dropped). */
export const resourcesText = (r: EventRow): string => r.resources.map((x) => `${x.type.replace(/^AWS::/, '')} ${x.name}`).join(', ');
const boolText = (v: boolean | null): string | null => (v === null ? null : v ? 'true' : 'false');

/** Table layout of the fields that need one (src/report/table.ts): by output field name. */
const LAYOUT: Readonly<Record<string, Pick<FieldDef, 'minWidth' | 'priority' | 'cut'>>> = {
  eventTime: { priority: PRIORITY.key },
  eventID: { priority: PRIORITY.key },
  eventName: { minWidth: 16, priority: PRIORITY.essential },
  eventSource: { minWidth: 10, priority: PRIORITY.secondary },
  awsRegion: { minWidth: 9, priority: PRIORITY.normal },
  recipientAccountId: { minWidth: 12, priority: PRIORITY.secondary },
  username: { minWidth: 16, priority: PRIORITY.essential, cut: 'start' },
  sourceIPAddress: { minWidth: 15, priority: PRIORITY.normal },
  userAgent: { priority: PRIORITY.text },
  principalArn: { minWidth: 24, priority: PRIORITY.essential, cut: 'start' },
  accountId: { minWidth: 12, priority: PRIORITY.secondary },
  accessKeyId: { minWidth: 20, priority: PRIORITY.normal },
  identityUserName: { minWidth: 16, priority: PRIORITY.essential },
  sessionIssuerArn: { minWidth: 24, priority: PRIORITY.secondary, cut: 'start' },
  errorCode: { minWidth: 12, priority: PRIORITY.normal },
  errorMessage: { priority: PRIORITY.text },
};

/** A registry column as an output field: times as ISO 8601 UTC (the zone's time in tables), booleans as true/false. */
function columnField(c: EventColumnDef): FieldDef {
  const layout = LAYOUT[c.field] ?? { priority: PRIORITY.secondary };
  if (c.kind === 'time') return { name: c.field, header: c.header, json: (r) => isoUtc(r[c.key] as number | null), text: (r, tz) => isoInZone(r[c.key] as number | null, tz), ...layout };
  if (c.kind === 'bool') return { name: c.field, header: c.header, json: (r) => r[c.key] as boolean | null, text: (r) => boolText(r[c.key] as boolean | null), ...layout };
  return { name: c.field, header: c.header, json: (r) => r[c.key] as string | null, ...layout };
}

const RESOURCES_FIELD: FieldDef = {
  name: 'resources',
  header: 'Resources',
  json: (r) => r.resources.map((x) => ({ type: x.type, name: x.name })),
  text: resourcesText,
  minWidth: 12,
  priority: PRIORITY.text,
};

/** Every field an event row lists by default, in JSON order: the registry's listed columns, then the resources. */
const EVENT_FIELDS: readonly FieldDef[] = [...EVENT_COLUMNS.filter((c) => c.listed).map(columnField), RESOURCES_FIELD];

/** Fields shown only when --fields names them (sharedEventID, requestID…). */
const ON_REQUEST_FIELDS: readonly FieldDef[] = EVENT_COLUMNS.filter((c) => !c.listed).map(columnField);

export const EVENT_FIELD_NAMES: readonly string[] = EVENT_FIELDS.map((f) => f.name);
/** Every name --fields accepts besides aliases and body paths: the listed fields, then those shown on request. */
export const ALL_EVENT_FIELD_NAMES: readonly string[] = [...EVENT_FIELD_NAMES, ...ON_REQUEST_FIELDS.map((f) => f.name)];

/**
 * Other names --fields accepts, → the field they mean: the investigations' names (`eventId`, `arn`) and the name
 * `identityUserName` had before it was renamed (it differed from `username` only by case, so spreadsheets that
 * match headers case-insensitively mixed them up). Output always uses the canonical names.
 */
export const FIELD_ALIASES: Readonly<Record<string, string>> = {
  eventId: 'eventID',
  arn: 'principalArn',
  userName: 'identityUserName',
};

/** Body paths --fields accepts: the event's own JSON, read from the case only when such a field is asked for. */
const BODY_ROOTS = ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails'] as const;
const BODY_FIELD = new RegExp(`^(${BODY_ROOTS.join('|')})(\\.[^.]+)*$`);

/** True for `requestParameters`, `requestParameters.bucketName`, `responseElements.x.y`, `additionalEventData.z`… */
function isBodyField(name: string): boolean {
  return BODY_FIELD.test(name);
}

/** Columns a table shows when --fields is not given: these, the caller's extra fields (trust), then the event ID. */
const DEFAULT_TABLE_FIELDS: readonly string[] = ['eventTime', 'eventName', 'eventSource', 'username', 'sourceIPAddress', 'awsRegion', 'errorCode', 'resources'];
const DEFAULT_TABLE_LAST: readonly string[] = ['eventID'];

/** An extra per-event column supplied by the caller (e.g. trust). */
export interface ExtraField {
  name: string;
  header: string;
  values: Map<number, JsonValue>;
}

export interface RenderEventsOptions {
  format: EventFormat;
  /** Field names to show, in order (aliases and body paths allowed); default: DEFAULT_TABLE_FIELDS for table/md, every field otherwise. */
  fields?: readonly string[];
  /** Terminal width for tables. */
  width?: number;
  /** Zone for table/md/csv times (JSON is always UTC). */
  tz?: string;
  /** More fields after the built-in ones (shown by default). */
  extra?: readonly ExtraField[];
  /** For JSON: put here next to `events` (e.g. truncated). */
  meta?: Record<string, JsonValue>;
  /** The event's parsed JSON, for body-path fields (only called when one is requested). */
  bodyOf?: (r: EventRow) => Record<string, unknown> | null;
  /** CSV: UTF-8 BOM first (--excel). */
  excel?: boolean;
  /**
   * Set when the list was cut at --limit: JSON gets `"truncated": true, "limit": N`; JSON Lines a last record
   * `{"_truncated": true, "limit": N}`; CSV a last row `_truncated,limit=N,…`; Markdown a last line.
   */
  truncatedAt?: number | null;
}

/** The canonical name of a --fields name (alias resolved), or null when unknown. */
function canonicalField(name: string, extra: readonly ExtraField[] = []): string | null {
  if (ALL_EVENT_FIELD_NAMES.includes(name) || extra.some((e) => e.name === name) || isBodyField(name)) return name;
  return FIELD_ALIASES[name] ?? null;
}

/** Check --fields names; returns the unknown ones. */
export function unknownFields(fields: readonly string[], extra: readonly ExtraField[] = []): string[] {
  return fields.filter((f) => canonicalField(f, extra) === null);
}

/** Whether any of the fields needs the event body. */
export function needsBodies(fields: readonly string[] | undefined): boolean {
  return (fields ?? []).some(isBodyField);
}

function bodyValue(body: Record<string, unknown> | null, path: string): JsonValue {
  let v: unknown = body;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    v = (v as Record<string, unknown>)[part];
  }
  return v === undefined ? null : (v as JsonValue);
}

export function renderEvents(rows: readonly EventRow[], options: RenderEventsOptions): string {
  const extra = options.extra ?? [];
  const defs: FieldDef[] = [
    ...EVENT_FIELDS,
    ...extra.map((x): FieldDef => ({ name: x.name, header: x.header, json: (r) => x.values.get(r.id) ?? null, priority: PRIORITY.secondary })),
  ];
  const byName = new Map([...defs, ...ON_REQUEST_FIELDS].map((d) => [d.name, d]));
  const tabular = options.format === 'table' || options.format === 'md';
  const names = options.fields && options.fields.length > 0 ? options.fields : tabular ? [...DEFAULT_TABLE_FIELDS, ...extra.map((x) => x.name), ...DEFAULT_TABLE_LAST] : defs.map((d) => d.name);
  const bodies = new Map<number, Record<string, unknown> | null>();
  const bodyOf = (r: EventRow): Record<string, unknown> | null => {
    if (!bodies.has(r.id)) bodies.set(r.id, options.bodyOf ? options.bodyOf(r) : null);
    return bodies.get(r.id) ?? null;
  };
  const chosen: FieldDef[] = [];
  for (const n of names) {
    const canon = canonicalField(n, extra);
    if (canon === null) throw new Error(`unknown field "${n}"; known fields: ${[...defs, ...ON_REQUEST_FIELDS].map((x) => x.name).join(', ')}`);
    if (chosen.some((c) => c.name === canon)) continue;
    const d = byName.get(canon);
    if (d) chosen.push(d);
    else chosen.push({ name: canon, header: canon, priority: PRIORITY.text, json: (r) => bodyValue(bodyOf(r), canon), text: (r) => jsonCellText(bodyValue(bodyOf(r), canon)) });
  }
  const tz = options.tz ?? 'UTC';
  const cut = options.truncatedAt ?? null;

  if (options.format === 'json' || options.format === 'jsonl') {
    const objects = rows.map((r) => {
      const o: Record<string, JsonValue> = {};
      for (const d of chosen) o[d.name] = d.json(r);
      return o;
    });
    if (options.format === 'jsonl') return renderJsonLines(cut === null ? objects : [...objects, { _truncated: true, limit: cut }]);
    return renderJson({ events: objects, ...(options.meta ?? {}), ...(cut === null ? {} : { truncated: true, limit: cut }) });
  }

  const textOf = (d: FieldDef, r: EventRow): string | null => {
    if (d.text) return d.text(r, tz);
    const v = d.json(r);
    if (v === null) return null;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  const textRows = rows.map((r) => {
    const o: Record<string, string | null> = {};
    for (const d of chosen) o[d.name] = textOf(d, r);
    return o;
  });
  if (options.format === 'csv') {
    const cols = chosen.map((d) => ({ key: d.name, header: d.name }));
    return renderCsv(cols, cut === null ? textRows : [...textRows, csvTruncatedRow(cols, cut)], { excel: options.excel });
  }
  if (options.format === 'md') {
    const md = renderMarkdown(chosen.map((d) => ({ key: d.name, header: d.header })), textRows);
    return cut === null ? md : `${md}\n_Truncated: the first ${cut} matching events (--limit ${cut}); --limit 0 for all._\n`;
  }
  const cols: TableColumn[] = chosen.map((d) => ({ key: d.name, name: d.name, header: d.header, minWidth: d.minWidth, priority: d.priority, cut: d.cut }));
  return renderTable(cols, textRows, { width: options.width });
}

/** A body value in a text cell: strings, numbers and booleans as they are; objects and arrays as compact JSON. */
function jsonCellText(v: JsonValue): string | null {
  if (v === null) return null;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
