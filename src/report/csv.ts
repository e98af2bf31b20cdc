// CSV (RFC 4180) that opens safely in a spreadsheet: a cell beginning with = + - @ TAB or CR is prefixed with '
// (OWASP "CSV injection"), and control characters are shown escaped (escapeControl), so a cell never holds a raw
// line break or escape sequence. Line ends are CRLF (RFC 4180); --excel adds a UTF-8 BOM.

import { escapeControl } from '../model/escape.js';

export interface CsvColumn {
  key: string;
  header: string;
}

export type CsvRow = Record<string, string | number | boolean | null | undefined>;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised, escaped, quoted when needed. */
export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  s = escapeControl(s);
  return /[",\n\r]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark so Excel reads the file as UTF-8 (line ends are CRLF either way). */
  excel?: boolean;
}

/** The byte-order mark --excel puts first. */
const UTF8_BOM = '\uFEFF';

export function renderCsv(columns: readonly CsvColumn[], rows: readonly CsvRow[], options: CsvOptions = {}): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c.key])).join(','));
  return `${options.excel ? UTF8_BOM : ''}${lines.join('\r\n')}\r\n`;
}

/**
 * The row that ends a capped CSV export: `_truncated` in the first column, `limit=N` in the second (or
 * `_truncated limit=N` alone when there is one column), the rest empty. Documented in docs/output-formats.md.
 */
export function csvTruncatedRow(columns: readonly CsvColumn[], limit: number): CsvRow {
  const row: CsvRow = {};
  if (columns.length === 0) return row;
  if (columns.length === 1) row[columns[0].key] = `_truncated limit=${limit}`;
  else {
    row[columns[0].key] = '_truncated';
    row[columns[1].key] = `limit=${limit}`;
  }
  return row;
}
