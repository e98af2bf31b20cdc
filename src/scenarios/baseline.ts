// Baselines: what a principal normally does (source IPs, networks, regions, services, user-agent families, hours of
// the day), how much history that rests on (its strength), and the first event that departs from it on several
// agreeing signals. Pure.

import { zoneOffsetAt } from '../model/time.js';
import { userAgentFamily } from '../model/user-agent.js';

export interface ActivityLike {
  eventTime: number | null;
  sourceIPAddress: string | null;
  awsRegion: string | null;
  eventSource: string | null;
  userAgent: string | null;
}

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The least history that says what is usual: events on at least 3 active days (UTC days with events), at least 30
 * events, spanning at least 48 hours from the first to the last. Below it the baseline is `thin` (`none` without a
 * single event): nothing is marked new against it and no anomaly is found from it.
 */
export const BASELINE_MINIMUM = { activeDays: 3, events: 30, spanMs: 48 * HOUR_MS } as const;

/** none: no history; thin: below BASELINE_MINIMUM; usable: at or above it. */
export type BaselineStrength = 'none' | 'thin' | 'usable';

/** How far an address with the same agent, services, region and hours is trusted as the owner's (see findFirstAnomaly). */
export const SUSTAINED_MS = 24 * HOUR_MS;

export function baselineStrength(eventCount: number, activeDays: number, spanMs: number): BaselineStrength {
  if (eventCount === 0) return 'none';
  const m = BASELINE_MINIMUM;
  return eventCount >= m.events && activeDays >= m.activeDays && spanMs >= m.spanMs ? 'usable' : 'thin';
}

export interface Baseline {
  start: number | null;
  end: number | null;
  eventCount: number;
  /** Distinct UTC days with events. */
  activeDays: number;
  strength: BaselineStrength;
  ips: Set<string>;
  /** Networks of the IPs (ipNetwork). */
  networks: Set<string>;
  regions: Set<string>;
  services: Set<string>;
  /** User-agent families (model/user-agent.ts userAgentFamily). */
  userAgents: Set<string>;
  /** Local hours (0-23 in the zone) considered usual: hours with activity, widened by one hour either side; null unless usable. */
  usualHours: Set<number> | null;
}

/** Is this a network address (as opposed to `AWS Internal` or a service name such as ec2.amazonaws.com)? */
export function isIpAddress(v: string | null): boolean {
  if (!v) return false;
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(v) || (/^[0-9a-f:]+$/i.test(v) && v.includes(':'));
}

/** Memoises a string function: a key's timeline repeats a few addresses and agents over and over. */
function memo(f: (s: string) => string | null): (s: string) => string | null {
  const cache = new Map<string, string | null>();
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) {
      if (cache.size > 50_000) cache.clear();
      cache.set(s, (v = f(s)));
    }
    return v;
  };
}

const networkOf = memo((v) => {
  if (!isIpAddress(v)) return null;
  if (!v.includes(':')) return `${v.split('.').slice(0, 3).join('.')}.0/24`;
  const [head] = v.toLowerCase().split('::');
  const groups = head.split(':').filter((g) => g !== '');
  while (groups.length < 3) groups.push('0');
  return `${groups.slice(0, 3).join(':')}::/48`;
});

/** The network of an address: its /24 for IPv4, its /48 for IPv6 (the first three groups); null for anything else. */
export function ipNetwork(v: string | null): string | null {
  return v ? networkOf(v) : null;
}

const familyOf = memo((ua) => userAgentFamily(ua) || null);

/** A user agent's family (model/user-agent.ts userAgentFamily), null for none. */
export function agentFamily(ua: string | null): string | null {
  return ua ? familyOf(ua) : null;
}

const offsetCache = new Map<string, Map<number, number>>();
/** The largest time a Date holds (ms from the epoch either way). */
const DATE_LIMIT_MS = 8.64e15;

export function localHour(ms: number, tz: string): number {
  // Zone offsets change at most on hour boundaries: cache them per UTC hour (Intl is slow per call).
  let byHour = offsetCache.get(tz);
  if (!byHour) offsetCache.set(tz, (byHour = new Map()));
  const h = Math.floor(ms / HOUR_MS);
  let off = byHour.get(h);
  if (off === undefined) {
    // zoneOffsetAt takes a wall time; fed the instant it can be an hour off only within a DST transition.
    // Clamped a day inside the Date range: an event stored at its very end (+275760-09-13) still has an hour.
    off = zoneOffsetAt(tz, Math.min(Math.max(h * HOUR_MS, -DATE_LIMIT_MS + DAY_MS), DATE_LIMIT_MS - DAY_MS));
    if (byHour.size > 100_000) byHour.clear();
    byHour.set(h, off);
  }
  // Arithmetic, not a Date: ms + off can leave the Date range.
  return Math.floor((((ms + off) % DAY_MS) + DAY_MS) % DAY_MS / HOUR_MS);
}

function usualHoursOf(hours: readonly number[]): Set<number> {
  const out = new Set<number>();
  for (let h = 0; h < 24; h++) if (hours[h] > 0) for (const d of [-1, 0, 1]) out.add((h + d + 24) % 24);
  return out;
}

function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function buildBaseline(rows: readonly ActivityLike[], tz: string): Baseline {
  const b: Baseline = {
    start: null,
    end: null,
    eventCount: 0,
    activeDays: 0,
    strength: 'none',
    ips: new Set(),
    networks: new Set(),
    regions: new Set(),
    services: new Set(),
    userAgents: new Set(),
    usualHours: null,
  };
  const hours = new Array<number>(24).fill(0);
  const days = new Set<number>();
  for (const r of rows) {
    b.eventCount++;
    if (r.eventTime != null) {
      if (b.start == null || r.eventTime < b.start) b.start = r.eventTime;
      if (b.end == null || r.eventTime > b.end) b.end = r.eventTime;
      hours[localHour(r.eventTime, tz)]++;
      days.add(utcDay(r.eventTime));
    }
    if (r.sourceIPAddress) b.ips.add(r.sourceIPAddress);
    const net = ipNetwork(r.sourceIPAddress);
    if (net) b.networks.add(net);
    if (r.awsRegion) b.regions.add(r.awsRegion);
    if (r.eventSource) b.services.add(r.eventSource);
    const fam = agentFamily(r.userAgent);
    if (fam) b.userAgents.add(fam);
  }
  b.activeDays = days.size;
  b.strength = baselineStrength(b.eventCount, b.activeDays, b.start != null && b.end != null ? b.end - b.start : 0);
  if (b.strength === 'usable') b.usualHours = usualHoursOf(hours);
  return b;
}

/** "412 events over 3.2 days on 4 active days": what a baseline rests on, in words. */
export function describeBaseline(b: Pick<Baseline, 'eventCount' | 'activeDays' | 'start' | 'end'>): string {
  if (b.eventCount === 0) return 'no events';
  const span = b.start != null && b.end != null ? b.end - b.start : 0;
  const over =
    span < 60_000 ? `${Math.round(span / 1000)} seconds` : span < HOUR_MS ? `${Math.round(span / 60_000)} minutes` : span < 2 * DAY_MS ? `${Math.round((span / HOUR_MS) * 10) / 10} hours` : `${Math.round((span / DAY_MS) * 10) / 10} days`;
  return `${b.eventCount} event${b.eventCount === 1 ? '' : 's'} over ${over} on ${b.activeDays} active day${b.activeDays === 1 ? '' : 's'}`;
}

/** What BASELINE_MINIMUM asks, in words. */
export const BASELINE_MINIMUM_TEXT = `at least ${BASELINE_MINIMUM.activeDays} active days, ${BASELINE_MINIMUM.events} events and ${BASELINE_MINIMUM.spanMs / HOUR_MS} hours`;

/** high: two or more strong signals agree with the new IP; medium: one; low: only weak ones (new network, unusual hour). */
export type Confidence = 'high' | 'medium' | 'low';

export interface Anomaly {
  /** Index into the candidate list. */
  index: number;
  time: number;
  /** The new IP first, then each agreeing signal. */
  reasons: string[];
  confidence: Confidence;
}

export interface AnomalyOptions {
  /** The owner's most recent active days (days with events) before a candidate that form its baseline. */
  activeDays: number;
  /** Zone of the usual hours. */
  tz: string;
  /** Attack signals that follow candidate `index` from its address (a denied burst, a sensitive action), as reasons. */
  followUps?: (index: number) => string[];
  /** Addresses in sustained use: used over at least SUSTAINED_MS in the evidence (sustainedAddresses). */
  sustained?: ReadonlySet<string>;
}

/** Addresses whose use spans at least SUSTAINED_MS, first to last event. `rows` sorted by time. */
export function sustainedAddresses(rows: readonly ActivityLike[]): Set<string> {
  const span = new Map<string, [number, number]>();
  for (const r of rows) {
    if (r.eventTime == null || !r.sourceIPAddress) continue;
    const s = span.get(r.sourceIPAddress);
    if (!s) span.set(r.sourceIPAddress, [r.eventTime, r.eventTime]);
    else s[1] = r.eventTime;
  }
  return new Set([...span].filter(([, [a, b]]) => b - a >= SUSTAINED_MS).map(([ip]) => ip));
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
 * The first candidate event that departs from the owner's history on the `activeDays` most recent active days before
 * it, on agreeing signals. It must come from a source IP that history does not have, with a usable baseline (at
 * least BASELINE_MINIMUM), and at least one more signal: strong ones are a new user-agent family, a new region, a
 * new service, an attack signal from the address soon after (`followUps`); weak ones a new network (/24, /48) and an
 * hour outside the usual ones. An address in sustained use (`sustained`) that only differs by weak signals or one
 * strong one behaves like the owner's own and is passed over; so is a new IP with no other signal. Confidence: high
 * with two strong signals or more, medium with one, low with weak ones only. `history` and `candidates` sorted by time.
 */
export function findFirstAnomaly(history: readonly ActivityLike[], candidates: readonly ActivityLike[], opts: AnomalyOptions): Anomaly | null {
  const { activeDays, tz } = opts;
  const counts = { ip: new Map<string, number>(), net: new Map<string, number>(), region: new Map<string, number>(), ua: new Map<string, number>(), service: new Map<string, number>() };
  const hours = new Array<number>(24).fill(0);
  const inc = (m: Map<string, number>, k: string | null, d: number) => {
    if (!k) return;
    const n = (m.get(k) ?? 0) + d;
    if (n <= 0) m.delete(k);
    else m.set(k, n);
  };
  const apply = (r: ActivityLike, d: number) => {
    inc(counts.ip, r.sourceIPAddress, d);
    inc(counts.net, ipNetwork(r.sourceIPAddress), d);
    inc(counts.region, r.awsRegion, d);
    inc(counts.ua, agentFamily(r.userAgent), d);
    inc(counts.service, r.eventSource, d);
    hours[localHour(r.eventTime!, tz)] += d;
  };
  const days: number[] = []; // distinct active days added so far, ascending
  let lo = 0;
  let hi = 0;
  let size = 0;
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
    const firstDayIndex = Math.max(0, days.length - activeDays);
    const firstDay = days.length ? days[firstDayIndex] : 0;
    while (lo < hi && (history[lo].eventTime == null || utcDay(history[lo].eventTime!) < firstDay)) {
      if (history[lo].eventTime != null) {
        apply(history[lo], -1);
        size--;
      }
      lo++;
    }
    if (!isIpAddress(c.sourceIPAddress) || counts.ip.has(c.sourceIPAddress!)) continue;
    let first = lo;
    while (first < hi && history[first].eventTime == null) first++;
    const spanMs = first < hi ? history[hi - 1].eventTime! - history[first].eventTime! : 0;
    const held = days.length - firstDayIndex;
    if (baselineStrength(size, held, spanMs) !== 'usable') continue;
    const strong: string[] = [];
    const fam = agentFamily(c.userAgent);
    if (fam && !counts.ua.has(fam)) strong.push(`user agent ${fam} not seen before`);
    if (c.awsRegion && !counts.region.has(c.awsRegion)) strong.push(`region ${c.awsRegion} not seen before`);
    if (c.eventSource && !counts.service.has(c.eventSource)) strong.push(`service ${c.eventSource} not used before`);
    strong.push(...(opts.followUps?.(i) ?? []));
    const weak: string[] = [];
    const net = ipNetwork(c.sourceIPAddress);
    if (net && !counts.net.has(net)) weak.push(`network ${net} not seen before`);
    const hour = localHour(c.eventTime, tz);
    if (!usualHoursOf(hours).has(hour)) weak.push(`at ${String(hour).padStart(2, '0')}h (${tz}), outside the usual hours`);
    const sustained = opts.sustained?.has(c.sourceIPAddress!) ?? false;
    if (sustained ? strong.length < 2 : strong.length + weak.length === 0) continue;
    const confidence: Confidence = strong.length >= 2 ? 'high' : strong.length === 1 ? 'medium' : 'low';
    return { index: i, time: c.eventTime, reasons: [`source IP ${c.sourceIPAddress} not seen on the owner's last ${held} active days`, ...strong, ...weak], confidence };
  }
  return null;
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
  if (!b || b.strength !== 'usable') {
    return { new: null, newIp: null, newRegion: null, newService: null, newUserAgent: null, outsideUsualHours: null };
  }
  const newIp = ev.sourceIPAddress ? !b.ips.has(ev.sourceIPAddress) : null;
  const newRegion = ev.awsRegion ? !b.regions.has(ev.awsRegion) : null;
  const newService = ev.eventSource ? !b.services.has(ev.eventSource) : null;
  const fam = agentFamily(ev.userAgent);
  const newUserAgent = fam ? !b.userAgents.has(fam) : null;
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
