// A loaded rule: its metadata, what it matches (a predicate over one record, or a correlation over other rules'
// matches) and the examples it carries. Produced by load.ts from Sigma, Sigma correlation and CloudWatch-filter
// documents.

import type { RuleMeta } from '../model/detection.js';
import type { Predicate } from './predicate.js';

/**
 * One example a rule ships with: an event that must match (`expect: true`) or must not; for a correlation rule, a
 * list of events that together must make a finding, or must not.
 */
export interface RuleExample {
  name: string;
  expect: boolean;
  records: Array<Record<string, unknown>>;
  line: number;
}

/** A rule over single events. */
export interface EventRule {
  kind: 'event';
  meta: RuleMeta;
  predicate: Predicate;
  examples: RuleExample[];
  /** Load-time warnings (an empty `1 of` pattern, a field CloudTrail never writes). */
  warnings: string[];
  /** SHA-256 of the rule's source document and options: detect re-evaluates a rule whose hash changed. */
  hash: string;
  /** Sigma `generate: false` rules referenced by a correlation only feed it and make no findings of their own. */
  generate: boolean;
}

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

/** A Sigma correlation rule (spec v2). */
export interface CorrelationRule {
  kind: 'correlation';
  meta: RuleMeta;
  type: CorrelationType;
  /** The rules it correlates, by id or name, as written. */
  rules: string[];
  /** Field aliases: alias → (rule id or name → field of that rule's events). */
  aliases: Record<string, Record<string, string>>;
  groupBy: string[];
  timespanMs: number;
  /** event_count / value_count: the count condition; temporal*: absent (all rules must match). */
  condition: { op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq'; value: number; field?: string } | null;
  examples: RuleExample[];
  warnings: string[];
  hash: string;
  generate: boolean;
}

export type Rule = EventRule | CorrelationRule;
