// A plain-text table that fits the terminal width without hiding what matters: every column has a priority, free
// text gives way first, essentials (times, event IDs, event names, principals) are never cut below a readable form,
// long text in `wrap` columns continues on further lines instead of being cut, and when even the essentials do not
// fit, the least important columns are left out and one footer line says which. Documented in
// docs/output-formats.md ("Table"). Every cell goes through escapeControl, so no raw control or escape sequence
// reaches the terminal.

import { PRIORITY, type TableColumn } from '../model/report-view.js';
import { escapeControl } from '../model/escape.js';
import { displayWidth, padToWidth, truncateStartToWidth, truncateToWidth, wrapToWidth } from './width.js';

export type TableRow = Record<string, string | number | null | undefined>;

export interface TableOptions {
  /** Terminal width in cells; 0 or undefined means no limit. */
  width?: number;
  /** Shown for null/empty cells. */
  empty?: string;
}

const GAP = 2;
/** Width below which a wrapped column is not squeezed by default. */
const WRAP_MIN = 24;
/**
 * Without a width limit, a value wider than this does not widen its column: it is written in full (never cut) and
 * pushes the rest of its own row right, instead of padding every other row to its width. This keeps the output
 * linear in the input: one 1 MB user agent must not add 1 MB of spaces to each of 10,000 rows. With a limit, such a
 * value counts as this wide and is cut (or wrapped) to its column like any other.
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
  const { shown, widths } = layout(natural, columns, limit);
  const last = shown.length - 1;
  const fitCell = (s: string, i: number, w: number): string =>
    columns[i].cut === 'start' ? truncateStartToWidth(s, w) : truncateToWidth(s, w);
  const line = (cells: string[]): string => {
    const parts: string[] = [];
    for (let j = 0; j < shown.length; j++) {
      const i = shown[j];
      const cut = !limit ? cells[j] : fitCell(cells[j], i, widths[j]);
      if (columns[i].align === 'right') parts.push(' '.repeat(Math.max(0, widths[j] - displayWidth(cut))) + cut);
      else if (j === last) parts.push(cut);
      else parts.push(padToWidth(cut, widths[j]));
    }
    // trimEnd() looks only at the end of the line; /\s+$/ retried from every space run and was quadratic.
    return parts.join(' '.repeat(GAP)).trimEnd();
  };
  const out = [line(shown.map((i) => headers[i])), line(widths.map((w) => '─'.repeat(w)))];
  const wrapping = limit > 0 && shown.some((i) => columns[i].wrap);
  for (const t of text) {
    if (!wrapping) {
      out.push(line(shown.map((i) => t[i])));
      continue;
    }
    // A wrapped cell gives its row more lines; the other cells sit on the first one.
    const cells = shown.map((i, j) => (columns[i].wrap ? wrapToWidth(t[i], widths[j]) : [t[i]]));
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) out.push(line(cells.map((c) => c[k] ?? '')));
  }
  const hidden = columns.filter((_, i) => !shown.includes(i));
  if (hidden.length > 0) {
    out.push(`(columns not shown at ${limit} column${limit === 1 ? '' : 's'}: ${hidden.map((c) => escapeControl(c.name ?? c.header) || '(unnamed)').join(', ')} — widen the terminal, use --width, or --format json)`);
  }
  return `${out.join('\n')}\n`;
}

function cellText(v: string | number | null | undefined, empty: string): string {
  if (v === null || v === undefined || v === '') return empty;
  return escapeControl(String(v));
}

const priorityOf = (c: TableColumn): number => c.priority ?? PRIORITY.normal;

/** The narrowest a column may become before the table leaves columns out. */
function minimum(natural: number, c: TableColumn): number {
  if (priorityOf(c) <= PRIORITY.key && c.minWidth === undefined) return natural;
  return Math.min(natural, c.minWidth ?? (c.wrap ? WRAP_MIN : 8));
}

/**
 * Which columns to show (indexes into `columns`, in order) and their widths. Without a limit: every column at its
 * natural width. With one: leave out the least important columns (the rightmost first among equals) while even the
 * minimums do not fit, take back any that fit again, then shrink the rest, least important first, widest first
 * within a priority.
 */
function layout(natural: number[], columns: readonly TableColumn[], width: number): { shown: number[]; widths: number[] } {
  let shown = columns.map((_, i) => i);
  if (!width) return { shown, widths: [...natural] };
  const mins = natural.map((n, i) => minimum(n, columns[i]));
  const total = (set: number[], w: (i: number) => number) => set.reduce((a, i) => a + w(i), 0) + GAP * (set.length - 1);
  while (shown.length > 1 && total(shown, (i) => mins[i]) > width) {
    let drop = shown[shown.length - 1];
    for (const i of shown) if (priorityOf(columns[i]) >= priorityOf(columns[drop])) drop = i;
    shown = shown.filter((i) => i !== drop);
  }
  // Leaving out a wide column may have made room for a narrower, less important one left out before it: take it back
  // when it fits without cutting any more important column (those count at their natural width), most important first.
  const left = columns.map((_, i) => i).filter((i) => !shown.includes(i));
  left.sort((a, b) => priorityOf(columns[a]) - priorityOf(columns[b]) || a - b);
  for (const i of left) {
    const next = [...shown, i].sort((a, b) => a - b);
    if (total(next, (k) => (priorityOf(columns[k]) < priorityOf(columns[i]) ? natural[k] : mins[k])) <= width) shown = next;
  }
  const widths = shown.map((i) => natural[i]);
  let sum = total(shown, (i) => natural[i]);
  const levels = [...new Set(shown.map((i) => priorityOf(columns[i])))].sort((a, b) => b - a);
  for (const level of levels) {
    if (sum <= width) break;
    // Only this level's columns may shrink now: the others' floors are their current widths.
    const floors = shown.map((i, j) => (priorityOf(columns[i]) === level ? mins[i] : widths[j]));
    sum = shrink(widths, floors, sum, width);
  }
  // A single column wider than the terminal even at its minimum (a 60-cell width with only a time and an ID left
  // is already handled above): cut it to fit, as a last resort.
  if (sum > width) shrink(widths, widths.map(() => 1), sum, width);
  return { shown, widths };
}

/** Shrink the widest columns, one cell at a time (in whole steps), until the row fits or every column is at its floor. */
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
