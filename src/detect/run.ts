// The rule engine over a case: evaluate event rules (SQL over the indexed columns where it decides, the records
// where it cannot), keep each rule's matches, run correlations over them, and rebuild the findings of what changed.
// Incremental: a rule whose text is unchanged only looks at events added since its last run (and events that were
// partial then); changing a rule re-evaluates it on everything. The whole run is one transaction.

import crypto from 'node:crypto';
import type { Db } from '../index/open.js';
import {
  addMatches,
  clearMatches,
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
import { compileSql } from './compile-sql.js';
import { correlate } from './correlate.js';
import { fieldValues, rowValue } from './field-value.js';
import { buildFinding, findingsOfRule, type BuiltFinding } from './findings.js';
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
  const unreadable: DetectSummary['unreadable'] = [];
  let recordsRead = 0;
  let incremental = 0;
  let newEvents = 0;

  // 1. Event rules, grouped by the range they must look at.
  const byRange = new Map<number, EventRule[]>();
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
      if (!extra.length) continue;
      clearMatches(db, r.meta.id, extra);
      changed.add(r.meta.id);
    }
    if (opts.strategy === 'scan') {
      for (const row of scanRows(db, from, extra)) toCheck.set(row, list);
      for (const r of list) changed.add(r.meta.id);
      continue;
    }
    const dialect = new CaseDialect(db, from, extra);
    // Rows whose columns may not say what the record says go to every rule as records.
    const odd = oddRows(db, from, extra, flagFrom);
    for (const row of odd) toCheck.set(row, [...(toCheck.get(row) ?? []), ...list]);
    try {
      for (const r of list) {
        const sql = compileSql(r.predicate, dialect);
        if (sql.upper === '0') continue;
        if (insertSureMatches(db, r.meta.id, sql.lower, from, extra, flagFrom) > 0) changed.add(r.meta.id);
        for (const row of undecidedRows(db, sql.upper, sql.lower, from, extra, flagFrom)) {
          let rs = toCheck.get(row);
          if (!rs) toCheck.set(row, (rs = []));
          rs.push(r);
        }
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
    deleteFindings(db, r.meta.id);
    for (const f of findingsOfRule(db, r.meta, (rows) => records.details(r.meta.fields, rows))) store(db, f, runId);
    rebuilt++;
  }
  const findingsMs = performance.now() - tFind;

  // 4. Correlations: rebuilt when a rule they use changed, or they did.
  const tCor = performance.now();
  const byRef = new Map<string, Rule>();
  for (const r of rules) {
    byRef.set(r.meta.id, r);
    if (r.meta.name) byRef.set(r.meta.name, r);
  }
  for (const c of correlations) {
    const st = states.get(c.meta.id);
    const stale = opts.full || !st || st.hash !== stateHash(c, opts.toolVersion) || c.rules.some((ref) => changed.has(byRef.get(ref)?.meta.id ?? ref));
    saveRuleState(db, c.meta.id, stateHash(c, opts.toolVersion), c.meta, maxRow, runId);
    if (!stale) continue;
    deleteFindings(db, c.meta.id);
    const matches = new Map<string, MatchedEvent[]>();
    for (const ref of c.rules) matches.set(ref, matchedEvents(db, byRef.get(ref)!.meta.id));
    // Fields the rows do not hold come from the records: read them in one pass, source by source.
    const fields = [...c.groupBy, ...(c.condition?.field ? [c.condition.field] : []), ...Object.values(c.aliases).flatMap((m) => Object.values(m))];
    const sample = [...matches.values()].flat();
    if (sample.length && fields.some((f) => rowValue(sample[0], f) === undefined)) records.load(sample.map((e) => e.row));
    const clusters = correlate(c, { matches, valueOf: (ev, field) => records.value(ev, field) });
    for (const cl of clusters) {
      const f = buildFinding(c.meta, cl.group, cl.events, records.details(c.meta.fields, cl.events.map((e) => e.row)), cl.events[0]?.eventId ?? '');
      store(db, f, runId);
    }
    rebuilt++;
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
  };
  finishDetectRun(db, runId, { ...summary, unreadable: unreadable.length, eventCount: eventCountThrough(db, maxRow) });
  return summary;
}

function store(db: Db, f: BuiltFinding, runId: number): void {
  insertFinding(db, f.finding, f.levelRank, f.firstTime, f.lastTime, f.rows, runId);
}

/** Field values of matched events, from the row when it holds them, else from the record (read once, cached). */
class RecordCache {
  private readonly records = new Map<number, Record<string, unknown> | null>();
  constructor(private readonly db: Db) {}

  load(rows: readonly number[]): void {
    const need = rows.filter((r) => !this.records.has(r));
    if (!need.length) return;
    for (const r of need) this.records.set(r, null);
    forEachEventRecord(this.db, need, (row, record) => this.records.set(row, record));
  }

  value(ev: MatchedEvent, field: string): string | null {
    const v = rowValue(ev, field);
    if (v !== undefined) return v;
    this.load([ev.row]);
    const rec = this.records.get(ev.row);
    return rec ? (fieldValues(rec, field)[0] ?? null) : null;
  }

  /** The values of `fields` in the oldest MAX_DETAIL_EVENTS of the events (rows, oldest first). */
  details(fields: readonly string[], rows: readonly number[]): Record<string, string[]> {
    if (!fields.length) return {};
    const sample = rows.slice(0, MAX_DETAIL_EVENTS);
    this.load(sample);
    const out: Record<string, string[]> = {};
    for (const f of fields) {
      const seen = new Set<string>();
      for (const row of sample) {
        for (const v of fieldValues(this.records.get(row) ?? {}, f)) if (seen.size < MAX_DETAIL_VALUES) seen.add(v);
      }
      if (seen.size) out[f] = [...seen];
    }
    return out;
  }
}
