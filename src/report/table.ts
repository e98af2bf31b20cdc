// A plain-text table that fits the terminal width: the widest columns shrink first and cut text ends with …
// Every cell goes through escapeControl, so no raw control or escape sequence reaches the terminal.

import { escapeControl } from './escape.js';
import { displayWidth, padToWidth, truncateStartToWidth, truncateToWidth } from './width.js';

export interface TableColumn {
  key: string;
  header: string;
  /** Never shrink below this (default 8, or the natural width when smaller). */
  minWidth?: number;
  /** Right-align (numbers). */
  align?: 'left' | 'right';
  /** Which end a cut cell loses: 'end' (default) or 'start' (paths, whose last part matters most). */
  cut?: 'start' | 'end';
}

export type TableRow = Record<string, string | number | null | undefined>;

export interface TableOptions {
  /** Terminal width in cells; 0 or undefined means no limit. */
  width?: number;
  /** Shown for null/empty cells. */
  empty?: string;
}

const GAP = 2;

export function renderTable(columns: readonly TableColumn[], rows: readonly TableRow[], options: TableOptions = {}): string {
  const empty = options.empty ?? '-';
  const text = rows.map((r) => columns.map((c) => cellText(r[c.key], empty)));
  const headers = columns.map((c) => escapeControl(c.header));
  const natural = columns.map((_, i) => Math.max(displayWidth(headers[i]), ...text.map((t) => displayWidth(t[i]))));
  const widths = fit(natural, columns, options.width ?? 0);
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => {
        const cut = columns[i].cut === 'start' ? truncateStartToWidth(cell, widths[i]) : truncateToWidth(cell, widths[i]);
        if (i === cells.length - 1 && columns[i].align !== 'right') return cut;
        if (columns[i].align === 'right') return ' '.repeat(Math.max(0, widths[i] - displayWidth(cut))) + cut;
        return padToWidth(cut, widths[i]);
      })
      .join(' '.repeat(GAP))
      .replace(/\s+$/, '');
  const out = [line(headers), line(widths.map((w) => '─'.repeat(w)))];
  for (const t of text) out.push(line(t));
  return `${out.join('\n')}\n`;
}

function cellText(v: string | number | null | undefined, empty: string): string {
  if (v === null || v === undefined || v === '') return empty;
  return escapeControl(String(v));
}

/** Shrink the widest columns, one cell at a time, until the row fits. */
function fit(natural: number[], columns: readonly TableColumn[], width: number): number[] {
  const widths = [...natural];
  if (!width || width <= 0) return widths;
  let total = widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  // First down to each column's preferred minimum; if that is not enough, down to 3 cells ("ab…").
  for (const mins of [natural.map((n, i) => Math.min(n, columns[i].minWidth ?? 8)), natural.map((n) => Math.min(n, 3))]) {
    total = shrink(widths, mins, total, width);
  }
  return widths;
}

function shrink(widths: number[], mins: number[], total: number, width: number): number {
  while (total > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i] > mins[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
    }
    if (widest < 0) break;
    const others = widths.filter((_, i) => i !== widest && widths[i] > mins[i]);
    const next = others.length ? Math.max(...others) : mins[widest];
    const step = Math.max(1, Math.min(total - width, widths[widest] - Math.max(next, mins[widest])));
    widths[widest] -= step;
    total -= step;
  }
  return total;
}
