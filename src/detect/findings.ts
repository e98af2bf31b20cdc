// Matches → findings. An event rule's matches are grouped by who acted (principal ARN, else principal ID, user
// name, access key or source IP); a correlation's clusters are findings as they are. Each finding says what the
// calls' outcome was (succeeded, failed with which errorCodes, or mixed) and who, from where, where.

import crypto from 'node:crypto';
import { levelRank, type Finding, type FindingOutcome, type RuleMeta } from '../model/detection.js';
import type { MatchedEvent, StoredFinding } from '../index/detections.js';
import { isoUtc } from '../model/time.js';

export interface BuiltFinding {
  finding: StoredFinding;
  rows: number[];
  levelRank: number;
  firstTime: number | null;
  lastTime: number | null;
}

/** Who acted in an event, for grouping an event rule's matches. */
export function actorOf(ev: MatchedEvent): string {
  return ev.arn ?? ev.principalId ?? ev.username ?? ev.accessKeyId ?? ev.sourceIp ?? '(unknown)';
}

/** Distinct non-null values, most frequent first (ties: first seen). */
function distinct(values: Array<string | null>): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
}

export function outcomeOf(events: readonly MatchedEvent[]): FindingOutcome {
  const failed = events.filter((e) => e.errorCode !== null).length;
  return failed === 0 ? 'succeeded' : failed === events.length ? 'failed' : 'mixed';
}

export function findingId(ruleId: string, group: Record<string, string>, anchor: string): string {
  return crypto.createHash('sha256').update(JSON.stringify([ruleId, group, anchor])).digest('hex').slice(0, 20);
}

/** One finding from a rule, a group and its events (oldest first). */
export function buildFinding(meta: RuleMeta, group: Record<string, string>, events: readonly MatchedEvent[], details: Record<string, string[]>, anchor = ''): BuiltFinding {
  const sorted = [...events].sort((a, b) => (a.time ?? 0) - (b.time ?? 0) || a.row - b.row);
  const times = sorted.map((e) => e.time).filter((t): t is number => t !== null);
  const first = times.length ? times[0] : null;
  const last = times.length ? times[times.length - 1] : null;
  const finding: Omit<Finding, 'eventIds' | 'trust'> = {
    findingId: findingId(meta.id, group, anchor),
    ruleId: meta.id,
    title: meta.title,
    level: meta.level,
    tags: meta.tags,
    author: meta.author,
    pack: meta.pack,
    outcome: outcomeOf(sorted),
    errorCodes: distinct(sorted.map((e) => e.errorCode)),
    firstTime: isoUtc(first),
    lastTime: isoUtc(last),
    eventCount: sorted.length,
    principals: distinct(sorted.map((e) => e.arn ?? e.principalId)),
    accessKeyIds: distinct(sorted.map((e) => e.accessKeyId)),
    sourceIps: distinct(sorted.map((e) => e.sourceIp)),
    accounts: distinct(sorted.map((e) => e.account)),
    regions: distinct(sorted.map((e) => e.region)),
    group,
    details,
  };
  return { finding, rows: sorted.map((e) => e.row), levelRank: levelRank(meta.level), firstTime: first, lastTime: last };
}

/** An event rule's matches as findings, one per actor. */
export function findingsOfMatches(meta: RuleMeta, events: readonly MatchedEvent[], detailsOf: (events: readonly MatchedEvent[]) => Record<string, string[]>): BuiltFinding[] {
  const byActor = new Map<string, MatchedEvent[]>();
  for (const ev of events) {
    const a = actorOf(ev);
    let list = byActor.get(a);
    if (!list) byActor.set(a, (list = []));
    list.push(ev);
  }
  return [...byActor.entries()].map(([actor, evs]) => buildFinding(meta, { actor }, evs, detailsOf(evs)));
}
