// What `trailhound rules list|show|test` print: the rule catalog, one rule in full (what it tests, which of its
// fields the case's indexes decide), and example results — as ReportViews for people and plain objects for JSON.

import { PRIORITY, type ReportView } from '../model/report-view.js';
import type { SkippedRule } from '../model/detection.js';
import { FIELD_COLUMNS } from './case-dialect.js';
import type { ExampleResult } from './examples.js';
import { describe, fieldsOf } from './predicate.js';
import { translateRule } from './sql-for.js';
import type { SqlTarget } from '../model/sql-targets.js';
import type { Rule } from './rule.js';

function kindOf(r: Rule): string {
  return r.kind === 'correlation' ? `correlation ${r.type}` : r.meta.dialect;
}

export function ruleListView(rules: readonly Rule[], skipped: readonly SkippedRule[]): ReportView {
  return {
    title: `${rules.length} rules`,
    facts: [['Packs', [...new Set(rules.map((r) => r.meta.pack))].join(', ') || '-']],
    sections: [
      {
        title: 'Rules',
        columns: [
          { key: 'id', header: 'ID', priority: PRIORITY.key },
          { key: 'level', header: 'Level', priority: PRIORITY.essential },
          { key: 'pack', header: 'Pack', priority: PRIORITY.secondary },
          { key: 'kind', header: 'Kind', priority: PRIORITY.secondary },
          { key: 'title', header: 'Title', priority: PRIORITY.essential, wrap: true, minWidth: 24 },
          { key: 'author', header: 'Author', priority: PRIORITY.text },
          { key: 'examples', header: 'Examples', align: 'right', priority: PRIORITY.secondary },
        ],
        rows: rules.map((r) => ({ id: r.meta.id, level: r.meta.level, pack: r.meta.pack, kind: kindOf(r), title: r.meta.title, author: r.meta.author, examples: r.examples.length })),
      },
      ...skippedSection(skipped),
    ],
    notes: [],
  };
}

function skippedSection(skipped: readonly SkippedRule[]): ReportView['sections'] {
  if (!skipped.length) return [];
  return [
    {
      title: 'Skipped',
      columns: [
        { key: 'where', header: 'File:line', priority: PRIORITY.key, cut: 'start' },
        { key: 'reason', header: 'Reason', priority: PRIORITY.essential, wrap: true },
      ],
      rows: skipped.map((s) => ({ where: `${s.path}${s.line ? `:${s.line}` : ''}`, reason: s.reason })),
    },
  ];
}

/** The fields a rule reads, each with whether the case's columns decide it. */
function ruleFields(r: Rule): Array<{ field: string; indexed: boolean }> {
  if (r.kind !== 'event') return [];
  return [...fieldsOf(r.predicate)].sort().map((f) => ({ field: f, indexed: FIELD_COLUMNS.has(f) }));
}

/** Whether the rule translates to Trino/Athena SQL, per target (`trailhound sql-for`), with the reasons it does not. */
function sqlForStatus(r: Rule): Record<SqlTarget, { translated: boolean; reasons: string[] }> {
  const one = (t: SqlTarget) => {
    const x = translateRule(r, t);
    return { translated: x.translated, reasons: x.translated ? [] : x.reasons };
  };
  return { cloudtrail: one('cloudtrail'), parquet: one('parquet') };
}

export function ruleJson(r: Rule): Record<string, unknown> {
  return {
    ...r.meta,
    kind: kindOf(r),
    ...(r.kind === 'event'
      ? { matches: describe(r.predicate), fieldsRead: ruleFields(r), generate: r.generate, sqlFor: sqlForStatus(r) }
      : { correlation: { type: r.type, rules: r.rules, groupBy: r.groupBy, timespanMs: r.timespanMs, condition: r.condition, aliases: r.aliases } }),
    warnings: r.warnings,
    examples: r.examples.map((e) => ({ name: e.name, match: e.expect, events: e.records.length, line: e.line })),
  };
}

export function ruleView(r: Rule): ReportView {
  const m = r.meta;
  const facts: Array<[string, string]> = [
    ['ID', m.id],
    ['Level', m.level],
    ['Kind', kindOf(r)],
    ['Pack', m.pack],
    ['Author', m.author ?? '-'],
    ['Status', m.status ?? '-'],
    ['Tags', m.tags.join(', ') || '-'],
    ['File', `${m.location.path}:${m.location.line}`],
  ];
  if (m.description) facts.push(['Description', m.description.replace(/\s+/g, ' ')]);
  if (r.kind === 'event') {
    facts.push(['Matches', describe(r.predicate)]);
    if (!r.generate) facts.push(['Findings', 'none of its own: it feeds a correlation']);
  } else {
    facts.push(['Correlates', r.rules.join(', ')], ['Group by', r.groupBy.join(', ') || '-'], ['Within', `${r.timespanMs / 1000} s`]);
    if (r.condition) facts.push(['Condition', `${r.condition.field ? `distinct ${r.condition.field} ` : 'events '}${r.condition.op} ${r.condition.value}`]);
  }
  if (r.kind === 'event') {
    const sql = sqlForStatus(r);
    const status = (t: SqlTarget, name: string) => (sql[t].translated ? `${name}: yes` : `${name}: no (${sql[t].reasons[0]})`);
    facts.push(['Trino/Athena', `${status('cloudtrail', 'CloudTrail table')}; ${status('parquet', 'Parquet export')} — trailhound sql-for athena detect --rule ${m.id}`]);
  }
  if (m.fields.length) facts.push(['Shows', m.fields.join(', ')]);
  if (m.falsepositives.length) facts.push(['False positives', m.falsepositives.join('; ')]);
  for (const ref of m.references) facts.push(['Reference', ref]);
  for (const w of r.warnings) facts.push(['Warning', w]);
  const fields = ruleFields(r);
  return {
    title: m.title,
    facts,
    sections: [
      ...(fields.length
        ? [
            {
              title: 'Fields read',
              columns: [
                { key: 'field', header: 'Field', priority: PRIORITY.key },
                { key: 'how', header: 'Decided by', priority: PRIORITY.essential },
              ],
              rows: fields.map((f) => ({ field: f.field, how: f.indexed ? 'the case index' : 'the record' })),
            },
          ]
        : []),
      {
        title: 'Examples',
        columns: [
          { key: 'name', header: 'Example', priority: PRIORITY.essential, wrap: true },
          { key: 'match', header: 'Must match', priority: PRIORITY.key },
          { key: 'line', header: 'Line', align: 'right', priority: PRIORITY.secondary },
        ],
        rows: r.examples.map((e) => ({ name: e.name, match: e.expect ? 'yes' : 'no', line: e.line })),
        empty: 'No examples.',
      },
    ],
    notes: [],
  };
}

export function exampleResultsView(results: readonly ExampleResult[], skipped: readonly SkippedRule[], lint: readonly string[]): ReportView {
  const failed = results.filter((r) => !r.passed);
  return {
    title: `${results.length - failed.length} of ${results.length} examples pass`,
    facts: [
      ['Failed', String(failed.length)],
      ['Rules not loaded', String(skipped.length)],
      ['Lint', String(lint.length)],
    ],
    sections: [
      {
        title: 'Failed examples',
        columns: [
          { key: 'rule', header: 'Rule', priority: PRIORITY.key },
          { key: 'example', header: 'Example', priority: PRIORITY.essential, wrap: true },
          { key: 'expect', header: 'Expected', priority: PRIORITY.normal },
          { key: 'got', header: 'Got', priority: PRIORITY.normal },
        ],
        rows: failed.map((f) => ({ rule: f.ruleId, example: f.example, expect: f.expect ? 'match' : 'no match', got: f.error ? `error: ${f.error}` : f.got ? 'match' : 'no match' })),
        empty: 'None.',
      },
      ...skippedSection(skipped),
      ...(lint.length ? [{ title: 'Lint', columns: [{ key: 'msg', header: 'Problem', priority: PRIORITY.essential, wrap: true }], rows: lint.map((l) => ({ msg: l })) }] : []),
    ],
    notes: [],
  };
}

/** Rule problems that do not stop it loading: missing examples, fields CloudTrail never writes. */
export function lintRules(rules: readonly Rule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    const at = `${r.meta.id} (${r.meta.location.path}:${r.meta.location.line})`;
    if (!r.examples.some((e) => e.expect)) out.push(`${at}: no example that must match`);
    if (!r.examples.some((e) => !e.expect)) out.push(`${at}: no example that must not match`);
    for (const w of r.warnings) out.push(`${at}: ${w}`);
  }
  return out;
}
