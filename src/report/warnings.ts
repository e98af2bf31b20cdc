// Stored ingest warnings in every format (table, json, jsonl, csv, md), their per-code summary, and the one-line
// per-code notes ingest prints after a run. Field names are documented in docs/json-output.md#warnings.

import type { StoredWarning, WarningCodeSummary } from '../index/warnings.js';
import { warningMeaning } from '../model/warning-codes.js';
import { csvTruncatedRow, renderCsv } from './csv.js';
import { escapeControl } from '../model/escape.js';
import { renderJson, renderJsonLines } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import { PRIORITY, type TableColumn } from '../model/report-view.js';

export type WarningFormat = 'table' | 'json' | 'jsonl' | 'csv' | 'md';

type Cell = string | number | null;

/** Fields of one warning, in JSON order, with their table header. */
interface FieldDef<T> {
  name: keyof T;
  header: string;
  /** Shown in table and Markdown (CSV and JSON have every field). */
  table: boolean;
  /** Table layout (src/report/table.ts). */
  minWidth?: number;
  priority?: number;
  align?: 'right';
  cut?: 'start';
}

const WARNING_FIELDS: ReadonlyArray<FieldDef<StoredWarning>> = [
  { name: 'runId', header: 'Run', table: true, align: 'right', priority: PRIORITY.secondary },
  { name: 'runStartedAt', header: 'Run started', table: true, priority: PRIORITY.key },
  { name: 'severity', header: 'Severity', table: true, priority: PRIORITY.normal },
  { name: 'code', header: 'Code', table: true, minWidth: 12, priority: PRIORITY.essential },
  { name: 'file', header: 'File', table: true, minWidth: 30, cut: 'start', priority: PRIORITY.essential },
  { name: 'root', header: 'Root', table: false },
  { name: 'recordIndex', header: 'Record', table: true, align: 'right', priority: PRIORITY.normal },
  { name: 'message', header: 'Message', table: true, minWidth: 20, priority: PRIORITY.text },
];

/** Fields of one per-code summary row, in JSON order. */
const SUMMARY_FIELDS: ReadonlyArray<FieldDef<SummaryRow>> = [
  { name: 'code', header: 'Code', table: true, minWidth: 12, priority: PRIORITY.essential },
  { name: 'severity', header: 'Severity', table: true, priority: PRIORITY.normal },
  { name: 'count', header: 'Count', table: true, align: 'right', priority: PRIORITY.essential },
  { name: 'files', header: 'Files', table: true, align: 'right', priority: PRIORITY.normal },
  { name: 'records', header: 'Records', table: true, align: 'right', priority: PRIORITY.normal },
  { name: 'meaning', header: 'Meaning', table: true, minWidth: 16, priority: PRIORITY.text },
  { name: 'exampleFile', header: 'Example', table: true, minWidth: 20, cut: 'start', priority: PRIORITY.secondary },
  { name: 'exampleRecordIndex', header: 'Example record', table: false },
];

type SummaryRow = WarningCodeSummary & { meaning: string | null };

function summaryRows(summary: readonly WarningCodeSummary[]): SummaryRow[] {
  return summary.map((s) => ({ code: s.code, severity: s.severity, count: s.count, files: s.files, records: s.records, meaning: warningMeaning(s.code), exampleFile: s.exampleFile, exampleRecordIndex: s.exampleRecordIndex }));
}

function pick<T extends object>(row: T, names: ReadonlyArray<keyof T>): Record<string, Cell> {
  const o: Record<string, Cell> = {};
  for (const n of names) o[n as string] = row[n] as Cell;
  return o;
}

function tabular<T extends object>(
  format: WarningFormat,
  fields: ReadonlyArray<FieldDef<T>>,
  rows: readonly T[],
  width: number,
  csv: { excel?: boolean; truncatedAt?: number | null } = {},
): string {
  const shown = format === 'csv' ? fields : fields.filter((f) => f.table);
  const objects = rows.map((r) => pick(r, shown.map((f) => f.name)));
  if (format === 'csv') {
    const cols = shown.map((f) => ({ key: f.name as string, header: f.name as string }));
    const cut = csv.truncatedAt ?? null;
    return renderCsv(cols, cut === null ? objects : [...objects, csvTruncatedRow(cols, cut)], { excel: csv.excel });
  }
  if (format === 'md') return renderMarkdown(shown.map((f) => ({ key: f.name as string, header: f.header })), objects);
  const cols: TableColumn[] = shown.map((f) => ({ key: f.name as string, name: f.name as string, header: f.header, minWidth: f.minWidth, priority: f.priority, align: f.align, cut: f.cut }));
  if (format === 'table') {
    // Seconds are enough to tell runs apart on screen; JSON and CSV keep the stored time.
    for (const o of objects) if (typeof o.runStartedAt === 'string') o.runStartedAt = o.runStartedAt.replace(/\.\d+Z$/, 'Z');
  }
  return renderTable(cols, objects, { width });
}

export interface RenderWarningsOptions {
  format: WarningFormat;
  /** Terminal width for tables (0: no limit). */
  width?: number;
  /** Warnings matching the filter (the list may be cut by --limit). */
  total: number;
  truncated: boolean;
  /** Per-code summary of every matching warning: the table footer, and `byCode` in JSON. */
  summary: readonly WarningCodeSummary[];
  /** CSV: UTF-8 BOM first (--excel). */
  excel?: boolean;
  /** The --limit the list was cut at: JSON Lines ends with `{"_truncated":true,"limit":N}`, CSV with a `_truncated` row (docs/output-formats.md). */
  truncatedAt?: number | null;
}

/** The list of warnings; a table ends with the per-code summary. */
export function renderWarnings(rows: readonly StoredWarning[], options: RenderWarningsOptions): string {
  const names = WARNING_FIELDS.map((f) => f.name);
  const cut = options.truncated ? (options.truncatedAt ?? null) : null;
  if (options.format === 'jsonl') return renderJsonLines([...rows.map((r) => pick(r, names)), ...(cut === null ? [] : [{ _truncated: true, limit: cut }])]);
  if (options.format === 'json') {
    return renderJson({ warnings: rows.map((r) => pick(r, names)), total: options.total, truncated: options.truncated, ...(cut === null ? {} : { limit: cut }), byCode: summaryRows(options.summary) });
  }
  const list = tabular(options.format, WARNING_FIELDS, rows, options.width ?? 0, { excel: options.excel, truncatedAt: cut });
  if (options.format === 'md' && cut !== null) return `${list}\n_Truncated: the first ${cut} matching warnings (--limit ${cut}); --limit 0 for all._\n`;
  if (options.format !== 'table') return list;
  return `${list}\n${renderWarningSummary(options.summary, { format: 'table', width: options.width, total: options.total })}`;
}

/** The per-code summary alone (`--summary`). */
export function renderWarningSummary(summary: readonly WarningCodeSummary[], options: { format: WarningFormat; width?: number; total: number; excel?: boolean }): string {
  const rows = summaryRows(summary);
  const names = SUMMARY_FIELDS.map((f) => f.name);
  if (options.format === 'jsonl') return renderJsonLines(rows.map((r) => pick(r, names)));
  if (options.format === 'json') return renderJson({ total: options.total, byCode: rows.map((r) => pick(r, names)) });
  const table = tabular(options.format, SUMMARY_FIELDS, rows, options.width ?? 0, { excel: options.excel });
  if (options.format !== 'table') return table;
  const errors = summary.filter((s) => s.severity === 'error').reduce((n, s) => n + s.count, 0);
  return `${plural(options.total, 'warning')}${errors ? ` (${errors} of severity error)` : ''} by code:\n${table}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A word for a POSIX shell: quoted only when needed. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** How many warnings of a code, over what: "20000 files", "3 records in 2 files", "4 warnings in 3 files". */
export function warningExtent(s: WarningCodeSummary): string {
  if (s.records === 0 && s.count === s.files) return plural(s.files, 'file');
  if (s.records === s.count) return `${plural(s.count, 'record')} in ${plural(s.files, 'file')}`;
  return `${plural(s.count, 'warning')} in ${plural(s.files, 'file')}`;
}

/**
 * One line per code for ingest's stderr, at most `max` lines (the last one then says how many more codes):
 * `warning: 20000 files: empty_file (file is empty) — e.g. AWSLogs/…; list all: trailhound warnings --db case.db --code empty_file`
 */
export function warningCodeLines(summary: readonly WarningCodeSummary[], db: string, max = 10): string[] {
  const listCmd = `trailhound warnings --db ${shellWord(db)}`;
  const shown = summary.length > max ? summary.slice(0, max - 1) : summary;
  const lines = shown.map((s) => {
    const meaning = warningMeaning(s.code);
    const example = s.exampleRecordIndex !== null ? `${s.exampleFile} [record ${s.exampleRecordIndex}]` : s.exampleFile;
    return escapeControl(
      `${s.severity}: ${warningExtent(s)}: ${s.code}${meaning ? ` (${meaning})` : ''} — e.g. ${example}; list all: ${listCmd} --code ${shellWord(s.code)}`,
    );
  });
  if (shown.length < summary.length) {
    const rest = summary.slice(shown.length);
    const n = rest.reduce((a, s) => a + s.count, 0);
    lines.push(escapeControl(`${rest[0].severity}: ${plural(n, 'more warning')} of ${rest.length} other codes (${rest.map((s) => s.code).join(', ')}); list all: ${listCmd}`));
  }
  return lines;
}
