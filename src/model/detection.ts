// Detection rules and findings as plain data: what every layer (detect, report, cli, tui) agrees on.
// The rule engine that produces them lives in src/detect; the JSON contract is docs/detections.md and
// docs/json-output.md.

/** Sigma's levels, lowest first. */
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** The rule language a rule is written in. */
export type RuleDialect = 'sigma' | 'cloudwatch-filter' | 'sigma-correlation';

/** Where a rule (or a problem with one) comes from: file and 1-based line. */
export interface RuleLocation {
  path: string;
  line: number;
}

/** What a rule says about itself (Sigma's metadata; the CIS pack fills the same fields). */
export interface RuleMeta {
  /** Stable id: a Sigma rule's `id` (UUID), a CIS control's `cis-aws-7.0-5.4`, trailhound's `th-…`. */
  id: string;
  /** Sigma's optional `name` (correlation rules refer to rules by id or name). */
  name: string | null;
  title: string;
  description: string | null;
  level: Level;
  status: string | null;
  /** The rule's author, shown wherever a match is shown (the Detection Rule License requires it). */
  author: string | null;
  tags: string[];
  references: string[];
  falsepositives: string[];
  /** The pack the rule was loaded from: the folder name under rules/ (sigma, cis, trailhound) or the user's folder. */
  pack: string;
  dialect: RuleDialect;
  location: RuleLocation;
  /** Sigma's `fields`: record fields whose values a finding shows (a share's target account, a bucket). */
  fields: string[];
}

/** A rule that could not be loaded, and why; the other rules still run. */
export interface SkippedRule {
  path: string;
  line: number | null;
  /** The rule's id when it could be read. */
  id: string | null;
  reason: string;
  /**
   * Not a problem with the rule: it needs values the run did not give (placeholders) or says it is not to be run
   * (status unsupported/deprecated). `rules test` fails only on the others.
   */
  optional: boolean;
}

/** Did the calls behind a finding succeed? A failed StopLogging is an attempt, not a blind spot. */
export type FindingOutcome = 'succeeded' | 'failed' | 'mixed';

/** One finding: a rule that matched, with the events behind it. Times are ISO-8601 UTC. */
export interface Finding {
  /** Stable for the same rule and group (re-running detect keeps the id). */
  findingId: string;
  ruleId: string;
  title: string;
  level: Level;
  tags: string[];
  author: string | null;
  pack: string;
  outcome: FindingOutcome;
  /** Distinct errorCodes of the failed calls, most frequent first. */
  errorCodes: string[];
  firstTime: string | null;
  lastTime: string | null;
  eventCount: number;
  /** The matched events' eventIDs, oldest first (all of them; the table view shortens). */
  eventIds: string[];
  principals: string[];
  accessKeyIds: string[];
  sourceIps: string[];
  accounts: string[];
  regions: string[];
  /** What the finding is grouped by (a correlation's group-by values, or the principal), as field → value. */
  group: Record<string, string>;
  /** The values of the rule's `fields` across the matched events, field → distinct values (at most 20 each). */
  details: Record<string, string[]>;
  /** The weakest integrity trust label among the matched events' sources (docs/integrity.md). */
  trust: string | null;
}
