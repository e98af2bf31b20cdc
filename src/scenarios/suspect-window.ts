// The suspect window of `investigate access-key`: where the attacker's activity starts and ends, why, how sure the
// tool is, and the baseline it compared with. First-anomaly when a usable baseline and agreeing signals show the first
// departure (baseline.ts findFirstAnomaly); thin-baseline when the history before the activity with attack signals
// is too thin to compare with (the window then covers the addresses with attack signals, at low confidence); since
// when given; none otherwise. Pure.

import type { EventRow } from '../index/event-rows.js';
import {
  BASELINE_MINIMUM_TEXT,
  baselineSlice,
  buildBaseline,
  describeBaseline,
  findFirstAnomaly,
  isIpAddress,
  sustainedAddresses,
  type Baseline,
  type Confidence,
} from './baseline.js';
import type { DeniedBurst } from './bursts.js';
import { sensitiveCategory } from './sensitive-actions.js';

/** An attack signal this long after an event from the same address counts for it. */
export const FOLLOW_UP_MS = 60 * 60_000;

export interface SuspectWindow {
  start: number | null;
  end: number | null;
  source: 'since' | 'first-anomaly' | 'thin-baseline' | 'none';
  firstAnomalyEventId: string | null;
  reasons: string[];
  confidence: Confidence | null;
}

export interface WindowInput {
  /** The owner's history (events by the owner's ARN or signed by the key), sorted by time. */
  history: readonly EventRow[];
  /** The events the window may start at (the key's and what it minted, not the other account's copies), sorted. */
  candidates: readonly EventRow[];
  /** The events shown (after --filter), sorted: the window ends at one of them. */
  shown: readonly EventRow[];
  bursts: readonly DeniedBurst[];
  since: number | null;
  /** End of the filter, when given: the window ends there. */
  endMs: number | null;
  activeDays: number;
  tz: string;
}

export interface WindowResult {
  window: SuspectWindow;
  /** The baseline reported: before the window start, else (no window) the owner's whole recent history. */
  baseline: Baseline;
  /** Whether events in the window are marked new against the baseline (a window and a usable baseline). */
  compare: boolean;
}

/** Attack signals by address: the times of denied-burst calls and of sensitive actions (outside the data category). */
function signalsByIp(candidates: readonly EventRow[], bursts: readonly DeniedBurst[]) {
  const inBurst = new Set(bursts.flatMap((b) => b.eventIds));
  const byIp = new Map<string, Array<{ t: number; kind: 'burst' | 'sensitive'; name: string | null }>>();
  for (const r of candidates) {
    if (r.eventTime == null || !isIpAddress(r.sourceIPAddress)) continue;
    const cat = sensitiveCategory(r.eventSource, r.eventName);
    const kind = inBurst.has(r.eventId) ? 'burst' : cat && cat !== 'data' ? 'sensitive' : null;
    if (!kind) continue;
    let list = byIp.get(r.sourceIPAddress!);
    if (!list) byIp.set(r.sourceIPAddress!, (list = []));
    list.push({ t: r.eventTime, kind, name: r.eventName });
  }
  return byIp;
}

export function suspectWindow(input: WindowInput): WindowResult {
  const { history, candidates, shown, activeDays, tz } = input;
  const signals = signalsByIp(candidates, input.bursts);
  let window: SuspectWindow = { start: null, end: null, source: 'none', firstAnomalyEventId: null, reasons: [], confidence: null };
  if (input.since != null) {
    window = { ...window, start: input.since, source: 'since', reasons: ['start given with --since'] };
  } else {
    const followUps = (i: number): string[] => {
      const c = candidates[i];
      const list = signals.get(c.sourceIPAddress ?? '') ?? [];
      const soon = list.filter((s) => s.t >= c.eventTime! && s.t <= c.eventTime! + FOLLOW_UP_MS);
      const out: string[] = [];
      if (soon.some((s) => s.kind === 'burst')) out.push('a burst of denied calls from this address within the hour');
      const names = [...new Set(soon.filter((s) => s.kind === 'sensitive').map((s) => s.name))];
      if (names.length) out.push(`sensitive actions from this address within the hour (${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''})`);
      return out;
    };
    const anomaly = findFirstAnomaly(history, candidates, { activeDays, tz, followUps, sustained: sustainedAddresses(candidates) });
    if (anomaly) {
      window = { ...window, start: anomaly.time, source: 'first-anomaly', firstAnomalyEventId: candidates[anomaly.index].eventId, reasons: anomaly.reasons, confidence: anomaly.confidence };
    } else if (signals.size) {
      // No departure from a usable baseline: if the history before the addresses with attack signals is too thin to
      // compare with, the window covers those addresses' activity.
      const first = candidates.find((r) => r.eventTime != null && signals.has(r.sourceIPAddress ?? ''));
      if (first) {
        const before = buildBaseline(baselineSlice(history, first.eventTime!, activeDays), tz);
        if (before.strength !== 'usable') {
          const per = [...signals].map(([ip, list]) => {
            const denied = list.filter((s) => s.kind === 'burst').length;
            const names = [...new Set(list.filter((s) => s.kind === 'sensitive').map((s) => s.name))];
            return `${ip}: ${[denied ? `${denied} denied calls in bursts` : '', names.length ? `sensitive actions ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}` : ''].filter(Boolean).join('; ')}`;
          });
          window = {
            ...window,
            start: first.eventTime,
            source: 'thin-baseline',
            reasons: [`baseline too thin to tell usual from unusual: ${describeBaseline(before)} before the activity with attack signals (needs ${BASELINE_MINIMUM_TEXT})`, ...per],
            confidence: 'low',
          };
        }
      }
    }
  }
  const baseline = buildBaseline(baselineSlice(history, window.start ?? Number.POSITIVE_INFINITY, activeDays), tz);
  const compare = window.start != null && baseline.strength === 'usable';
  window.end = input.endMs ?? (window.start != null ? windowEnd(window, shown, baseline, compare, signals) : null);
  return { window, baseline, compare };
}

/**
 * The window ends with the last event from an address the baseline does not know (the attacker's last) or, for a
 * thin-baseline window, from an address with attack signals; else with the last event shown.
 */
function windowEnd(w: SuspectWindow, shown: readonly EventRow[], b: Baseline, compare: boolean, signals: Map<string, unknown>): number | null {
  for (let i = shown.length - 1; i >= 0; i--) {
    const r = shown[i];
    if (r.eventTime == null || r.eventTime < w.start!) break;
    if (w.source === 'thin-baseline' ? signals.has(r.sourceIPAddress ?? '') : compare && isIpAddress(r.sourceIPAddress) && !b.ips.has(r.sourceIPAddress!)) return r.eventTime;
  }
  return shown.length ? shown[shown.length - 1].eventTime : null;
}
