// What the triage summary and the Markdown report both derive from a TriageReport before drawing it: times in the
// report's zone, events per day from the hourly activity, coverage gaps per account and region, and the short
// wordings of levels, outcomes and reverts. Pure; the results are plain (unescaped) text for the renderers to escape.

import { LEVELS, type Level } from '../model/detection.js';
import { isoInZone } from '../model/time.js';
import type { ActivityBucket, CoverageCell, RevertStatus, TriageFinding, TriageReport } from '../model/triage.js';

/** Levels most severe first. */
export const LEVELS_DOWN: readonly Level[] = [...LEVELS].reverse();

/** An ISO time from the report shown in `tz`; a value that is not a time is shown as it is, null stays null. */
export function zoned(iso: string | null | undefined, tz: string): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : isoInZone(ms, tz);
}

/** "2 critical, 6 high, 31 medium" (levels with no finding left out), most severe first; "none" when all are 0. */
export function levelCountText(counts: Partial<Record<Level, number>>, levels: readonly Level[] = LEVELS_DOWN): string {
  const parts = levels.filter((l) => (counts[l] ?? 0) > 0).map((l) => `${counts[l]} ${l}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** Findings per level, counted from a list. */
export function countByLevel(findings: readonly TriageFinding[]): Record<Level, number> {
  const out = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const f of findings) out[f.level] = (out[f.level] ?? 0) + 1;
  return out;
}

/** "succeeded", "failed (AccessDenied)", "mixed (AccessDenied, TrailNotFound +1)". */
export function outcomeText(f: TriageFinding): string {
  return f.outcome === 'succeeded' || f.errorCodes.length === 0 ? f.outcome : `${f.outcome} (${moreList(f.errorCodes, 2)})`;
}

/** "reverted", "partly reverted", "not reverted"; null when a revert does not apply. */
export function revertText(r: RevertStatus): string | null {
  switch (r.state) {
    case 'reverted':
      return 'reverted';
    case 'partly-reverted':
      return 'partly reverted';
    case 'not-reverted':
      return 'not reverted';
    default:
      return null;
  }
}

/** "a, b (+3)". */
/** How a suspect window was found, as a parenthesis (" (first-anomaly, confidence high)"), empty when unknown. */
export function windowHow(w: { source: string | null; confidence: string | null }): string {
  const parts = [w.source, w.confidence ? `confidence ${w.confidence}` : null].filter((x): x is string => !!x);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function moreList(list: readonly string[], n: number): string {
  return list.length <= n ? list.join(', ') : `${list.slice(0, n).join(', ')} (+${list.length - n})`;
}

/** "1142 log, 456 digest" from a kind → count map, largest first. */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${n} ${k}`);
  return parts.length ? parts.join(', ') : 'none';
}

export interface DayActivity {
  /** YYYY-MM-DD in the report's zone. */
  day: string;
  events: number;
  flagged: number;
  /** Hours of that day with at least one event. */
  activeHours: number;
}

/** The hourly activity summed per day in `tz` (a day starts at midnight there), oldest first. */
export function dailyActivity(activity: readonly ActivityBucket[], tz: string): DayActivity[] {
  const days = new Map<string, DayActivity>();
  for (const b of activity) {
    const local = zoned(b.start, tz) ?? b.start;
    const day = /^[+-]?\d{4,6}-\d{2}-\d{2}/.exec(local)?.[0] ?? local;
    const d = days.get(day) ?? { day, events: 0, flagged: 0, activeHours: 0 };
    d.events += b.events;
    d.flagged += b.flagged;
    if (b.events > 0) d.activeHours += 1;
    days.set(day, d);
  }
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

export interface DayGap {
  /** First and last day without events (inclusive). */
  start: string;
  end: string;
  days: number;
}

export interface StreamCoverage {
  account: string;
  region: string;
  events: number;
  /** Days with events. */
  activeDays: number;
  firstDay: string;
  lastDay: string;
  /** Runs of days without events between the evidence's first and last day (over all accounts and regions). */
  gaps: DayGap[];
}

const DAY_MS = 86_400_000;
const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const dayText = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Coverage per account and region: events, active days, and the runs of days with no events inside the evidence's
 * day range (the days any account or region has events). Linear in the cells: gaps come from the distance between
 * neighbouring active days, never from walking the calendar. Cells whose day is not a date are counted but make no gap.
 */
export function coverageStreams(cells: readonly CoverageCell[]): StreamCoverage[] {
  const byStream = new Map<string, { account: string; region: string; events: number; days: Set<string> }>();
  let first = Infinity;
  let last = -Infinity;
  for (const c of cells) {
    const key = JSON.stringify([c.account, c.region]);
    const s = byStream.get(key) ?? { account: c.account, region: c.region, events: 0, days: new Set<string>() };
    s.events += c.events;
    if (c.events > 0) s.days.add(c.day);
    byStream.set(key, s);
    const ms = dayMs(c.day);
    if (c.events > 0 && !Number.isNaN(ms)) {
      first = Math.min(first, ms);
      last = Math.max(last, ms);
    }
  }
  const out: StreamCoverage[] = [];
  for (const s of byStream.values()) {
    const days = [...s.days].filter((d) => !Number.isNaN(dayMs(d))).sort();
    const gaps: DayGap[] = [];
    const gap = (fromMs: number, toMs: number) => {
      const n = Math.round((toMs - fromMs) / DAY_MS) + 1;
      if (n > 0) gaps.push({ start: dayText(fromMs), end: dayText(toMs), days: n });
    };
    if (days.length) {
      gap(first, dayMs(days[0]) - DAY_MS);
      for (let i = 1; i < days.length; i++) gap(dayMs(days[i - 1]) + DAY_MS, dayMs(days[i]) - DAY_MS);
      gap(dayMs(days[days.length - 1]) + DAY_MS, last);
    }
    out.push({ account: s.account, region: s.region, events: s.events, activeDays: s.days.size, firstDay: days[0] ?? '', lastDay: days[days.length - 1] ?? '', gaps });
  }
  return out.sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
}

/** "2024-02-18 – 2025-02-09 (358 days)". */
export function gapText(g: DayGap): string {
  return g.start === g.end ? `${g.start} (1 day)` : `${g.start} – ${g.end} (${g.days} days)`;
}

/** The titles of the findings an actor is behind, in the report's order, each once (`Sensitive port opened (×3)`). */
export function actorFindingTitles(report: TriageReport, findingIds: readonly string[]): string[] {
  const ids = new Set(findingIds);
  const counts = new Map<string, number>();
  for (const f of report.findings) if (ids.has(f.id)) counts.set(f.title, (counts.get(f.title) ?? 0) + 1);
  return [...counts].map(([title, n]) => (n > 1 ? `${title} (×${n})` : title));
}

/** The headline: findings by level, blind spots by severity, the exit code. */
export function headline(report: TriageReport): string {
  const high = report.blindSpots.filter((b) => b.severity === 'high').length;
  const spots = report.blindSpots.length === 0 ? 'no blind spots' : `${report.blindSpots.length} blind spot${report.blindSpots.length === 1 ? '' : 's'}${high ? ` (${high} high)` : ''}`;
  const total = LEVELS.reduce((a, l) => a + (report.findingCounts[l] ?? 0), 0);
  const findings = total === 0 ? 'no findings' : `${total} finding${total === 1 ? '' : 's'}: ${levelCountText(report.findingCounts)}`;
  return `${findings}; ${spots}; exit code ${report.exitCode}`;
}
