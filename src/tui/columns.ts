// Event-list columns sized to the terminal: the most useful columns first, lower-priority ones dropped when the
// width runs out, and the spare width shared by the columns that can use it. Cells are escaped (attacker-controlled
// text never reaches the terminal raw) and cut to their width with …

import type { EventRow } from '../index/event-rows.js';
import { escapeControl } from '../model/escape.js';
import { padToWidth, truncateToWidth, displayWidth } from '../report/width.js';
import { isoInZone } from '../model/time.js';

export interface ListColumn {
  key: string;
  header: string;
  /** Lower shows first; columns are dropped from the highest priority number up. */
  priority: number;
  min: number;
  /** Grown to this first, before any column grows to its max. */
  comfortable?: number;
  max: number;
  value: (r: EventRow, ctx: CellContext) => string;
}

export interface CellContext {
  tz: string;
  trust?: Map<number, string>;
}

/** Event time for lists: `2024-02-17 10:00:05` in UTC, with the offset in another zone. */
export function listTime(ms: number | null, tz: string): string {
  const iso = isoInZone(ms, tz);
  if (!iso) return '(no time)';
  // In another zone a time ends in Z only when it could not be shown there (isoInZone's UTC fallback): keep the Z.
  return iso.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, /^(utc|z|gmt)$/i.test(tz) ? '' : 'Z');
}

const service = (s: string | null): string => (s ?? '').replace(/\.amazonaws\.com$/, '');

const LIST_COLUMNS: readonly ListColumn[] = [
  { key: 'time', header: 'Time', priority: 0, min: 19, max: 19, value: (r, c) => listTime(r.eventTime, c.tz) },
  { key: 'eventName', header: 'Event name', priority: 0, min: 14, comfortable: 24, max: 34, value: (r) => r.eventName ?? '' },
  { key: 'username', header: 'User name', priority: 1, min: 10, comfortable: 18, max: 28, value: (r) => r.username ?? '' },
  { key: 'accessKey', header: 'Access key', priority: 1, min: 20, max: 20, value: (r) => r.accessKeyId ?? '' },
  { key: 'sourceIp', header: 'Source IP', priority: 2, min: 15, max: 39, value: (r) => r.sourceIPAddress ?? '' },
  { key: 'region', header: 'Region', priority: 4, min: 9, max: 14, value: (r) => r.awsRegion ?? '' },
  { key: 'error', header: 'Error', priority: 3, min: 12, max: 28, value: (r) => r.errorCode ?? '' },
  { key: 'service', header: 'Service', priority: 5, min: 8, max: 20, value: (r) => service(r.eventSource) },
  { key: 'trust', header: 'Trust', priority: 6, min: 11, max: 11, value: (r, c) => c.trust?.get(r.id) ?? '' },
  { key: 'account', header: 'Account', priority: 7, min: 12, max: 12, value: (r) => r.recipientAccountId ?? '' },
];

/** Priority of a column whose value the filter fixes: after every other column. */
const CONSTANT_PRIORITY = 100;

/**
 * Columns whose value is the same on every row under these filter terms (one exact value of an exact-match key), so
 * they tell nothing: with `access-key:AKIA…` every row has that key. They go last, giving their width to the others.
 */
export function constantColumns(terms: ReadonlyArray<{ key: string; value: string }>): string[] {
  const exact: Record<string, string> = { 'access-key': 'accessKey', region: 'region', 'event-source': 'service', 'source-ip': 'sourceIp' };
  const out: string[] = [];
  for (const [key, column] of Object.entries(exact)) {
    const mine = terms.filter((t) => t.key === key);
    if (mine.length !== 1) continue;
    const v = mine[0].value.trim();
    // One value: no OR list; for source IPs a plain address, not a CIDR block or a service name pattern.
    if (!v || v.includes(',') || (key === 'source-ip' && v.includes('/'))) continue;
    out.push(column);
  }
  return out;
}

export interface Layout {
  columns: Array<ListColumn & { width: number }>;
}

const GAP = 1;

/** Choose and size columns for a width (the marker column takes 2 cells). */
export function layoutColumns(width: number, options: { trust: boolean; tz: string; constant?: readonly string[] }): Layout {
  const usable = Math.max(20, width - 2);
  const constant = new Set(options.constant ?? []);
  const all = LIST_COLUMNS.filter((c) => c.key !== 'trust' || options.trust).map((c) => (c.key === 'time' && options.tz !== 'UTC' ? { ...c, min: 25, max: 25 } : c));
  // Columns the filter makes constant move to the end, with the lowest priority.
  const candidates = [...all.filter((c) => !constant.has(c.key)), ...all.filter((c) => constant.has(c.key)).map((c) => ({ ...c, priority: CONSTANT_PRIORITY }))];
  const byPriority = [...candidates].sort((a, b) => a.priority - b.priority);
  const chosen: ListColumn[] = [];
  let used = 0;
  for (const c of byPriority) {
    const need = c.min + (chosen.length ? GAP : 0);
    if (used + need > usable) {
      // Strict priority: once a column does not fit, the less important ones do not take its place.
      if (chosen.length === 0) {
        chosen.push(c);
        used = usable;
      }
      break;
    }
    chosen.push(c);
    used += need;
  }
  const widths = new Map(chosen.map((c) => [c.key, c.min]));
  let spare = usable - used;
  // Share the spare width by priority: first up to each column's comfortable width, then up to its max.
  for (const cap of [(c: ListColumn) => c.comfortable ?? c.min, (c: ListColumn) => c.max]) {
    for (const c of [...chosen].sort((a, b) => a.priority - b.priority)) {
      if (spare <= 0) break;
      const w = widths.get(c.key)!;
      const add = Math.max(0, Math.min(spare, cap(c) - w));
      widths.set(c.key, w + add);
      spare -= add;
    }
  }
  const columns = candidates.filter((c) => widths.has(c.key)).map((c) => ({ ...c, width: widths.get(c.key)! }));
  return { columns };
}

/** One cell: escaped, cut and padded to its width. */
export function cell(text: string, width: number): string {
  return padToWidth(truncateToWidth(escapeControl(text), width), width);
}

export function headerLine(layout: Layout): string {
  return `  ${layout.columns.map((c) => cell(c.header, c.width)).join(' '.repeat(GAP))}`.trimEnd();
}

export function rowLine(layout: Layout, r: EventRow, ctx: CellContext, selected: boolean): string {
  const text = layout.columns.map((c) => cell(c.value(r, ctx), c.width)).join(' '.repeat(GAP));
  return `${selected ? '> ' : '  '}${text}`.trimEnd();
}

/** Fit arbitrary text into a line of `width` cells (escaped). */
export function fitLine(text: string, width: number): string {
  const t = escapeControl(text);
  return displayWidth(t) <= width ? t : truncateToWidth(t, width);
}
