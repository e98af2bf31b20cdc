// The triage at a glance, for an interactive first screen: the parts of the triage report that cost index seeks and
// the stored findings only (no investigation runs, no full scans). The evidence in one line, the integrity sentence,
// the blind spots that hide what happened (high and medium: the info ones need the event categories, a full scan),
// the stored rule findings with outcome and revert state, and the principals, access keys and source IPs to pick
// an investigation from, with their "new" marks.

import type { Db } from '../index/open.js';
import { overviewFacts } from '../index/case-overview.js';
import { readFindings } from '../index/detections.js';
import { stackCounts, type StackColumn } from '../index/triage-facts.js';
import { integrityStatus, integritySummary } from '../index/trust.js';
import type { BlindSpot, StackRow, TriageFinding } from '../model/triage.js';
import { integrityText } from '../report/info.js';
import { findBlindSpots } from './blind-spots.js';
import { triageFindings } from './findings.js';
import { stackBaseline, stackRow } from './stacks.js';

export interface TriageGlance {
  events: number;
  accounts: string[];
  regions: string[];
  /** ms since epoch; null when no event has a time. */
  firstMs: number | null;
  lastMs: number | null;
  /** Ingested files by kind. */
  sources: Record<string, number>;
  /** The shared integrity sentence (report/info.ts integrityText). */
  integrity: string;
  /** verify's exit code, null when not verified. */
  verifyExitCode: number | null;
  /** High and medium blind spots, high first. */
  blindSpots: BlindSpot[];
  /** The stored rule findings (detect), most severe first, then oldest. */
  findings: TriageFinding[];
}

/** Whether detect (or triage) stored findings in the case: the triage screen opens first then. */
export function hasStoredFindings(db: Db): boolean {
  return readFindings(db, { eventIds: false }).length > 0;
}

/** The first screen's facts (`caseFile`: the case as the user named it, for the commands the sentences suggest). */
export function triageGlance(db: Db, caseFile: string): TriageGlance {
  const facts = overviewFacts(db);
  const summary = integritySummary(db);
  // Categories are left empty: only the info-level spots (no data events, no Insights) read them, and those are dropped.
  const spots = findBlindSpots(db, { categories: {}, sources: facts.sources, firstMs: facts.firstTime, lastMs: facts.lastTime });
  return {
    events: facts.events,
    accounts: facts.accounts,
    regions: facts.regions,
    firstMs: facts.firstTime,
    lastMs: facts.lastTime,
    sources: facts.sources,
    integrity: integrityText(integrityStatus(db), summary, caseFile),
    verifyExitCode: summary ? summary.exitCode : null,
    blindSpots: spots.filter((s) => s.severity !== 'info'),
    findings: triageFindings(db, []),
  };
}

export type PickerKind = 'principals' | 'accessKeys' | 'sourceIps';

const COLUMN: Record<PickerKind, StackColumn> = { principals: 'arn', accessKeys: 'access_key_id', sourceIps: 'source_ip' };

export interface PickerStack {
  rows: StackRow[];
  /** How "new" is measured (stacks.ts stackBaseline). */
  baselineNote: string;
}

/**
 * Every principal, access key or source IP of the case with the triage's stack counts (same baseline and "new"
 * mark), new values first, each part by events: the values a responder picks an investigation from. One GROUP BY
 * over the events (seconds on a million events: the screen asks for it when the user opens that list).
 */
export function pickerStack(db: Db, kind: PickerKind): PickerStack {
  const base = stackBaseline(db);
  const all = stackCounts(db, COLUMN[kind]).map((c) => stackRow(c, base));
  return { rows: [...all.filter((r) => r.new), ...all.filter((r) => !r.new)], baselineNote: base.note };
}
