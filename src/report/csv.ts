// CSV (RFC 4180) that opens safely in a spreadsheet: a cell beginning with = + - @ TAB or CR is prefixed with '
// (OWASP "CSV injection"), and control characters are shown escaped (escapeControl), so a cell never holds a raw
// line break or escape sequence.

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

export function renderCsv(columns: readonly CsvColumn[], rows: readonly CsvRow[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
