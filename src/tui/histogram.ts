// The overview's activity histogram as data: one column per hour or day, long empty stretches folded into a single
// gap column (so a year-long case with two busy weeks still fits), a cursor the user moves, and an optional
// anchor that, with the cursor, marks the time window to apply. Pure; the Histogram component draws it.

import type { HistogramBucket } from '../index/case-overview.js';
import { isoUtc } from '../model/time.js';

export type HistItem = { kind: 'bucket'; start: number; end: number; count: number } | { kind: 'gap'; start: number; end: number };

/** Empty buckets in a row from which the run is folded into one gap column. */
const GAP_MIN = 4;

/** Buckets (non-empty, oldest first) to columns: empty buckets between kept, long empty runs folded. */
export function histogramItems(buckets: readonly HistogramBucket[], unitMs: number): HistItem[] {
  const out: HistItem[] = [];
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    if (i > 0) {
      const prevEnd = buckets[i - 1].start + unitMs;
      const empty = Math.round((b.start - prevEnd) / unitMs);
      if (empty >= GAP_MIN) out.push({ kind: 'gap', start: prevEnd, end: b.start });
      else for (let k = 0; k < empty; k++) out.push({ kind: 'bucket', start: prevEnd + k * unitMs, end: prevEnd + (k + 1) * unitMs, count: 0 });
    }
    out.push({ kind: 'bucket', start: b.start, end: b.start + unitMs, count: b.count });
  }
  return out;
}

/** The next bucket column from `index` in a direction (gaps are skipped); stays put at the ends. */
export function stepCursor(items: readonly HistItem[], index: number, delta: number): number {
  let i = index;
  const dir = Math.sign(delta);
  let left = Math.abs(delta);
  while (left > 0) {
    let j = i + dir;
    while (j >= 0 && j < items.length && items[j].kind === 'gap') j += dir;
    if (j < 0 || j >= items.length) break;
    i = j;
    left--;
  }
  return i;
}

/**
 * The first visible column so that the cursor is shown with up to `margin` columns of context on each side
 * (scrolls only when the columns do not fit).
 */
export function scrollFor(count: number, width: number, cursor: number, current: number, margin = Math.min(8, Math.floor(width / 4))): number {
  if (count <= width) return 0;
  let first = Math.min(current, count - width);
  if (cursor - margin < first) first = cursor - margin;
  if (cursor + margin >= first + width) first = cursor + margin - width + 1;
  return Math.max(0, Math.min(first, count - width));
}

const EIGHTHS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Bar text, top row first: `height` rows, each one character per column. */
export function barRows(items: readonly HistItem[], height: number): string[] {
  const max = Math.max(1, ...items.map((i) => (i.kind === 'bucket' ? i.count : 0)));
  const rows: string[] = new Array(height).fill('');
  for (const it of items) {
    if (it.kind === 'gap') {
      for (let r = 0; r < height; r++) rows[r] += r === height - 1 ? '┊' : ' ';
      continue;
    }
    // Eighths of the full height, at least one eighth for any non-empty bucket.
    const eighths = it.count === 0 ? 0 : Math.max(1, Math.round((it.count / max) * height * 8));
    for (let r = 0; r < height; r++) {
      const fromBottom = height - 1 - r;
      const level = Math.max(0, Math.min(8, eighths - fromBottom * 8));
      rows[r] += EIGHTHS[level];
    }
  }
  return rows;
}

export interface HistSelection {
  /** Column index of the cursor. */
  cursor: number;
  /** Column index of the anchor, or null. */
  anchor: number | null;
}

/** The time window the selection stands for: [start, end) of the buckets between anchor and cursor. */
export function selectionWindow(items: readonly HistItem[], sel: HistSelection): { start: number; end: number } | null {
  const c = items[sel.cursor];
  if (!c) return null;
  const a = sel.anchor === null ? c : items[sel.anchor] ?? c;
  return { start: Math.min(a.start, c.start), end: Math.max(a.end, c.end) };
}

/** Column index of the bucket holding `ms` (or the nearest bucket), for restoring the cursor. */
export function indexAt(items: readonly HistItem[], ms: number): number {
  let best = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (it.kind === 'gap') continue;
    if (ms >= it.start) best = i;
    if (ms < it.end) break;
  }
  return best;
}

export type HistUnit = 'minute' | 'hour' | 'day';

const MINUTE_MS = 60_000;

export const UNIT_MS: Readonly<Record<HistUnit, number>> = { minute: MINUTE_MS, hour: 3_600_000, day: 86_400_000 };

/** Spans up to this are shown per minute (first choice). */
const MINUTES_UP_TO = 6 * UNIT_MS.hour;
/** Spans up to this are shown per hour (first choice); longer ones per day. */
const HOURS_UP_TO = 14 * UNIT_MS.day;
/** Minutes are offered (`u`) only up to this span: beyond it there would be too many columns to count. */
const MINUTES_AT_MOST = 2 * UNIT_MS.day;

/** The unit a span of events is first shown in: ≤ 6 h per minute, ≤ 14 days per hour, else per day. */
export function unitForSpan(spanMs: number | null): HistUnit {
  if (spanMs === null) return 'hour';
  return spanMs <= MINUTES_UP_TO ? 'minute' : spanMs <= HOURS_UP_TO ? 'hour' : 'day';
}

/** The units `u` cycles through for a span (finest first). */
export function unitsForSpan(spanMs: number | null): HistUnit[] {
  return spanMs !== null && spanMs <= MINUTES_AT_MOST ? ['minute', 'hour', 'day'] : ['hour', 'day'];
}

/** Time from the first bucket's start to the last bucket's end (null when there is none). */
export function bucketSpan(buckets: ReadonlyArray<{ start: number }>, unitMs: number): number | null {
  return buckets.length ? buckets[buckets.length - 1].start + unitMs - buckets[0].start : null;
}

/** A column's label on the axis: `2024-02-17` per day, `2024-02-17 10h` per hour, `2024-02-17 10:05` per minute (UTC). */
export function bucketLabel(start: number, unit: HistUnit): string {
  const t = isoUtc(start) ?? '';
  return unit === 'day' ? t.slice(0, 10) : unit === 'hour' ? `${t.slice(0, 10)} ${t.slice(11, 13)}h` : `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

/** The axis line: first and last column's labels, the unit in the middle when it fits. */
export function axisLine(left: string, right: string, unit: HistUnit, width: number): string {
  const mid = `1 column = 1 ${unit}`;
  const room = width - left.length - right.length;
  if (room >= mid.length + 4) {
    const a = Math.floor((room - mid.length) / 2);
    return `${left}${' '.repeat(a)}${mid}${' '.repeat(room - mid.length - a)}${right}`;
  }
  return `${left}${' '.repeat(Math.max(1, room))}${right}`;
}
