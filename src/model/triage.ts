// The triage report as plain data: what `trailhound triage` found, in the shape every output shares (the terminal
// summary, JSON, the HTML and Markdown reports, the TUI's first screen). src/triage builds it; src/report renders
// it. The JSON contract is docs/triage.md. Times are ISO-8601 UTC strings; counts are numbers.

import type { Level } from './detection.js';

export const TRIAGE_SCHEMA = 'trailhound.triage/1';

/** One step of the run (ingest, verify, detect, an investigation) and how it went. */
export interface TriageStep {
  step: string;
  /** ran: did its work; skipped: not needed or not possible (`note` says why); failed: `note` has the error. */
  status: 'ran' | 'skipped' | 'failed';
  /** One line for people, e.g. "5098 new events from 1608 files". */
  note: string;
  durationMs: number;
}

/** What the evidence is. */
export interface TriageEvidence {
  caseFile: string;
  events: number;
  accounts: string[];
  regions: string[];
  firstEvent: string | null;
  lastEvent: string | null;
  /** Ingested files by kind (duplicates left out). */
  sources: Record<string, number>;
  /** Events by category (Management, Data, Insight, …). */
  categories: Record<string, number>;
  /** Integrity in one sentence ("not verified: no digest files in the evidence", "1142 of 1142 log files proven…"). */
  integrity: string;
  /** Log files by trust label after verify; null when not verified. */
  trust: { proven: number; provisional: number; unverified: number } | null;
  /** verify's exit code (docs/exit-codes.md): 0 proven, 3 failure, 5 gaps in assurance; null when not verified. */
  verifyExitCode: number | null;
}

export type BlindSpotKind =
  | 'integrity-gap' // a digest chain restarts, misses links or ends early (verify)
  | 'integrity-failure' // a digest or log file failed verification
  | 'not-verified' // no digest files, or no keys: nothing is proven
  | 'logging-stopped' // StopLogging … StartLogging (or until the end of the evidence)
  | 'logging-reduced' // event selectors or trail settings that drop events
  | 'missing-hours' // an account/region delivers nothing for hours inside the evidence's range
  | 'no-data-events' // no data events in the evidence
  | 'no-insights'; // no Insights events in the evidence

export interface BlindSpot {
  kind: BlindSpotKind;
  /** high: the evidence cannot show what happened in this span; medium: partly; info: a limit to keep in mind. */
  severity: 'high' | 'medium' | 'info';
  account: string | null;
  region: string | null;
  start: string | null;
  end: string | null;
  message: string;
  /** Events that show it (StopLogging, PutEventSelectors, …). */
  eventIds: string[];
}

/** Events per account × region × day: the coverage heat map. */
export interface CoverageCell {
  account: string;
  region: string;
  day: string;
  events: number;
}

/** Events per hour over the whole evidence (empty hours left out). */
export interface ActivityBucket {
  start: string;
  events: number;
  /** Events in this hour that a medium, high or critical rule finding cites. */
  flagged: number;
}

/** One row of a stack count. */
export interface StackRow {
  value: string;
  events: number;
  /** Of those, calls that failed (errorCode set). */
  errors: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** First seen after the baseline (TriageStacks.baselineEnd). */
  new: boolean;
  /** User agents: how many distinct strings the family groups. */
  variants?: number;
}

export interface TriageStacks {
  /** The end of the baseline that "new" is measured against: the first half of the evidence's active days; null when too thin (under 2 active days) and nothing is marked new. */
  baselineEnd: string | null;
  /** Why the baseline is what it is, in one line. */
  baselineNote: string;
  principals: StackRow[];
  accessKeys: StackRow[];
  sourceIps: StackRow[];
  /** Grouped by family (product/version with per-run suffixes folded). */
  userAgents: StackRow[];
  /** Rarest first. */
  eventNames: StackRow[];
  errors: StackRow[];
  regions: StackRow[];
}

/** Was a change later undone? (key deleted, rule revoked, logging restarted …) */
export interface RevertStatus {
  state: 'reverted' | 'partly-reverted' | 'not-reverted' | 'not-applicable';
  /** The events that undid it. */
  eventIds: string[];
  note: string | null;
}

/** A finding in the triage: a rule match (detect) or an investigation's finding. */
export interface TriageFinding {
  id: string;
  origin: 'rule' | 'investigation';
  /** The rule id, or the investigation's finding type (docs/findings.md). */
  ruleId: string;
  title: string;
  level: Level;
  outcome: 'succeeded' | 'failed' | 'mixed';
  errorCodes: string[];
  revert: RevertStatus;
  firstTime: string | null;
  lastTime: string | null;
  eventCount: number;
  /** Cited events, oldest first (at most 50 for a rule finding; `eventCount` is the total). */
  eventIds: string[];
  principals: string[];
  accessKeyIds: string[];
  sourceIps: string[];
  accounts: string[];
  regions: string[];
  /** Decisive values (target account, bucket, policy …), field → values. */
  details: Record<string, string[]>;
  author: string | null;
  /** The investigation that made it (`investigate iam`), or the rule's pack. */
  source: string;
  trust: string | null;
}

/** A principal or key behind findings, told briefly. */
export interface TriageActor {
  kind: 'principal' | 'access-key';
  id: string;
  /** The IAM user / role session / root, for an access key; the account for a principal. */
  label: string;
  account: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  events: number;
  errors: number;
  sourceIps: string[];
  regions: string[];
  /** The highest level of its findings. */
  level: Level;
  findingIds: string[];
  /** Short sentences, oldest first: what it did. */
  story: string[];
  /** Resources it created (users, keys, roles, groups, snapshots …), as "Type name". */
  created: string[];
  /** Credentials it minted (AssumeRole sessions, GetSessionToken, GetFederationToken, CreateAccessKey). */
  minted: string[];
  /**
   * For keys investigated by `investigate access-key`: the suspect window it found, how (`first-anomaly`,
   * `thin-baseline`, `since`) and with what confidence (high|medium|low; null when not judged).
   */
  suspectWindow: { start: string; end: string; reason: string; source: string | null; confidence: string | null } | null;
}

export interface NextStep {
  /** The command to run, ready to paste (trailhound or aws). */
  command: string;
  why: string;
  kind: 'investigate' | 'response';
}

/** A cited event's detail: where it came from and its original JSON (the HTML report's event pages). */
export interface CitedEventDetail {
  eventId: string;
  time: string | null;
  eventName: string | null;
  eventSource: string | null;
  principal: string | null;
  sourceIp: string | null;
  errorCode: string | null;
  account: string | null;
  region: string | null;
  file: string;
  recordIndex: number;
  fileSha256: string;
  trust: string | null;
  /** The original record, pretty-printed. */
  json: string;
}

export interface TriageReport {
  schema: typeof TRIAGE_SCHEMA;
  generatedAt: string;
  toolVersion: string;
  /** The time zone the people-facing outputs show times in (JSON stays UTC). */
  tz: string;
  steps: TriageStep[];
  evidence: TriageEvidence;
  blindSpots: BlindSpot[];
  coverage: CoverageCell[];
  activity: ActivityBucket[];
  stacks: TriageStacks;
  /** Most severe first, then oldest first. */
  findings: TriageFinding[];
  /** Findings by level (all of them, before any --min-level). */
  findingCounts: Record<Level, number>;
  actors: TriageActor[];
  nextSteps: NextStep[];
  /** The events the findings, blind spots and actors cite (capped: `citedEventsOmitted` says how many were left out). */
  events: CitedEventDetail[];
  citedEventsOmitted: number;
  /** The exit code triage returns (docs/exit-codes.md). */
  exitCode: number;
}
