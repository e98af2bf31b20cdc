// The report's charts as inline SVG (no script, no external asset; CSP allows SVG presentation attributes, so sizes
// and positions are attributes and colours are classes of the hashed stylesheet): events over time with findings
// marked, the account × region × day coverage heat map with its gaps, and the small bars of the stack counts.
// Labels from evidence (account, region, finding titles) go through the one escaper; tooltips are SVG <title>s.

import type { ActivityBucket, CoverageCell, TriageFinding } from '../../model/triage.js';
import { isoUtc, msFromIso } from '../../model/time.js';
import { html, type Html } from './escape.js';
import { count } from './format.js';
import { isoInZone } from '../../model/time.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Bin widths the activity chart picks from: the finest that keeps the chart at most MAX_BINS bars wide. */
const BIN_HOURS = [1, 2, 3, 6, 12, 24, 48, 168, 720];
const MAX_BINS = 240;

/** A number rounded for an SVG attribute (short files, stable output). */
function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** The smallest and largest of many numbers (no spread: a long case has more hours than a call's arguments). */
function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Cut a label for a chart axis; the full text goes in a <title>. */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function binLabel(hours: number): string {
  if (hours < 24) return hours === 1 ? 'hour' : `${hours} hours`;
  if (hours === 24) return 'day';
  if (hours === 168) return 'week';
  if (hours === 720) return '30 days';
  return `${hours / 24} days`;
}

/** Where a finding points in the report: its row in the findings table. */
export type FindingAnchor = (finding: TriageFinding) => string;

export interface ActivityChart {
  svg: Html;
  /** "events per 6 hours". */
  binText: string;
  /** Silences cut out of the time axis. */
  cuts: number;
}

/** A stretch of time the activity chart draws; long silences between stretches are cut out of the axis. */
interface Segment {
  start: number;
  end: number;
  x0: number;
  width: number;
}

/** A silence longer than this (and than an eighth of the evidence's span) is cut out of the time axis. */
const CUT_AFTER = 2 * DAY;
/** Width of the hatched band that stands for a cut silence. */
const CUT_WIDTH = 28;

/**
 * Events over time (grey), events findings cite (red), and a marker per finding at its first event (by level). A
 * long silence (no events for days; the sample's year between StopLogging and StartLogging) is cut out of the axis
 * and drawn as a hatched band that says how long it was, so the active stretches keep their detail.
 */
export function activityChart(buckets: readonly ActivityBucket[], findings: readonly TriageFinding[], tz: string, anchor: FindingAnchor): ActivityChart | null {
  const points = buckets
    .map((b) => ({ t: msFromIso(b.start), events: b.events, flagged: b.flagged }))
    .filter((p) => Number.isFinite(p.t))
    .sort((p, q) => p.t - q.t);
  if (points.length === 0) return null;
  const span = points[points.length - 1].t + HOUR - points[0].t;
  const cut = Math.max(CUT_AFTER, span / 8);
  const stretches: Array<{ start: number; end: number }> = [];
  for (const p of points) {
    const last = stretches[stretches.length - 1];
    if (last && p.t - last.end <= cut) last.end = Math.max(last.end, p.t + HOUR);
    else stretches.push({ start: p.t, end: p.t + HOUR });
  }
  const active = stretches.reduce((n, s) => n + (s.end - s.start), 0);
  const hours = BIN_HOURS.find((h) => active / (h * HOUR) <= MAX_BINS) ?? BIN_HOURS[BIN_HOURS.length - 1];
  const binMs = hours * HOUR;
  for (const s of stretches) {
    s.start = Math.floor(s.start / binMs) * binMs;
    s.end = Math.ceil(s.end / binMs) * binMs;
  }
  const bins = new Map<number, { events: number; flagged: number }>();
  for (const p of points) {
    const k = Math.floor(p.t / binMs) * binMs;
    const b = bins.get(k) ?? { events: 0, flagged: 0 };
    b.events += p.events;
    b.flagged += p.flagged;
    bins.set(k, b);
  }

  const W = 1000;
  const H = 240;
  const left = 56;
  const right = 12;
  const top = 18;
  const bottom = 36;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  // Each stretch gets width in proportion to its length, but at least a tenth of what is left after the cut bands.
  const room = plotW - CUT_WIDTH * (stretches.length - 1);
  const binned = stretches.reduce((n, s) => n + (s.end - s.start), 0);
  const raw = stretches.map((s) => Math.max(room / 10 / stretches.length, ((s.end - s.start) / binned) * room));
  const scale = room / raw.reduce((n, w) => n + w, 0);
  const segments: Segment[] = [];
  let at = left;
  stretches.forEach((s, i) => {
    segments.push({ ...s, x0: at, width: raw[i] * scale });
    at += raw[i] * scale + CUT_WIDTH;
  });
  const segmentOf = (t: number): Segment | null => segments.find((g) => t >= g.start && t <= g.end) ?? null;
  const x = (t: number, g: Segment) => g.x0 + ((t - g.start) / (g.end - g.start)) * g.width;
  const max = Math.max(1, extent([...bins.values()].map((b) => b.events))[1]);
  const y = (n: number) => top + plotH - (n / max) * plotH;
  const dayish = hours >= 24 || active > 4 * DAY;
  const label = (t: number) => {
    const text = isoInZone(t, tz).replace('T', ' ');
    return dayish ? text.slice(0, 10) : text.slice(0, 16);
  };

  const bars = [...bins.entries()].sort((p, q) => p[0] - q[0]).flatMap(([k, b]) => {
    const g = segmentOf(k);
    if (!g) return [];
    const bx = x(k, g);
    const bw = Math.max(1, (binMs / (g.end - g.start)) * g.width - (g.width / ((g.end - g.start) / binMs) > 3 ? 1 : 0));
    const tip = `${label(k)}: ${count(b.events)} events, ${count(b.flagged)} cited by findings (${binLabel(hours)} from ${isoUtc(k)})`;
    const flagH = b.flagged > 0 ? Math.max(2, (b.flagged / max) * plotH) : 0;
    return [
      html`<g><title>${tip}</title><rect class="bar" x="${r(bx)}" y="${r(y(b.events))}" width="${r(bw)}" height="${r(top + plotH - y(b.events))}"/>${
        flagH > 0 ? html`<rect class="flag" x="${r(bx)}" y="${r(top + plotH - flagH)}" width="${r(bw)}" height="${r(flagH)}"/>` : ''
      }</g>`,
    ];
  });

  const cuts = segments.slice(1).map((g, i) => {
    const before = segments[i];
    const cx = before.x0 + before.width;
    const days = Math.round((g.start - before.end) / DAY);
    return html`<g><title>No events for ${count(days)} days: ${label(before.end)} to ${label(g.start)} (cut from the time axis)</title><rect class="gap" x="${r(cx + 4)}" y="${top}" width="${CUT_WIDTH - 8}" height="${plotH}"/><text x="${r(cx + CUT_WIDTH / 2)}" y="${r(top - 4)}" text-anchor="middle">${count(days)} d</text></g>`;
  });

  const marks = findings.flatMap((f) => {
    const t = msFromIso(f.firstTime);
    const g = Number.isFinite(t) ? segmentOf(t) : null;
    if (!g) return [];
    const mx = r(x(t, g));
    return [
      html`<a href="#${anchor(f)}"><g class="level-${f.level}"><title>${f.level}: ${f.title} (${label(t)})</title><line class="mark" x1="${mx}" y1="${r(top)}" x2="${mx}" y2="${r(top + plotH)}"/><path d="M${mx} ${r(top)} l-5 -9 h10 z"/></g></a>`,
    ];
  });

  // Ticks: the start and end of each stretch, and evenly between them when the stretch is wide enough.
  const ticks: Html[] = [];
  for (const g of segments) {
    const n = Math.max(1, Math.floor(g.width / 150));
    for (let i = 0; i <= n; i++) {
      if (i > 0 && i < n && g.width / n < 110) continue;
      const t = g.start + ((g.end - g.start) * i) / n;
      const tx = x(t, g);
      const anchorAt = i === 0 ? 'start' : i === n ? 'end' : 'middle';
      if (n === 1 && i === 1 && g.width < 150) continue;
      ticks.push(html`<line class="axis" x1="${r(tx)}" y1="${r(top + plotH)}" x2="${r(tx)}" y2="${r(top + plotH + 4)}"/><text x="${r(tx)}" y="${r(H - 18)}" text-anchor="${anchorAt}">${label(t)}</text>`);
    }
  }

  const svg = html`<svg class="chart activity" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Events over time"><title>Events per ${binLabel(hours)}; findings marked at their first event</title>
<line class="axis" x1="${left}" y1="${r(top + plotH)}" x2="${W - right}" y2="${r(top + plotH)}"/><line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${r(top + plotH)}"/>
<text x="${left - 6}" y="${r(top + 8)}" text-anchor="end">${count(max)}</text><text x="${left - 6}" y="${r(top + plotH)}" text-anchor="end">0</text>
${bars}
${cuts}
${marks}
${ticks}
<text x="${W - right}" y="${H - 4}" text-anchor="end">${tz}</text>
</svg>`;
  return { svg, binText: `events per ${binLabel(hours)}`, cuts: cuts.length };
}

export interface HeatMap {
  svg: Html;
  /** "day", "week" or "30 days": what one column is. */
  columnText: string;
  rows: number;
  columns: number;
  /** Cells with no events inside the evidence's range. */
  gaps: number;
}

const MAX_COLUMNS = 120;

/**
 * Rows account × region, columns days (or weeks, or 30 days when the evidence spans long), coloured by events
 * (log scale, five steps); a cell with no events is a gap, hatched in red. Days are UTC days, as the model gives them.
 */
export function coverageHeatMap(cells: readonly CoverageCell[]): HeatMap | null {
  const parsed = cells.map((c) => ({ ...c, t: Date.parse(`${c.day}T00:00:00Z`) })).filter((c) => Number.isFinite(c.t));
  if (parsed.length === 0) return null;
  const [first, last] = extent(parsed.map((c) => c.t));
  const days = Math.round((last - first) / DAY) + 1;
  const span = [1, 7, 30].find((d) => Math.ceil(days / d) <= MAX_COLUMNS) ?? Math.ceil(days / MAX_COLUMNS);
  const columns = Math.ceil(days / span);
  const rowKeys = [...new Set(parsed.map((c) => JSON.stringify([c.account, c.region])))].sort();
  const rowIndex = new Map(rowKeys.map((k, i) => [k, i]));
  const grid: number[][] = rowKeys.map(() => new Array<number>(columns).fill(0));
  for (const c of parsed) grid[rowIndex.get(JSON.stringify([c.account, c.region]))!][Math.floor(Math.round((c.t - first) / DAY) / span)] += c.events;
  const max = Math.max(1, extent(grid.flat())[1]);

  const labelW = 230;
  const cw = Math.max(6, Math.min(18, Math.floor(900 / columns)));
  const ch = 16;
  const top = 22;
  const W = labelW + columns * cw + 8;
  const H = top + rowKeys.length * ch + 8;
  const colStart = (i: number) => first + i * span * DAY;
  const dayText = (t: number) => new Date(t).toISOString().slice(0, 10);
  const colText = (i: number) => (span === 1 ? dayText(colStart(i)) : `${dayText(colStart(i))} … ${dayText(Math.min(last, colStart(i + 1) - DAY))}`);
  const step = Math.max(1, Math.ceil(90 / cw));
  let gaps = 0;

  const rows = rowKeys.map((key, ri) => {
    const [account, region] = JSON.parse(key) as [string, string];
    const name = `${account} ${region}`;
    const y = top + ri * ch;
    const rects = grid[ri].map((n, ci) => {
      const cls = n === 0 ? 'gap' : `heat-${Math.min(5, 1 + Math.floor((Math.log10(n) / Math.log10(max + 1)) * 5))}`;
      if (n === 0) gaps++;
      return html`<rect class="${cls}" x="${labelW + ci * cw}" y="${y}" width="${cw - 1}" height="${ch - 1}"><title>${name}, ${colText(ci)}: ${n === 0 ? 'no events (gap)' : `${count(n)} events`}</title></rect>`;
    });
    return html`<g><text x="${labelW - 6}" y="${y + ch - 4}" text-anchor="end"><title>${name}</title>${cut(account, 14)} ${cut(region, 16)}</text>${rects}</g>`;
  });
  const heads: Html[] = [];
  for (let ci = 0; ci < columns; ci += step) heads.push(html`<text x="${labelW + ci * cw}" y="${top - 6}">${dayText(colStart(ci))}</text>`);

  const svg = html`<svg class="chart heatmap" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Coverage by account, region and ${span === 1 ? 'day' : 'period'}"><defs>${GAP_PATTERN}</defs>
${heads}
${rows}
</svg>`;
  return { svg, columnText: span === 1 ? 'day' : span === 7 ? 'week' : `${span} days`, rows: rowKeys.length, columns, gaps };
}

/** The hatch that marks a gap cell (also used by the legend). */
export const GAP_PATTERN = html`<pattern id="gap-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="#fff"/><line class="hatch-line" x1="0" y1="0" x2="0" y2="4"/></pattern>`;

/** The legend swatch for a heat-map class. */
export function swatch(cls: string): Html {
  return html`<svg viewBox="0 0 14 14" width="14" height="14" aria-hidden="true"><rect class="${cls}" width="14" height="14"/></svg>`;
}

/** A horizontal bar of `value` against `max`, with the errors part in red. */
export function barLine(value: number, errors: number, max: number): Html {
  const w = max > 0 ? (value / max) * 160 : 0;
  const e = max > 0 ? (Math.min(errors, value) / max) * 160 : 0;
  return html`<svg class="barline" viewBox="0 0 160 10" width="160" height="10" aria-hidden="true"><rect x="0" y="0" width="${r(w)}" height="10"/>${e > 0 ? html`<rect class="err" x="${r(w - e)}" y="0" width="${r(e)}" height="10"/>` : ''}</svg>`;
}
