// Running the examples a rule ships with (`trailhound rules test`, and npm test over every shipped rule): an event
// rule must match its `match: true` events and not its `match: false` ones; a correlation rule must make a finding
// from its example's events together (with the rules it names), or must not.

import { extractColumns, parseEventTime } from '../sources/extract.js';
import type { MatchedEvent } from '../index/detections.js';
import { correlate } from './correlate.js';
import { fieldValues, rowValue } from './field-value.js';
import { evaluate } from './predicate.js';
import type { Rule, RuleExample } from './rule.js';

export interface ExampleResult {
  ruleId: string;
  example: string;
  line: number;
  expect: boolean;
  /** What the rule did. */
  got: boolean;
  passed: boolean;
  /** Why the example could not run (a correlation naming a rule that is not loaded). */
  error?: string;
}

function matched(row: number, record: Record<string, unknown>): MatchedEvent {
  const time = parseEventTime(record.eventTime);
  const c = extractColumns(record, typeof record.eventID === 'string' ? record.eventID : `example-${row}`, time);
  return {
    row,
    eventId: c.eventId,
    time: c.eventTime,
    arn: c.arn,
    principalId: c.principalId,
    username: c.username,
    accessKeyId: c.accessKeyId,
    sourceIp: c.sourceIPAddress,
    account: c.recipientAccountId,
    region: c.awsRegion,
    errorCode: c.errorCode,
    errorMessage: c.errorMessage,
    userAgent: c.userAgent,
  };
}

function runOne(rule: Rule, ex: RuleExample, byRef: ReadonlyMap<string, Rule>): boolean {
  if (rule.kind === 'event') return ex.records.every((r) => evaluate(rule.predicate, r));
  const records = ex.records;
  const matches = new Map<string, MatchedEvent[]>();
  for (const ref of rule.rules) {
    const base = byRef.get(ref);
    if (!base || base.kind !== 'event') throw new Error(`the correlation names ${ref}, which is not a loaded event rule`);
    matches.set(
      ref,
      records.flatMap((r, i) => (evaluate(base.predicate, r) ? [matched(i + 1, r)] : [])),
    );
  }
  const clusters = correlate(rule, {
    matches,
    valueOf: (ev, field) => {
      const v = rowValue(ev, field);
      return v !== undefined ? v : (fieldValues(records[ev.row - 1], field)[0] ?? null);
    },
  });
  return clusters.length > 0;
}

/** Runs the examples of `rules` (`all` resolves the rules correlations name; default: `rules`). */
export function runExamples(rules: readonly Rule[], all: readonly Rule[] = rules): ExampleResult[] {
  const byRef = new Map<string, Rule>();
  for (const r of all) {
    byRef.set(r.meta.id, r);
    if (r.meta.name) byRef.set(r.meta.name, r);
  }
  const out: ExampleResult[] = [];
  for (const rule of rules) {
    for (const ex of rule.examples) {
      const base = { ruleId: rule.meta.id, example: ex.name, line: ex.line, expect: ex.expect };
      try {
        const got = runOne(rule, ex, byRef);
        out.push({ ...base, got, passed: got === ex.expect });
      } catch (e) {
        out.push({ ...base, got: false, passed: false, error: (e as Error).message });
      }
    }
  }
  return out;
}
