// Matches → findings. An event rule's matches are grouped by who acted (principal ARN, else principal ID, user
// name, access key or source IP); a correlation's clusters are findings as they are. Each finding says what the
// calls' outcome was (succeeded, failed with which errorCodes, or mixed) and who, from where, where.

import crypto from 'node:crypto';
import { levelRank, type RuleMeta } from '../model/detection.js';
import { forEachMatchRaw, type MatchedEvent, type StoredFinding } from '../index/detections.js';
import type { Db } from '../index/open.js';
import { resolveStrings } from '../index/strings.js';
import { isoUtc } from '../model/time.js';
import { failureOf } from '../model/outcome.js';

export interface BuiltFinding {
  finding: StoredFinding;
  rows: number[];
  levelRank: number;
  firstTime: number | null;
  lastTime: number | null;
}

/** The text of an actor string id as a finding's group (0: nobody known). */
export function actorGroup(db: Db, actor: number): Record<string, string> {
  return { actor: actor === 0 ? '(unknown)' : (resolveStrings(db, [actor]).get(actor) ?? '(unknown)') };
}

/** Values by count, most frequent first; ties in text order (the same evidence prints the same in any ingest order). */
function byCount(counts: Map<string, number>): string[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([v]) => v);
}

/** Distinct non-null values, most frequent first. */
function distinct(values: Array<string | null>): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  return byCount(counts);
}

/** What a failed call's error is (one definition: src/model/outcome.ts). */
export { failureOf };

export function findingId(ruleId: string, group: Record<string, string>, anchor: string): string {
  return crypto.createHash('sha256').update(JSON.stringify([ruleId, group, anchor])).digest('hex').slice(0, 20);
}

/** What a finding summarises of its events, already counted and ordered. */
interface Summary {
  /** Row ids, oldest first, and their times (null: no time). */
  rows: number[];
  times: Array<number | null>;
  failed: number;
  errorCodes: string[];
  principals: string[];
  accessKeyIds: string[];
  sourceIps: string[];
  accounts: string[];
  regions: string[];
}

/** The one place a finding is put together (event rules and correlations alike). */
function assemble(meta: RuleMeta, group: Record<string, string>, sum: Summary, details: Record<string, string[]>, anchor: string): BuiltFinding {
  const times = sum.times.filter((t): t is number => t !== null);
  const first = times.length ? times[0] : null;
  const last = times.length ? times[times.length - 1] : null;
  const n = sum.rows.length;
  const finding: StoredFinding = {
    findingId: findingId(meta.id, group, anchor),
    ruleId: meta.id,
    title: meta.title,
    level: meta.level,
    tags: meta.tags,
    author: meta.author,
    pack: meta.pack,
    outcome: sum.failed === 0 ? 'succeeded' : sum.failed === n ? 'failed' : 'mixed',
    errorCodes: sum.errorCodes,
    firstTime: isoUtc(first),
    lastTime: isoUtc(last),
    eventCount: n,
    principals: sum.principals,
    accessKeyIds: sum.accessKeyIds,
    sourceIps: sum.sourceIps,
    accounts: sum.accounts,
    regions: sum.regions,
    group,
    details,
  };
  return { finding, rows: sum.rows, levelRank: levelRank(meta.level), firstTime: first, lastTime: last };
}

/** One finding from a rule, a group and its events (a correlation's cluster). */
export function buildFinding(meta: RuleMeta, group: Record<string, string>, events: readonly MatchedEvent[], details: Record<string, string[]>, anchor = ''): BuiltFinding {
  const sorted = [...events].sort((a, b) => (a.time ?? 0) - (b.time ?? 0) || a.row - b.row);
  const failures = sorted.map((e) => failureOf(e.errorCode, e.errorMessage));
  return assemble(
    meta,
    group,
    {
      rows: sorted.map((e) => e.row),
      times: sorted.map((e) => e.time),
      failed: failures.filter((f) => f !== null).length,
      errorCodes: distinct(failures),
      principals: distinct(sorted.map((e) => e.arn ?? e.principalId)),
      accessKeyIds: distinct(sorted.map((e) => e.accessKeyId)),
      sourceIps: distinct(sorted.map((e) => e.sourceIp)),
      accounts: distinct(sorted.map((e) => e.account)),
      regions: distinct(sorted.map((e) => e.region)),
    },
    details,
    anchor,
  );
}

interface Group {
  rows: number[];
  times: Array<number | null>;
  principal: Map<number, number>;
  key: Map<number, number>;
  ip: Map<number, number>;
  account: Map<number, number>;
  region: Map<number, number>;
  error: Map<string, number>;
  failed: number;
}

function bump(m: Map<number, number>, id: number | null): void {
  if (id !== null) m.set(id, (m.get(id) ?? 0) + 1);
}

/**
 * An event rule's matches as findings, one per actor, aggregated straight from the stored matches (a noisy rule
 * can match most of a case: no per-event objects are made). `detailsOf` gets each finding's oldest events.
 */
export function findingsOfRule(db: Db, meta: RuleMeta, detailsOf: (rows: readonly number[]) => Record<string, string[]>, actors?: readonly number[]): BuiltFinding[] {
  const groups = new Map<number, Group>();
  // errorCodes are few: resolved as they come (the failure text decides the grouping of messages and codes alike).
  const errorText = new Map<number, string>();
  const resolveError = (id: number) => {
    if (!errorText.has(id)) errorText.set(id, resolveStrings(db, [id]).get(id) ?? '');
  };
  forEachMatchRaw(db, meta.id, (r) => {
    if (typeof r[9] === 'number') resolveError(r[9]);
    const [row, time, arn, pid, user, key, ip, account, region, error, message] = r as [number, number | null, ...Array<number | null>];
    const actor = arn ?? pid ?? user ?? key ?? ip ?? 0;
    let g = groups.get(actor);
    if (!g) groups.set(actor, (g = { rows: [], times: [], principal: new Map(), key: new Map(), ip: new Map(), account: new Map(), region: new Map(), error: new Map(), failed: 0 }));
    g.rows.push(row);
    g.times.push(time);
    bump(g.principal, arn ?? pid);
    bump(g.key, key);
    bump(g.ip, ip);
    bump(g.account, account);
    bump(g.region, region);
    const failure = failureOf(error === null ? null : (errorText.get(error) ?? String(error)), message as unknown as string | null);
    if (failure !== null) {
      g.error.set(failure, (g.error.get(failure) ?? 0) + 1);
      g.failed++;
    }
  }, actors);
  const ids = new Set<number>();
  for (const [actor, g] of groups) {
    ids.add(actor);
    for (const m of [g.principal, g.key, g.ip, g.account, g.region]) for (const id of m.keys()) ids.add(id);
  }
  const s = resolveStrings(db, ids);
  const texts = (m: Map<number, number>) => byCount(new Map([...m.entries()].map(([id, n]) => [s.get(id) ?? '', n])));
  const out: BuiltFinding[] = [];
  for (const [actor, g] of groups) {
    const order = g.rows.map((_, i) => i).sort((a, b) => (g.times[a] ?? 0) - (g.times[b] ?? 0) || g.rows[a] - g.rows[b]);
    const rows = order.map((i) => g.rows[i]);
    const group = { actor: actor === 0 ? '(unknown)' : (s.get(actor) ?? '(unknown)') };
    const sum: Summary = {
      rows,
      times: order.map((i) => g.times[i]),
      failed: g.failed,
      errorCodes: byCount(g.error),
      principals: texts(g.principal),
      accessKeyIds: texts(g.key),
      sourceIps: texts(g.ip),
      accounts: texts(g.account),
      regions: texts(g.region),
    };
    out.push(assemble(meta, group, sum, meta.fields.length ? detailsOf(rows) : {}, ''));
  }
  return out;
}
