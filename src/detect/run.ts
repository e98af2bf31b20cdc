// The rule engine over a case: evaluate event rules (SQL over the indexed columns where it decides, the records
// where it cannot), keep each rule's matches, run correlations over them, and rebuild the findings of what changed.
// Incremental: a rule whose text is unchanged only looks at events added since its last run (and events that were
// partial then); changing a rule re-evaluates it on everything. The whole run is one transaction.

import crypto from 'node:crypto';
import type { Db } from '../index/open.js';
import {
  actorsOfMatchesAfter,
  addMatches,
  clearMatches,
  columnValuesOfRows,
  deleteFinding,
  deleteFindings,
  dropVanishedEvents,
  eventCountThrough,
  finishDetectRun,
  insertSureMatches,
  oddFlagFrom,
  oddRows,
  forgetRulesExcept,
  insertFinding,
  matchedEvents,
  maxEventRow,
  previouslyPartialRows,
  recordPartialRows,
  ruleStates,
  saveRuleState,
  scanRows,
  startDetectRun,
  undecidedRows,
  type MatchedEvent,
} from '../index/detections.js';
import { forEachEventRecord } from '../index/bodies.js';
import { CaseDialect } from './case-dialect.js';
import { PATH_COLUMNS } from '../model/event-columns.js';
import { compileSql } from './compile-sql.js';
import { correlate } from './correlate.js';
import { fieldValues, rowValue } from './field-value.js';
import { actorGroup, buildFinding, findingId, findingsOfRule, type BuiltFinding } from './findings.js';
import { evaluate } from './predicate.js';
import type { CorrelationRule, EventRule, Rule } from './rule.js';

export interface DetectOptions {
  toolVersion: string;
  /** Re-evaluate every rule on every event (ignore what earlier runs did). */
  full?: boolean;
  /** 'sql' (default): indexed columns decide where they can; 'scan': read and evaluate every record (the naive design, for benchmarks and cross-checks). */
  strategy?: 'sql' | 'scan';
  /** Forget findings of rules that are not in `rules` (a run over the whole rule set). */
  forgetOthers?: boolean;
}

export interface DetectSummary {
  runId: number;
  rules: { evaluated: number; incremental: number; full: number; correlations: number };
  /** Events in the case, and the highest events.id evaluated through. */
  events: number;
  /** Event rows looked at by incremental rules (added since their last run). */
  newEvents: number;
  /** Records read and evaluated in full (the SQL could not decide them). */
  recordsRead: number;
  /** Records that could not be read (listed, the rest still evaluated). */
  unreadable: Array<{ row: number; reason: string }>;
  /** Rules whose findings were rebuilt. */
  rebuilt: number;
  timings: { sqlMs: number; recordsMs: number; correlateMs: number; findingsMs: number; totalMs: number };
  /** The rules that took longest (SQL, findings, correlation), for tuning rules: id → ms. */
  slowest: Array<{ ruleId: string; ms: number }>;
}

const MAX_DETAIL_EVENTS = 200;
const MAX_DETAIL_VALUES = 20;

/**
 * What a rule's stored state must equal for an incremental run: its text (and placeholder values), the engine that
 * evaluated it (another trailhound version may match differently) and whether it feeds a correlation only.
 */
function stateHash(r: Rule, toolVersion: string): string {
  return crypto
    .createHash('sha256')
    .update([r.hash, toolVersion, r.kind === 'event' && !r.generate ? 'feeder' : 'generates'].join('\0'))
    .digest('hex');
}

export function runDetect(db: Db, rules: readonly Rule[], opts: DetectOptions): DetectSummary {
  const t0 = performance.now();
  let out!: DetectSummary;
  db.transaction(() => {
    out = runInTransaction(db, rules, opts, t0);
  })();
  return out;
}

function runInTransaction(db: Db, rules: readonly Rule[], opts: DetectOptions, t0: number): DetectSummary {
  const runId = startDetectRun(db, opts.toolVersion);
  const maxRow = maxEventRow(db);
  dropVanishedEvents(db);
  if (opts.forgetOthers) forgetRulesExcept(db, new Set(rules.map((r) => r.meta.id)));
  const states = ruleStates(db);
  const partial = previouslyPartialRows(db);
  const eventRules = rules.filter((r): r is EventRule => r.kind === 'event');
  const correlations = rules.filter((r): r is CorrelationRule => r.kind === 'correlation');
  const changed = new Set<string>();
  const spent = new Map<string, number>();
  const charge = (id: string, t: number) => spent.set(id, (spent.get(id) ?? 0) + performance.now() - t);
  const unreadable: DetectSummary['unreadable'] = [];
  let recordsRead = 0;
  let incremental = 0;
  let newEvents = 0;

  // 1. Event rules, grouped by the range they must look at.
  const byRange = new Map<number, EventRule[]>();
  /** Incremental rules that only gained events (nothing re-evaluated): rule → the row they had seen. */
  const appendedAfter = new Map<string, number>();
  for (const r of eventRules) {
    const st = states.get(r.meta.id);
    const inc = !opts.full && st !== undefined && st.hash === stateHash(r, opts.toolVersion);
    const from = inc ? Math.min(st.lastRow, maxRow) : 0;
    if (inc) incremental++;
    else {
      clearMatches(db, r.meta.id, null);
      changed.add(r.meta.id);
    }
    let list = byRange.get(from);
    if (!list) byRange.set(from, (list = []));
    list.push(r);
  }
  const tSql = performance.now();
  const toCheck = new Map<number, EventRule[]>();
  const flagFrom = oddFlagFrom(db);
  for (const [from, list] of byRange) {
    const extra = from > 0 ? partial.filter((row) => row <= from) : [];
    if (from > 0) newEvents = Math.max(newEvents, maxRow - from);
    if (from >= maxRow && !extra.length) continue;
    for (const r of list) {
      if (!extra.length) {
        if (from > 0) appendedAfter.set(r.meta.id, from);
        continue;
      }
      clearMatches(db, r.meta.id, extra);
      changed.add(r.meta.id);
    }
    if (opts.strategy === 'scan') {
      for (const row of scanRows(db, from, extra)) toCheck.set(row, list);
      for (const r of list) changed.add(r.meta.id);
      continue;
    }
    // A few new events: scan them by row id rather than through the column indexes.
    const dialect = new CaseDialect(db, from, extra, from > 0 && (maxRow - from) * 20 < maxRow);
    // Rows whose columns may not say what the record says go to every rule as records.
    const odd = oddRows(db, from, extra, flagFrom);
    for (const row of odd) toCheck.set(row, [...(toCheck.get(row) ?? []), ...list]);
    try {
      for (const r of list) {
        const tRule = performance.now();
        const sql = compileSql(r.predicate, dialect);
        if (sql.upper === '0') continue;
        if (insertSureMatches(db, r.meta.id, sql.lower, from, extra, flagFrom) > 0) changed.add(r.meta.id);
        for (const row of undecidedRows(db, sql.upper, sql.lower, from, extra, flagFrom)) {
          let rs = toCheck.get(row);
          if (!rs) toCheck.set(row, (rs = []));
          rs.push(r);
        }
        charge(r.meta.id, tRule);
      }
    } finally {
      dialect.close();
    }
  }
  const sqlMs = performance.now() - tSql;

  // 2. Records the SQL could not decide: read each once, evaluate the rules that need it.
  const tRec = performance.now();
  const found = new Map<string, number[]>();
  forEachEventRecord(
    db,
    [...toCheck.keys()],
    (row, record) => {
      recordsRead++;
      for (const r of toCheck.get(row)!) {
        if (!evaluate(r.predicate, record)) continue;
        let l = found.get(r.meta.id);
        if (!l) found.set(r.meta.id, (l = []));
        l.push(row);
      }
    },
    (row, reason) => unreadable.push({ row, reason }),
  );
  for (const [id, rows] of found) {
    addMatches(db, id, rows);
    changed.add(id);
  }
  const recordsMs = performance.now() - tRec;
  for (const r of eventRules) saveRuleState(db, r.meta.id, stateHash(r, opts.toolVersion), r.meta, maxRow, runId);

  // 3. Findings of event rules whose matches changed; feeders of correlations make none.
  const tFind = performance.now();
  let rebuilt = 0;
  const records = new RecordCache(db);
  for (const r of eventRules) {
    if (!r.generate) {
      deleteFindings(db, r.meta.id);
      continue;
    }
    if (!changed.has(r.meta.id)) continue;
    const tRule = performance.now();
    const after = appendedAfter.get(r.meta.id);
    if (after !== undefined) {
      // Only new events were added: rebuild the findings of the actors who have new matches, keep the others.
      const actors = actorsOfMatchesAfter(db, r.meta.id, after);
      for (const a of actors) deleteFinding(db, findingId(r.meta.id, actorGroup(db, a), ''));
      for (const f of findingsOfRule(db, r.meta, (rows) => records.details(r.meta.fields, rows), actors)) store(db, f, runId);
    } else {
      deleteFindings(db, r.meta.id);
      for (const f of findingsOfRule(db, r.meta, (rows) => records.details(r.meta.fields, rows))) store(db, f, runId);
    }
    rebuilt++;
    charge(r.meta.id, tRule);
  }
  const findingsMs = performance.now() - tFind;

  // 4. Correlations: rebuilt when a rule they use changed, or they did.
  const tCor = performance.now();
  const byRef = new Map<string, Rule>();
  for (const r of rules) {
    byRef.set(r.meta.id, r);
    if (r.meta.name) byRef.set(r.meta.name, r);
  }
  // One at a time (memory stays that of the largest), each reading the field values its rows do not hold in one
  // pass over the sources.
  for (const c of correlations) {
    const st = states.get(c.meta.id);
    const isStale = opts.full || !st || st.hash !== stateHash(c, opts.toolVersion) || c.rules.some((ref) => changed.has(byRef.get(ref)?.meta.id ?? ref));
    saveRuleState(db, c.meta.id, stateHash(c, opts.toolVersion), c.meta, maxRow, runId);
    if (!isStale) continue;
    const tRule = performance.now();
    const matches = new Map<string, MatchedEvent[]>();
    for (const ref of c.rules) matches.set(ref, matchedEvents(db, byRef.get(ref)!.meta.id));
    const values = new RecordCache(db);
    const need = new Map<number, Set<string>>();
    for (const [ref, evs] of matches) {
      const fields = [...c.groupBy, ...(c.condition?.field ? [c.condition.field] : [])].map((f) => c.aliases[f]?.[ref] ?? f);
      const fromRecord = evs.length ? fields.filter((f) => rowValue(evs[0], f) === undefined) : [];
      if (!fromRecord.length) continue;
      for (const ev of evs) {
        let set = need.get(ev.row);
        if (!set) need.set(ev.row, (set = new Set()));
        for (const f of fromRecord) set.add(f);
      }
    }
    values.prefetch(need);
    deleteFindings(db, c.meta.id);
    const clusters = correlate(c, { matches, valueOf: (ev, field) => values.value(ev, field) });
    for (const cl of clusters) {
      const f = buildFinding(c.meta, cl.group, cl.events, values.details(c.meta.fields, cl.events.map((e) => e.row)), cl.events[0]?.eventId ?? '');
      store(db, f, runId);
    }
    rebuilt++;
    charge(c.meta.id, tRule);
  }
  const correlateMs = performance.now() - tCor;

  // Partial rows, and rows whose record could not be read, are evaluated again next time.
  recordPartialRows(db, unreadable.map((u) => u.row));
  const summary: DetectSummary = {
    runId,
    rules: { evaluated: rules.length, incremental, full: eventRules.length - incremental, correlations: correlations.length },
    events: maxRow,
    newEvents,
    recordsRead,
    unreadable,
    rebuilt,
    timings: { sqlMs, recordsMs, correlateMs, findingsMs, totalMs: performance.now() - t0 },
    slowest: [...spent].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([ruleId, ms]) => ({ ruleId, ms: Math.round(ms) })),
  };
  finishDetectRun(db, runId, { ...summary, unreadable: unreadable.length, eventCount: eventCountThrough(db, maxRow) });
  return summary;
}

function store(db: Db, f: BuiltFinding, runId: number): void {
  insertFinding(db, f.finding, f.levelRank, f.firstTime, f.lastTime, f.rows, runId);
}

/**
 * Field values of matched events: from the row when it holds them, else from the record. Records are read source by
 * source and only the values asked for are kept (a correlation over 100k events keeps strings, not records).
 */
class RecordCache {
  private readonly values = new Map<number, Map<string, string[]>>();
  constructor(private readonly db: Db) {}

  /** Read, in one pass, the values of the fields each row needs (rows already read for a field are skipped). */
  prefetch(need: ReadonlyMap<number, ReadonlySet<string>>): void {
    const rows = [...need.keys()].filter((r) => [...need.get(r)!].some((f) => !this.values.get(r)?.has(f)));
    if (!rows.length) return;
    forEachEventRecord(this.db, rows, (row, record) => {
      let m = this.values.get(row);
      if (!m) this.values.set(row, (m = new Map()));
      for (const f of need.get(row)!) if (!m.has(f)) m.set(f, fieldValues(record, f));
    });
    // Rows whose record could not be read have no values (as if the fields were missing).
    for (const r of rows) {
      let m = this.values.get(r);
      if (!m) this.values.set(r, (m = new Map()));
      for (const f of need.get(r)!) if (!m.has(f)) m.set(f, []);
    }
  }

  private valuesOf(row: number, field: string): string[] {
    if (!this.values.get(row)?.has(field)) this.prefetch(new Map([[row, new Set([field])]]));
    return this.values.get(row)!.get(field)!;
  }

  value(ev: MatchedEvent, field: string): string | null {
    const v = rowValue(ev, field);
    if (v !== undefined) return v;
    return this.valuesOf(ev.row, field)[0] ?? null;
  }

  /**
   * The values of `fields` in the oldest MAX_DETAIL_EVENTS of the events (rows, oldest first): from the index for
   * fields it stores, else from the records.
   */
  details(fields: readonly string[], rows: readonly number[]): Record<string, string[]> {
    if (!fields.length) return {};
    const sample = rows.slice(0, MAX_DETAIL_EVENTS);
    const fromRecords = fields.filter((f) => !PATH_COLUMNS.has(f));
    if (fromRecords.length) this.prefetch(new Map(sample.map((r) => [r, new Set(fromRecords)])));
    const out: Record<string, string[]> = {};
    for (const f of fields) {
      const column = PATH_COLUMNS.get(f);
      if (column) {
        const vals = columnValuesOfRows(this.db, column, sample, MAX_DETAIL_VALUES);
        if (vals.length) out[f] = vals;
        continue;
      }
      const seen = new Set<string>();
      for (const row of sample) for (const v of this.valuesOf(row, f)) if (seen.size < MAX_DETAIL_VALUES) seen.add(v);
      if (seen.size) out[f] = [...seen];
    }
    return out;
  }
}
