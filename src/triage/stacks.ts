// Stack counts: the distinct principals, access keys, source IPs, user-agent families, event names (rarest first),
// error codes and regions of the case, each with its counts and a "new" mark: first seen after the baseline (the
// first third of the evidence's active days). With under three active days there is no baseline and nothing is new.

import type { Db } from '../index/open.js';
import { activeDays, stackCountsOf, type StackCount } from '../index/triage-facts.js';
import { isoUtc } from '../model/time.js';
import { userAgentFamily } from '../model/user-agent.js';
import type { StackRow, TriageStacks } from '../model/triage.js';

const DAY_MS = 86_400_000;
/** Rows kept per stack, most events first; new values beyond them are kept too (up to as many again). */
export const STACK_ROWS = 25;
/** Fewer active days than this: no baseline. */
const MIN_ACTIVE_DAYS = 3;

const iso = (ms: number | null): string | null => (ms === null ? null : isoUtc(ms));

export interface Baseline {
  /** ms: values first seen at or after this are new; null: no baseline. */
  endMs: number | null;
  note: string;
}

/** The baseline "new" is measured against. */
export function stackBaseline(db: Db): Baseline {
  const days = activeDays(db);
  if (days.length < MIN_ACTIVE_DAYS) {
    return { endMs: null, note: `no baseline: the evidence has ${days.length} active day${days.length === 1 ? '' : 's'} (${MIN_ACTIVE_DAYS} needed), so nothing is marked new` };
  }
  const n = Math.max(1, Math.floor(days.length / 3));
  const endMs = days[n - 1] + DAY_MS;
  const first = isoUtc(days[0]).slice(0, 10);
  const last = isoUtc(days[n - 1]).slice(0, 10);
  return { endMs, note: `new: first seen after the baseline, the first ${n} of ${days.length} active days (${first === last ? first : `${first} to ${last}`})` };
}

/** A stack row: the counts with first/last seen as ISO times and the "new" mark against the baseline. */
export function stackRow(c: StackCount, base: Baseline): StackRow {
  return {
    value: c.value,
    events: c.events,
    errors: c.errors,
    firstSeen: iso(c.firstMs),
    lastSeen: iso(c.lastMs),
    new: base.endMs !== null && c.firstMs !== null && c.firstMs >= base.endMs,
  };
}

/** The most frequent values, plus the most frequent new ones (a new address with three calls matters more than its count says). */
function keep(counts: StackCount[], base: Baseline): StackRow[] {
  const rows = counts.map((c) => stackRow(c, base));
  const top = new Set(rows.slice(0, STACK_ROWS));
  for (const r of rows.filter((x) => x.new).slice(0, STACK_ROWS)) top.add(r);
  return rows.filter((r) => top.has(r));
}


/** User agents folded into families (model/user-agent.ts), with how many distinct strings each holds. */
function userAgentStack(counts: StackCount[], base: Baseline): StackRow[] {
  const families = new Map<string, { c: StackCount; variants: number }>();
  for (const c of counts) {
    const fam = userAgentFamily(c.value) || '(empty)';
    const f = families.get(fam);
    if (!f) {
      families.set(fam, { c: { ...c, value: fam }, variants: 1 });
      continue;
    }
    f.variants++;
    f.c.events += c.events;
    f.c.errors += c.errors;
    if (c.firstMs !== null && (f.c.firstMs === null || c.firstMs < f.c.firstMs)) f.c.firstMs = c.firstMs;
    if (c.lastMs !== null && (f.c.lastMs === null || c.lastMs > f.c.lastMs)) f.c.lastMs = c.lastMs;
  }
  const sorted = [...families.values()].sort((a, b) => b.c.events - a.c.events || a.c.value.localeCompare(b.c.value));
  const variants = new Map(sorted.map((f) => [f.c.value, f.variants]));
  return keep(sorted.map((f) => f.c), base).map((r) => ({ ...r, variants: variants.get(r.value) ?? 1 }));
}

export function buildStacks(db: Db): TriageStacks {
  const base = stackBaseline(db);
  const counts = stackCountsOf(db, ['arn', 'access_key_id', 'source_ip', 'user_agent', 'event_name', 'error_code', 'aws_region']);
  const of = (c: Parameters<typeof counts.get>[0]): StackCount[] => counts.get(c) ?? [];
  const rare = [...of('event_name')].sort((a, b) => a.events - b.events || a.value.localeCompare(b.value));
  return {
    baselineEnd: iso(base.endMs),
    baselineNote: base.note,
    principals: keep(of('arn'), base),
    accessKeys: keep(of('access_key_id'), base),
    sourceIps: keep(of('source_ip'), base),
    userAgents: userAgentStack(of('user_agent'), base),
    eventNames: rare.slice(0, STACK_ROWS).map((c) => stackRow(c, base)),
    errors: keep(of('error_code'), base),
    regions: keep(of('aws_region'), base),
  };
}
