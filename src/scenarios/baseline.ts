// Baselines: what a principal normally does (source IPs, regions, services, user agents, hours of the day) and the
// first event that departs from it. Pure.

import { zoneOffsetAt } from '../model/time.js';

export interface ActivityLike {
  eventTime: number | null;
  sourceIPAddress: string | null;
  awsRegion: string | null;
  eventSource: string | null;
  userAgent: string | null;
}

export const DAY_MS = 86_400_000;

/** Fewer events than this before a time and the history says nothing about what is usual. */
export const MIN_BASELINE_EVENTS = 5;

export interface Baseline {
  start: number | null;
  end: number | null;
  eventCount: number;
  ips: Set<string>;
  regions: Set<string>;
  services: Set<string>;
  /** User-agent families (userAgentFamily). */
  userAgents: Set<string>;
  /** Local hours (0-23 in the zone) considered usual: hours with activity, widened by one hour either side. */
  usualHours: Set<number> | null;
}

/** Is this a network address (as opposed to `AWS Internal` or a service name such as ec2.amazonaws.com)? */
export function isIpAddress(v: string | null): boolean {
  if (!v) return false;
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(v) || (/^[0-9a-f:]+$/i.test(v) && v.includes(':'));
}

/**
 * A user agent without the per-command parts aws-cli and the SDKs append (`command/ec2.describe-instances`,
 * `md/command#...`), so that one tool on one machine is one agent.
 */
export function userAgentFamily(ua: string | null): string | null {
  if (!ua) return null;
  return ua.replace(/\s+(command\/|md\/command#)\S*/g, '').trim() || ua;
}

const HOUR_MS = 3_600_000;
const offsetCache = new Map<string, Map<number, number>>();

export function localHour(ms: number, tz: string): number {
  // Zone offsets change at most on hour boundaries: cache them per UTC hour (Intl is slow per call).
  let byHour = offsetCache.get(tz);
  if (!byHour) offsetCache.set(tz, (byHour = new Map()));
  const h = Math.floor(ms / HOUR_MS);
  let off = byHour.get(h);
  if (off === undefined) {
    // zoneOffsetAt takes a wall time; fed the instant it can be an hour off only within a DST transition.
    off = zoneOffsetAt(tz, h * HOUR_MS);
    if (byHour.size > 100_000) byHour.clear();
    byHour.set(h, off);
  }
  return new Date(ms + off).getUTCHours();
}

export function buildBaseline(rows: readonly ActivityLike[], tz: string): Baseline {
  const b: Baseline = {
    start: null,
    end: null,
    eventCount: 0,
    ips: new Set(),
    regions: new Set(),
    services: new Set(),
    userAgents: new Set(),
    usualHours: null,
  };
  const hours = new Array<number>(24).fill(0);
  for (const r of rows) {
    b.eventCount++;
    if (r.eventTime != null) {
      if (b.start == null || r.eventTime < b.start) b.start = r.eventTime;
      if (b.end == null || r.eventTime > b.end) b.end = r.eventTime;
      hours[localHour(r.eventTime, tz)]++;
    }
    if (r.sourceIPAddress) b.ips.add(r.sourceIPAddress);
    if (r.awsRegion) b.regions.add(r.awsRegion);
    if (r.eventSource) b.services.add(r.eventSource);
    if (r.userAgent) b.userAgents.add(userAgentFamily(r.userAgent)!);
  }
  if (b.eventCount >= MIN_BASELINE_EVENTS) {
    b.usualHours = new Set();
    for (let h = 0; h < 24; h++) {
      if (hours[h] > 0) for (const d of [-1, 0, 1]) b.usualHours.add((h + d + 24) % 24);
    }
  }
  return b;
}

export interface Anomaly {
  /** Index into the candidate list. */
  index: number;
  time: number;
  reasons: string[];
}

function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/**
 * The history a baseline is built from: events before `before` on the `activeDays` most recent days (UTC) on which
 * the history has any event. Days without evidence do not count, so a gap in logging does not empty the baseline.
 */
export function baselineSlice<T extends ActivityLike>(history: readonly T[], before: number, activeDays: number): T[] {
  const prior = history.filter((h) => h.eventTime != null && h.eventTime < before);
  const days = [...new Set(prior.map((h) => utcDay(h.eventTime!)))].sort((a, b) => a - b);
  if (days.length === 0) return [];
  const first = days[Math.max(0, days.length - activeDays)];
  return prior.filter((h) => utcDay(h.eventTime!) >= first);
}

/**
 * The first candidate event that departs from the principal's history on the `activeDays` most recent active days
 * before it: a source IP never seen in that history (the strongest sign), else a region or user agent never seen.
 * Needs at least MIN_BASELINE_EVENTS of history before the event. `history` and `candidates` must be sorted by time.
 */
export function findFirstAnomaly(
  history: readonly ActivityLike[],
  candidates: readonly ActivityLike[],
  activeDays: number,
): Anomaly | null {
  const counts = { ip: new Map<string, number>(), region: new Map<string, number>(), ua: new Map<string, number>() };
  const inc = (m: Map<string, number>, k: string | null, d: number) => {
    if (!k) return;
    const n = (m.get(k) ?? 0) + d;
    if (n <= 0) m.delete(k);
    else m.set(k, n);
  };
  const apply = (r: ActivityLike, d: number) => {
    inc(counts.ip, r.sourceIPAddress, d);
    inc(counts.region, r.awsRegion, d);
    inc(counts.ua, userAgentFamily(r.userAgent), d);
  };
  const days: number[] = []; // distinct active days added so far, ascending
  let lo = 0;
  let hi = 0;
  let size = 0;
  let weak: Anomaly | null = null;
  const span = `on the owner's last ${activeDays} active days`;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c.eventTime == null) continue;
    while (hi < history.length && (history[hi].eventTime == null || history[hi].eventTime! < c.eventTime)) {
      const h = history[hi++];
      if (h.eventTime == null) continue;
      const d = utcDay(h.eventTime);
      if (days.length === 0 || days[days.length - 1] !== d) days.push(d);
      apply(h, 1);
      size++;
    }
    const firstDay = days.length ? days[Math.max(0, days.length - activeDays)] : 0;
    while (lo < hi && (history[lo].eventTime == null || utcDay(history[lo].eventTime!) < firstDay)) {
      if (history[lo].eventTime != null) {
        apply(history[lo], -1);
        size--;
      }
      lo++;
    }
    if (size < MIN_BASELINE_EVENTS) continue;
    if (isIpAddress(c.sourceIPAddress) && !counts.ip.has(c.sourceIPAddress!)) {
      const reasons = [`source IP ${c.sourceIPAddress} not seen ${span}`];
      if (c.awsRegion && !counts.region.has(c.awsRegion)) reasons.push(`region ${c.awsRegion} not seen before`);
      if (c.userAgent && !counts.ua.has(userAgentFamily(c.userAgent)!)) reasons.push('user agent not seen before');
      return { index: i, time: c.eventTime, reasons };
    }
    if (!weak) {
      const reasons: string[] = [];
      if (c.awsRegion && !counts.region.has(c.awsRegion)) reasons.push(`region ${c.awsRegion} not seen ${span}`);
      if (c.userAgent && !counts.ua.has(userAgentFamily(c.userAgent)!)) reasons.push(`user agent not seen ${span}`);
      if (reasons.length) weak = { index: i, time: c.eventTime, reasons };
    }
  }
  return weak;
}

/** Marks of one event against a baseline (null when there is no usable baseline). */
export interface NoveltyMarks {
  new: boolean | null;
  newIp: boolean | null;
  newRegion: boolean | null;
  newService: boolean | null;
  newUserAgent: boolean | null;
  outsideUsualHours: boolean | null;
}

export function marksFor(ev: ActivityLike, b: Baseline | null, tz: string): NoveltyMarks {
  if (!b || b.eventCount < MIN_BASELINE_EVENTS) {
    return { new: null, newIp: null, newRegion: null, newService: null, newUserAgent: null, outsideUsualHours: null };
  }
  const newIp = ev.sourceIPAddress ? !b.ips.has(ev.sourceIPAddress) : null;
  const newRegion = ev.awsRegion ? !b.regions.has(ev.awsRegion) : null;
  const newService = ev.eventSource ? !b.services.has(ev.eventSource) : null;
  const newUserAgent = ev.userAgent ? !b.userAgents.has(userAgentFamily(ev.userAgent)!) : null;
  const outsideUsualHours = ev.eventTime != null && b.usualHours ? !b.usualHours.has(localHour(ev.eventTime, tz)) : null;
  return {
    new: !!(newIp || newRegion || newService || newUserAgent),
    newIp,
    newRegion,
    newService,
    newUserAgent,
    outsideUsualHours,
  };
}
