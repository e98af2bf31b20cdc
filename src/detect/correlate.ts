// Sigma correlation rules (specification v2) over the matches of the rules they name: event_count and value_count
// (with gt/gte a sliding window of `timespan`; overlapping windows that meet the condition merge into one cluster),
// temporal (every rule matched within the timespan) and temporal_ordered (in the order listed). Events are
// grouped by the `group-by` fields (through `aliases` where a field has another name in one of the rules); an event
// that lacks a group-by field cannot be correlated and is left out.

import type { MatchedEvent } from '../index/detections.js';
import { conditionHolds } from './correlation-rule.js';
import type { CorrelationRule } from './rule.js';

export interface CorrelationInput {
  /** The matches of each rule the correlation names (by the reference as written). */
  matches: ReadonlyMap<string, readonly MatchedEvent[]>;
  /** A field's value for an event matched by rule `ref` (aliases already applied by the caller's field name). */
  valueOf(ev: MatchedEvent, field: string): string | null;
}

export interface Cluster {
  group: Record<string, string>;
  events: MatchedEvent[];
  /** The count that met the condition (events or distinct values), for the finding's text. */
  count: number;
}

interface Item {
  ev: MatchedEvent;
  rule: number;
  time: number;
  value: string | null;
}

/** The field of rule `ref` that stands for group-by field (or alias) `field`. */
function fieldFor(rule: CorrelationRule, field: string, ref: string): string {
  return rule.aliases[field]?.[ref] ?? field;
}

export function correlate(rule: CorrelationRule, input: CorrelationInput): Cluster[] {
  const groups = new Map<string, { group: Record<string, string>; items: Item[] }>();
  rule.rules.forEach((ref, ruleIndex) => {
    for (const ev of input.matches.get(ref) ?? []) {
      if (ev.time === null) continue;
      const group: Record<string, string> = {};
      let complete = true;
      for (const g of rule.groupBy) {
        const v = input.valueOf(ev, fieldFor(rule, g, ref));
        if (v === null) {
          complete = false;
          break;
        }
        group[g] = v;
      }
      if (!complete) continue;
      const key = JSON.stringify(rule.groupBy.map((g) => group[g]));
      let entry = groups.get(key);
      if (!entry) groups.set(key, (entry = { group, items: [] }));
      const valueField = rule.condition?.field;
      entry.items.push({ ev, rule: ruleIndex, time: ev.time, value: valueField ? input.valueOf(ev, fieldFor(rule, valueField, ref)) : null });
    }
  });
  const out: Cluster[] = [];
  for (const { group, items } of groups.values()) {
    // The same event can match two of the rules: count it once for the counts, keep it per rule for temporal.
    items.sort((a, b) => a.time - b.time || a.ev.row - b.ev.row || a.rule - b.rule);
    for (const c of clustersOf(rule, items)) out.push({ group, ...c });
  }
  return out.sort((a, b) => (a.events[0]?.time ?? 0) - (b.events[0]?.time ?? 0));
}

function uniqueEvents(items: readonly Item[]): MatchedEvent[] {
  const seen = new Set<number>();
  const out: MatchedEvent[] = [];
  for (const i of items) {
    if (seen.has(i.ev.row)) continue;
    seen.add(i.ev.row);
    out.push(i.ev);
  }
  return out;
}

function clustersOf(rule: CorrelationRule, items: Item[]): Array<{ events: MatchedEvent[]; count: number }> {
  switch (rule.type) {
    case 'event_count':
    case 'value_count':
      return rule.condition!.op === 'gt' || rule.condition!.op === 'gte' ? slidingCount(rule, items) : tumblingCount(rule, items);
    case 'temporal':
      return temporal(rule, items);
    case 'temporal_ordered':
      return temporalOrdered(rule, items);
  }
}

/** A multiset of what is counted in a window: events (by row) or values. */
class Window {
  private readonly counts = new Map<string, number>();
  constructor(private readonly byValue: boolean) {}
  private key(i: Item): string | null {
    return this.byValue ? i.value : String(i.ev.row);
  }
  add(i: Item): void {
    const k = this.key(i);
    if (k !== null) this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }
  remove(i: Item): void {
    const k = this.key(i);
    if (k === null) return;
    const n = (this.counts.get(k) ?? 0) - 1;
    if (n <= 0) this.counts.delete(k);
    else this.counts.set(k, n);
  }
  get size(): number {
    return this.counts.size;
  }
}

function slidingCount(rule: CorrelationRule, items: Item[]): Array<{ events: MatchedEvent[]; count: number }> {
  const out: Array<{ events: MatchedEvent[]; count: number }> = [];
  const w = new Window(rule.type === 'value_count');
  let left = 0;
  let cluster: { start: number; end: number; count: number } | null = null;
  const flush = () => {
    if (cluster) out.push({ events: uniqueEvents(items.slice(cluster.start, cluster.end + 1)), count: cluster.count });
    cluster = null;
  };
  for (let right = 0; right < items.length; right++) {
    w.add(items[right]);
    while (items[right].time - items[left].time > rule.timespanMs) w.remove(items[left++]);
    if (conditionHolds(rule.condition!, w.size)) {
      if (cluster && left <= cluster.end) {
        cluster.end = right;
        cluster.count = Math.max(cluster.count, w.size);
      } else {
        flush();
        cluster = { start: left, end: right, count: w.size };
      }
    }
  }
  flush();
  return out;
}

/** lt/lte/eq/neq: consecutive windows of `timespan` from the group's first event. */
function tumblingCount(rule: CorrelationRule, items: Item[]): Array<{ events: MatchedEvent[]; count: number }> {
  const out: Array<{ events: MatchedEvent[]; count: number }> = [];
  let i = 0;
  while (i < items.length) {
    const start = items[i].time;
    const w = new Window(rule.type === 'value_count');
    let j = i;
    while (j < items.length && items[j].time - start <= rule.timespanMs) w.add(items[j++]);
    if (conditionHolds(rule.condition!, w.size)) out.push({ events: uniqueEvents(items.slice(i, j)), count: w.size });
    i = j;
  }
  return out;
}

function temporal(rule: CorrelationRule, items: Item[]): Array<{ events: MatchedEvent[]; count: number }> {
  const out: Array<{ events: MatchedEvent[]; count: number }> = [];
  const need = rule.rules.length;
  const per = new Array<number>(need).fill(0);
  let present = 0;
  let left = 0;
  let cluster: { start: number; end: number } | null = null;
  const flush = () => {
    if (cluster) out.push({ events: uniqueEvents(items.slice(cluster.start, cluster.end + 1)), count: need });
    cluster = null;
  };
  for (let right = 0; right < items.length; right++) {
    if (per[items[right].rule]++ === 0) present++;
    while (items[right].time - items[left].time > rule.timespanMs) {
      if (--per[items[left].rule] === 0) present--;
      left++;
    }
    if (present === need) {
      if (cluster && left <= cluster.end) cluster.end = right;
      else {
        flush();
        cluster = { start: left, end: right };
      }
    }
  }
  flush();
  return out;
}

function temporalOrdered(rule: CorrelationRule, items: Item[]): Array<{ events: MatchedEvent[]; count: number }> {
  const out: Array<{ events: MatchedEvent[]; count: number }> = [];
  let from = 0;
  while (from < items.length) {
    const startIdx = items.findIndex((x, k) => k >= from && x.rule === 0);
    if (startIdx < 0) break;
    const start = items[startIdx];
    const chosen: Item[] = [start];
    let k = startIdx + 1;
    for (let step = 1; step < rule.rules.length && k <= items.length; step++) {
      while (k < items.length && items[k].rule !== step && items[k].time - start.time <= rule.timespanMs) k++;
      if (k >= items.length || items[k].time - start.time > rule.timespanMs) break;
      chosen.push(items[k++]);
    }
    if (chosen.length === rule.rules.length) {
      out.push({ events: uniqueEvents(chosen), count: chosen.length });
      from = k;
    } else {
      from = startIdx + 1;
    }
  }
  return out;
}
