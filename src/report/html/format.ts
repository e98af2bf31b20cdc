// Small formatters the report's sections share: times in the report's zone with UTC on hover, time spans, counts,
// level badges and lists. Everything returns Html built with the one escaper (escape.ts).

import { isoInZone, isoUtc, msFromIso } from '../../model/time.js';
import type { Level } from '../../model/detection.js';
import { html, joinHtml, type Html } from './escape.js';

/** `2024-02-17T19:00:00+09:00` shown as `2024-02-17 19:00:00 +09:00`; UTC as `2024-02-17 10:00:00Z`. */
function readable(iso: string): string {
  return iso.replace('T', ' ').replace(/([+-]\d{2}:\d{2})$/, ' $1');
}

/** A time in the report's zone; the UTC time in the title (hover) and the datetime attribute. Unreadable: as given. */
export function timeHtml(iso: string | null, tz: string): Html {
  if (iso === null) return html`<span class="none">—</span>`;
  const ms = msFromIso(iso);
  if (Number.isNaN(ms)) return html`<span class="bad-time">${iso}</span>`;
  const utc = isoUtc(ms);
  return html`<time datetime="${utc}" title="${utc}">${readable(isoInZone(ms, tz))}</time>`;
}

/** A span `first → last` (one time when both are the same). */
export function spanHtml(first: string | null, last: string | null, tz: string): Html {
  if (first === null && last === null) return html`<span class="none">—</span>`;
  if (first === last || last === null) return timeHtml(first, tz);
  if (first === null) return timeHtml(last, tz);
  return html`${timeHtml(first, tz)} → ${timeHtml(last, tz)}`;
}

/** Milliseconds of a time for sorting (data-sort); '' when unreadable, so those sort first. */
export function sortTime(iso: string | null): string {
  const ms = msFromIso(iso);
  return Number.isNaN(ms) ? '' : String(ms);
}

/** 1234567 as `1,234,567`. */
export function count(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : String(n);
}

/** A level as a coloured badge (class level-<level>). */
export function levelBadge(level: Level): Html {
  return html`<span class="badge level-${level}">${level}</span>`;
}

/** Values as `<code>` items separated by commas; `max` shown, the rest counted. */
export function codeList(values: readonly string[], max = Infinity): Html {
  if (values.length === 0) return html`<span class="none">—</span>`;
  const shown = values.slice(0, max).map((v) => html`<code>${v}</code>`);
  const rest = values.length - shown.length;
  return html`${joinHtml(shown, ', ')}${rest > 0 ? html` <span class="more">(+${count(rest)} more)</span>` : ''}`;
}

/** Durations as people read them: `850 ms`, `12.4 s`, `3 min 05 s`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
