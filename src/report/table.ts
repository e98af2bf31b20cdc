// A plain-text table that fits the terminal width: the widest columns shrink first and cut text ends with …
// Every cell goes through escapeControl, so no raw control or escape sequence reaches the terminal.

import { escapeControl } from '../model/escape.js';
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
/**
 * Without a width limit, a value wider than this does not widen its column: it is written in full (never cut) and
 * pushes the rest of its own row right, instead of padding every other row to its width. This keeps the output
 * linear in the input: one 1 MB user agent must not add 1 MB of spaces to each of 10,000 rows. With a limit, such a
 * value counts as this wide and is cut to its column like any other.
 */
export const MAX_NATURAL_WIDTH = 512;

export function renderTable(columns: readonly TableColumn[], rows: readonly TableRow[], options: TableOptions = {}): string {
  const empty = options.empty ?? '-';
  const limit = options.width && options.width > 0 ? options.width : 0;
  const text = rows.map((r) => columns.map((c) => cellText(r[c.key], empty)));
  const headers = columns.map((c) => escapeControl(c.header));
  // A loop, not Math.max(...all): spreading 100k+ rows as arguments overflows the stack.
  const natural = headers.map((h) => displayWidth(h));
  for (const t of text) {
    for (let i = 0; i < t.length; i++) {
      const w = displayWidth(t[i]);
      const counted = w <= MAX_NATURAL_WIDTH ? w : limit ? MAX_NATURAL_WIDTH : 0;
      if (counted > natural[i]) natural[i] = counted;
    }
  }
  const widths = fit(natural, columns, limit);
  const last = columns.length - 1;
  const line = (cells: string[]): string => {
    const parts: string[] = [];
    for (let i = 0; i < cells.length; i++) {
      const cut = !limit ? cells[i] : columns[i].cut === 'start' ? truncateStartToWidth(cells[i], widths[i]) : truncateToWidth(cells[i], widths[i]);
      if (columns[i].align === 'right') parts.push(' '.repeat(Math.max(0, widths[i] - displayWidth(cut))) + cut);
      else if (i === last) parts.push(cut);
      else parts.push(padToWidth(cut, widths[i]));
    }
    // trimEnd() looks only at the end of the line; /\s+$/ retried from every space run and was quadratic.
    return parts.join(' '.repeat(GAP)).trimEnd();
  };
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
    let next = -1;
    const tied: number[] = [];
    for (let i = 0; i < widths.length; i++) {
      if (widths[i] <= mins[i]) continue;
      if (widths[i] === widths[widest]) tied.push(i);
      else if (widths[i] > next) next = widths[i];
    }
    if (tied.length > 1) {
      // Several columns share the widest width: the one-cell round robin below, done in whole rounds at once
      // (two 1 MB columns would otherwise take a million steps). Same result, cell for cell.
      const floor = Math.max(next, ...tied.map((i) => mins[i]));
      const rounds = Math.min(widths[widest] - floor, Math.floor((total - width) / tied.length));
      if (rounds > 0) {
        for (const i of tied) widths[i] -= rounds;
        total -= rounds * tied.length;
        continue;
      }
    }
    const others = tied.length > 1 ? widths[widest] : next;
    const step = Math.max(1, Math.min(total - width, widths[widest] - Math.max(others < 0 ? mins[widest] : others, mins[widest])));
    widths[widest] -= step;
    total -= step;
  }
  return total;
}
