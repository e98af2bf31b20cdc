// Blind spots: where the evidence cannot show what happened. Integrity (no digests, chain gaps, failed files, from
// the latest verify run), logging that was stopped (a successful StopLogging until the StartLogging of the same
// trail, or the end of the evidence), event selectors or trail settings that drop events, stretches with no log file
// delivered for an account and region, and whether data events and Insights are present at all.

import type { Db } from '../index/open.js';
import { forEachEventRecord } from '../index/bodies.js';
import { eventsNamed, latestChainProblems, logDeliveryGaps, type NamedEvent } from '../index/triage-facts.js';
import { isoUtc } from '../model/time.js';
import type { BlindSpot } from '../model/triage.js';
import { selectorReduction, trailSettingReduction } from '../scenarios/trail-settings.js';

const HOUR_MS = 3_600_000;
/** A stretch without any log file delivered that is worth a line (CloudTrail delivers about every 5 minutes when there is activity). */
export const DELIVERY_GAP_MS = 6 * HOUR_MS;

const iso = (ms: number | null): string | null => (ms === null ? null : isoUtc(ms));

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The trail a CloudTrail call names (requestParameters.name or trailName; an ARN's last part). */
function trailOf(record: Record<string, unknown>): string | null {
  const p = record.requestParameters as Record<string, unknown> | null | undefined;
  const raw = str(p?.name) ?? str(p?.trailName);
  if (!raw) return null;
  const m = /:trail\/(.+)$/.exec(raw);
  return m ? m[1] : raw;
}

interface TrailEvent extends NamedEvent {
  trail: string | null;
  record: Record<string, unknown>;
}

function withRecords(db: Db, events: NamedEvent[]): TrailEvent[] {
  const records = new Map<number, Record<string, unknown>>();
  forEachEventRecord(db, events.map((e) => e.rowId), (id, rec) => records.set(id, rec));
  return events.filter((e) => records.has(e.rowId)).map((e) => ({ ...e, record: records.get(e.rowId)!, trail: trailOf(records.get(e.rowId)!) }));
}

/** Successful StopLogging/DeleteTrail → the next successful StartLogging/CreateTrail of the same trail in the same account. */
function loggingStopped(events: TrailEvent[], lastMs: number | null): BlindSpot[] {
  const out: BlindSpot[] = [];
  const ok = events.filter((e) => e.errorCode === null);
  for (const stop of ok) {
    if (stop.eventName !== 'StopLogging' && stop.eventName !== 'DeleteTrail') continue;
    const restart = ok.find((e) => (e.eventName === 'StartLogging' || e.eventName === 'CreateTrail') && e.trail === stop.trail && e.account === stop.account && (e.timeMs ?? 0) >= (stop.timeMs ?? 0));
    const trail = stop.trail ?? '(trail not named)';
    const by = stop.arn ?? 'an unknown principal';
    const endMs = restart?.timeMs ?? lastMs;
    const message = restart
      ? `${stop.eventName} on trail ${trail} by ${by} at ${iso(stop.timeMs)}; ${restart.eventName} at ${iso(restart.timeMs)}: this trail recorded nothing in between`
      : `${stop.eventName} on trail ${trail} by ${by} at ${iso(stop.timeMs)}, never restarted in the evidence: this trail recorded nothing after it`;
    out.push({ kind: 'logging-stopped', severity: 'high', account: stop.account, region: stop.region, start: iso(stop.timeMs), end: iso(endMs), message, eventIds: restart ? [stop.eventId, restart.eventId] : [stop.eventId] });
  }
  return out;
}

function loggingReduced(events: TrailEvent[]): BlindSpot[] {
  const out: BlindSpot[] = [];
  for (const e of events) {
    if (e.errorCode !== null) continue;
    let what: string | null = null;
    if (e.eventName === 'PutEventSelectors') what = selectorReduction(e.record.requestParameters);
    else if (e.eventName === 'UpdateTrail') {
      what = trailSettingReduction(e.record.requestParameters);
    } else if (e.eventName === 'PutInsightSelectors') continue;
    if (!what) continue;
    out.push({
      kind: 'logging-reduced',
      severity: 'medium',
      account: e.account,
      region: e.region,
      start: iso(e.timeMs),
      end: null,
      message: `${e.eventName} on trail ${e.trail ?? '(not named)'} by ${e.arn ?? 'an unknown principal'} at ${iso(e.timeMs)}: ${what}`,
      eventIds: [e.eventId],
    });
  }
  return out;
}

function overlaps(aStart: number, aEnd: number, spots: BlindSpot[], account: string): boolean {
  return spots.some((s) => (s.account === null || s.account === account) && s.start !== null && s.end !== null && Date.parse(s.start) <= aEnd && Date.parse(s.end) >= aStart);
}

export interface BlindSpotInput {
  /** Event categories present (Management, Data, Insight …). */
  categories: Record<string, number>;
  /** Files by kind. */
  sources: Record<string, number>;
  firstMs: number | null;
  lastMs: number | null;
}

export function findBlindSpots(db: Db, input: BlindSpotInput): BlindSpot[] {
  const out: BlindSpot[] = [];
  const chain = latestChainProblems(db);
  const digests = input.sources['cloudtrail-digest'] ?? 0;
  if (digests === 0) {
    out.push({ kind: 'not-verified', severity: 'high', account: null, region: null, start: null, end: null, message: 'not verified: no digest files in the evidence, so nothing shows the logs are complete and unchanged (ask for the CloudTrail-Digest/ folder of the bucket)', eventIds: [] });
  } else if (chain === null) {
    out.push({ kind: 'not-verified', severity: 'high', account: null, region: null, start: null, end: null, message: 'not verified: the evidence has digest files but no verify run is stored (trailhound verify --db <case>)', eventIds: [] });
  } else {
    if (chain.failedDigests > 0 || chain.failedLogs > 0) {
      out.push({ kind: 'integrity-failure', severity: 'high', account: null, region: null, start: null, end: null, message: `integrity failure: ${chain.failedDigests} digest file(s) and ${chain.failedLogs} log file(s) failed verification (trailhound verify --db <case> lists them)`, eventIds: [] });
    }
    for (const p of chain.problems) {
      out.push({
        kind: 'integrity-gap',
        severity: p.kind === 'gap' || p.kind === 'missing_link' ? 'high' : 'medium',
        account: p.account,
        region: p.region,
        start: p.start,
        end: p.end,
        message: `${p.kind.replace(/_/g, ' ')} in the digest chain of ${p.account}/${p.region}${p.trail ? ` (trail ${p.trail})` : ''}: ${p.message}`,
        eventIds: [],
      });
    }
  }
  const trailEvents = withRecords(db, eventsNamed(db, ['StopLogging', 'StartLogging', 'DeleteTrail', 'CreateTrail', 'PutEventSelectors', 'UpdateTrail']));
  const stopped = loggingStopped(trailEvents, input.lastMs);
  out.push(...stopped, ...loggingReduced(trailEvents));
  // Delivery gaps not already explained by a chain gap or stopped logging.
  const { gaps } = logDeliveryGaps(db, DELIVERY_GAP_MS);
  const explained = out.filter((s) => s.kind === 'integrity-gap' || s.kind === 'logging-stopped');
  for (const g of gaps) {
    if (overlaps(g.fromMs, g.toMs, explained, g.account)) continue;
    const hours = Math.round((g.toMs - g.fromMs) / HOUR_MS);
    out.push({
      kind: 'missing-hours',
      severity: hours >= 24 ? 'medium' : 'info',
      account: g.account,
      region: g.region,
      start: iso(g.fromMs),
      end: iso(g.toMs),
      message: `no log file delivered for ${g.account}/${g.region} for ${hours} h (${iso(g.fromMs)} to ${iso(g.toMs)}): quiet, or files missing from the evidence`,
      eventIds: [],
    });
  }
  if (!input.categories.Data) {
    out.push({ kind: 'no-data-events', severity: 'info', account: null, region: null, start: null, end: null, message: 'no data events (S3 object reads and writes, Lambda invocations …) in the evidence: object-level access cannot be seen', eventIds: [] });
  }
  if (!input.categories.Insight && !input.sources['cloudtrail-insight']) {
    out.push({ kind: 'no-insights', severity: 'info', account: null, region: null, start: null, end: null, message: 'no CloudTrail Insights events in the evidence (unusual API call rates are not flagged by AWS here)', eventIds: [] });
  }
  const rank = { high: 0, medium: 1, info: 2 } as const;
  return out.sort((a, b) => rank[a.severity] - rank[b.severity] || (a.start ?? '').localeCompare(b.start ?? ''));
}
