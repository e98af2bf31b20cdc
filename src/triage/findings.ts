// The triage's findings: the stored rule findings (detect) and the findings of the case-wide investigations, in one
// shape (model/triage.ts TriageFinding), each with its outcome and whether its changes were undone later. Ranked
// most severe first, then oldest first.

import type { Db } from '../index/open.js';
import { eventRowId } from '../index/bodies.js';
import { fetchEventRows, type EventRow } from '../index/event-rows.js';
import { listFindings } from '../detect/read.js';
import { failureOf } from '../detect/findings.js';
import { levelRank, type Finding, type Level } from '../model/detection.js';
import { findingType, isFindingTypeId } from '../model/finding-types.js';
import { isoUtc } from '../model/time.js';
import { outcomeOf as sharedOutcome } from '../model/outcome.js';
import type { TriageFinding } from '../model/triage.js';
import { findReverts, revertStatus, type ChangeEvent } from '../scenarios/reverts.js';

/** Cited events kept per finding (eventCount keeps the total). */
export const CITED_PER_FINDING = 50;

/** An investigation's finding as its JSON gives it. */
export interface InvestigationFindingInput {
  type: string;
  severity: string;
  message: string;
  eventIds: string[];
  /** The investigation (`iam`, `console-logins` …). */
  investigation: string;
}

const SEVERITY_LEVEL: Record<string, Level> = { high: 'high', medium: 'medium', low: 'low', info: 'informational' };

function distinct(values: Iterable<string | null>): string[] {
  return [...new Set([...values].filter((v): v is string => v !== null && v !== ''))].sort();
}

function change(r: EventRow): ChangeEvent {
  return { rowId: r.id, eventId: r.eventId, eventName: r.eventName ?? '', timeMs: r.eventTime, account: r.recipientAccountId, errorCode: failureOf(r.errorCode, r.errorMessage) };
}

function outcomeOf(rows: readonly EventRow[]): { outcome: TriageFinding['outcome']; errorCodes: string[] } {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const f = failureOf(r.errorCode, r.errorMessage);
    if (f !== null) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  const errorCodes = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
  return { outcome: sharedOutcome(rows) ?? 'succeeded', errorCodes };
}

function rowsOf(db: Db, eventIds: readonly string[]): EventRow[] {
  const ids = eventIds.map((id) => eventRowId(db, id)).filter((x): x is number => x !== null);
  return fetchEventRows(db, ids);
}

function fromRule(f: Finding, rows: readonly EventRow[]): Omit<TriageFinding, 'revert'> {
  return {
    id: f.findingId,
    origin: 'rule',
    ruleId: f.ruleId,
    title: f.title,
    level: f.level,
    outcome: f.outcome,
    errorCodes: f.errorCodes,
    firstTime: f.firstTime,
    lastTime: f.lastTime,
    eventCount: f.eventCount,
    eventIds: f.eventIds,
    principals: f.principals,
    accessKeyIds: f.accessKeyIds,
    sourceIps: f.sourceIps,
    accounts: f.accounts.length ? f.accounts : distinct(rows.map((r) => r.recipientAccountId)),
    regions: f.regions,
    details: f.details,
    author: f.author,
    source: `rules/${f.pack}`,
    trust: f.trust,
  };
}

function fromInvestigation(f: InvestigationFindingInput, index: number, rows: EventRow[]): Omit<TriageFinding, 'revert'> {
  const times = rows.map((r) => r.eventTime).filter((t): t is number => t !== null);
  const { outcome, errorCodes } = outcomeOf(rows);
  const title = isFindingTypeId(f.type) ? findingType(f.type).title : f.type;
  return {
    id: `${f.investigation}:${f.type}:${index}`,
    origin: 'investigation',
    ruleId: f.type,
    title,
    level: SEVERITY_LEVEL[f.severity] ?? 'informational',
    outcome,
    errorCodes,
    firstTime: times.length ? isoUtc(Math.min(...times)) : null,
    lastTime: times.length ? isoUtc(Math.max(...times)) : null,
    eventCount: f.eventIds.length,
    eventIds: f.eventIds.slice(0, CITED_PER_FINDING),
    principals: distinct(rows.map((r) => r.arn)),
    accessKeyIds: distinct(rows.map((r) => r.accessKeyId)),
    sourceIps: distinct(rows.map((r) => r.sourceIPAddress)),
    accounts: distinct(rows.map((r) => r.recipientAccountId)),
    regions: distinct(rows.map((r) => r.awsRegion)),
    details: { message: [f.message] },
    author: null,
    source: `investigate ${f.investigation}`,
    trust: null,
  };
}

/** A finding read and its cited events' rows, before its revert state is known. */
export interface StagedFinding {
  f: Omit<TriageFinding, 'revert'>;
  rows: EventRow[];
}

/** The stored rule findings (detect) with their cited events' rows: read once per triage. */
export function stageRuleFindings(db: Db): StagedFinding[] {
  return listFindings(db, { maxEventIds: CITED_PER_FINDING }).map((f) => {
    const rows = rowsOf(db, f.eventIds);
    return { f: fromRule(f, rows), rows };
  });
}

/**
 * Rule findings (stored by detect; `rules` when already read) and investigation findings as triage findings, with
 * their revert state, most severe first, then oldest.
 */
export function triageFindings(db: Db, investigationFindings: readonly InvestigationFindingInput[], rules: readonly StagedFinding[] = stageRuleFindings(db)): TriageFinding[] {
  const staged: StagedFinding[] = [...rules];
  investigationFindings.forEach((f, i) => {
    const rows = rowsOf(db, f.eventIds.slice(0, CITED_PER_FINDING));
    staged.push({ f: fromInvestigation(f, i, rows), rows });
  });
  const reverts = findReverts(db, staged.flatMap((s) => s.rows.map(change)));
  const out: TriageFinding[] = staged.map((s) => ({ ...s.f, revert: revertStatus(s.rows.map(change), reverts) }));
  return out.sort((a, b) => levelRank(b.level) - levelRank(a.level) || (a.firstTime ?? '').localeCompare(b.firstTime ?? '') || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}
