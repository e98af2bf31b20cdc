// Rules as Trino/Athena SQL (`trailhound sql-for trino|athena detect`): each event rule's predicate compiled by the
// same compiler that serves the SQLite case (compile-sql.ts), with the Trino dialect (trino-dialect.ts) over one
// target table. A rule translates when every test renders exactly; otherwise it is listed with the reasons.
//
// Two outputs, each ONE statement that reads the table once for all rules (a rule-id column crossed with the events):
//  - findings: one row per rule and actor, as `trailhound detect` groups them (detect/findings.ts);
//  - events: the matched events (Parquet: with the original record, so the result file ingests back into a case;
//    the AWS table: with the log file each came from, to copy and ingest).

import { FINDING_COLUMNS, trinoString, timeWindowSql, type SqlTarget } from '../model/sql-targets.js';
import { escapeControl } from '../model/escape.js';
import { compileSql } from './compile-sql.js';
import type { Predicate } from './predicate.js';
import type { EventRule, Rule } from './rule.js';
import { TrinoDialect } from './trino-dialect.js';

export type SqlOutput = 'findings' | 'events';

/** A rule and what became of it. */
export type RuleTranslation =
  | { ruleId: string; title: string; level: string; translated: true; where: string }
  | { ruleId: string; title: string; level: string; translated: false; reasons: string[] };

/** Record-level tests the compiler cannot hand to any dialect. */
function recordTests(p: Predicate, out: string[] = []): string[] {
  switch (p.kind) {
    case 'and':
    case 'or':
      for (const i of p.items) recordTests(i, out);
      break;
    case 'not':
      recordTests(p.item, out);
      break;
    case 'record':
      out.push(`${p.describe}: needs the whole record (a keyword or a field reference)`);
      break;
    default:
      break;
  }
  return out;
}

/** One rule as a WHERE expression over the target's table aliased `e`, or the reasons it does not translate. */
export function translateRule(rule: Rule, target: SqlTarget): RuleTranslation {
  const base = { ruleId: rule.meta.id, title: rule.meta.title, level: rule.meta.level };
  if (rule.kind === 'correlation') {
    return { ...base, translated: false, reasons: [`a ${rule.type} correlation: trailhound clusters matches in time windows locally; run the events query for the rules it correlates (${rule.rules.join(', ')}) and ingest the result`] };
  }
  const dialect = new TrinoDialect(target);
  const compiled = compileSql(rule.predicate, dialect);
  if (!compiled.exact) {
    return { ...base, translated: false, reasons: [...dialect.untranslated, ...recordTests(rule.predicate)] };
  }
  return { ...base, translated: true, where: compiled.lower };
}

export interface ScriptOptions {
  target: SqlTarget;
  table: string;
  output: SqlOutput;
  /** The engine named in the header (trino or athena): the SQL is the same. */
  engine: string;
  toolVersion: string;
  /** Only events in this inclusive window (ms since the epoch), or null. */
  startMs?: number | null;
  endMs?: number | null;
}

export interface DetectionScript {
  sql: string;
  translations: RuleTranslation[];
}

/** The SQL for the rules, and what translated. */
export function detectionScript(rules: readonly Rule[], opts: ScriptOptions): DetectionScript {
  // Rules that only feed a correlation make no findings of their own, but their events are what the correlation needs.
  const wanted = opts.output === 'findings' ? rules.filter((r) => r.kind === 'correlation' || r.generate) : rules;
  const translations = wanted.map((r) => translateRule(r, opts.target));
  const done = translations.filter((t): t is Extract<RuleTranslation, { translated: true }> => t.translated);
  const skipped = translations.filter((t) => !t.translated);
  // Rule ids in the header comment are escaped: a line break there would end the comment and start SQL.
  const header = [
    `-- trailhound ${opts.toolVersion} sql-for ${opts.engine} detect: ${done.length} of ${translations.length} rules over ${opts.table} (${opts.target === 'parquet' ? 'the Parquet export of a case' : 'the AWS-documented CloudTrail table'}).`,
    `-- Output: ${opts.output === 'findings' ? 'one row per rule and actor, as trailhound detect groups findings' : 'the matched events, one row per rule and event'}.`,
    ...(skipped.length ? [`-- Not translated (${skipped.length}; trailhound sql-for ${opts.engine} detect --explain lists why): ${skipped.map((s) => escapeControl(s.ruleId)).join(', ')}`] : []),
  ];
  if (!done.length) return { sql: `${header.join('\n')}\n-- No rule translates: nothing to run.\n`, translations };
  const c = FINDING_COLUMNS[opts.target];
  const rulesValues = done.map((t) => `(${trinoString(t.ruleId)})`).join(', ');
  const where = done.map((t) => `    (r.rule_id = ${trinoString(t.ruleId)} AND ${t.where})`).join('\n    OR\n');
  const window = timeWindowSql(opts.target, opts.startMs ?? null, opts.endMs ?? null);
  const matched = [
    'WITH matched AS (',
    `  SELECT r.rule_id, ${c.file} AS evidence_file, e.*`,
    `  FROM ${opts.table} e CROSS JOIN (VALUES ${rulesValues}) AS r (rule_id)`,
    ...(window ? [`  WHERE ${window} AND (`, where, '  )'] : ['  WHERE', where]),
    ')',
  ];
  const body =
    opts.output === 'findings'
      ? [
          // DISTINCT event ids: an organization trail and an account trail deliver the same event twice.
          `SELECT e.rule_id, ${c.actor} AS actor, count(DISTINCT ${c.eventId}) AS event_count, min(${c.time}) AS first_time, max(${c.time}) AS last_time,`,
          `       count(DISTINCT CASE WHEN ${c.failed} THEN ${c.eventId} END) AS failed_count`,
          'FROM matched e',
          'GROUP BY 1, 2',
          'ORDER BY 1, 2;',
        ]
      : [
          `SELECT e.rule_id, ${c.eventId} AS event_id, ${c.time} AS event_time, e.evidence_file AS source_file${c.record ? `, ${c.record} AS cloudtrailevent` : ''}`,
          'FROM matched e',
          'ORDER BY 1, 3, 2;',
        ];
  return { sql: `${header.join('\n')}\n${matched.join('\n')}\n${body.join('\n')}\n`, translations };
}

/** One rule's WHERE as a reviewable file (the golden files under test/golden/sql-for/). */
export function ruleWhereFile(rule: EventRule, target: SqlTarget): string {
  const t = translateRule(rule, target);
  // Rule text in a comment is escaped: a line break there would end the comment and put the rest into the SQL.
  const c = escapeControl;
  return t.translated ? `-- ${c(t.ruleId)}: ${c(t.title)}\n${t.where}\n` : `-- ${c(t.ruleId)}: not translated\n${t.reasons.map((r) => `-- ${c(r)}`).join('\n')}\n`;
}
