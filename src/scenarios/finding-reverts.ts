// Was what a finding or a sensitive-action row cites undone later in the evidence? The revert state of investigation
// findings (`revert`, the shape triage shows) and of single calls (`revert` on sensitive rows), by the one table of
// changes and their undoing calls in src/scenarios/reverts.ts. Only successful, revertible calls are followed.

import type { Db } from '../index/open.js';
import type { EventRow } from '../index/event-rows.js';
import { isoUtc } from '../model/time.js';
import type { RevertStatus } from '../model/triage.js';
import { citedRows, type InvestigationFinding } from './common.js';
import { findReverts, isRevertible, revertStatus, type ChangeEvent, type Revert } from './reverts.js';
import type { Obj } from './record.js';
import type { NamedEvent } from '../index/triage-facts.js';

/** What became of one call: undone later (by which call, when, by whom), still in place, or nothing to undo. */
export interface CallRevert {
  state: 'reverted' | 'not-reverted' | 'not-applicable';
  eventId: string | null;
  eventName: string | null;
  eventTime: string | null;
  by: string | null;
}

const NOT_APPLICABLE: CallRevert = { state: 'not-applicable', eventId: null, eventName: null, eventTime: null, by: null };

function change(r: EventRow): ChangeEvent {
  return { rowId: r.id, eventId: r.eventId, eventName: r.eventName ?? '', timeMs: r.eventTime, account: r.recipientAccountId, errorCode: r.errorCode };
}

/** Reverts of the successful, revertible calls among `rows` (by row id): one findReverts over all of them. */
function revertsOf(db: Db, rows: Iterable<EventRow>, held?: HeldEvents): Map<number, Revert> {
  const changes = [...rows].filter((r) => r.errorCode === null && r.eventName !== null && isRevertible(r.eventName)).map(change);
  return changes.length ? findReverts(db, changes, held?.records, held?.all?.map(named)) : new Map();
}

/** What an investigation already holds: bodies by row id, and (when it read every event that could matter) all rows. */
export interface HeldEvents {
  records?: ReadonlyMap<number, Obj>;
  /** Every event that could undo the cited changes (e.g. all of a security group's events): no case-wide lookup. */
  all?: readonly EventRow[];
}

function named(r: EventRow): NamedEvent {
  return { rowId: r.id, eventId: r.eventId, timeMs: r.eventTime, eventName: r.eventName ?? '', account: r.recipientAccountId, region: r.awsRegion, arn: r.arn, errorCode: r.errorCode };
}

/**
 * Sets `revert` (RevertStatus, as triage shows it) on each finding from its cited events. `held`: what the
 * investigation already read (bodies, and possibly every event that could undo the changes), not read again.
 * Returns the same array.
 */
export function withReverts(db: Db, findings: InvestigationFinding[], known?: ReadonlyMap<string, EventRow>, held?: HeldEvents): InvestigationFinding[] {
  const rows = citedRows(db, new Set(findings.flatMap((f) => f.eventIds)), known);
  const reverts = revertsOf(db, rows.values(), held);
  for (const f of findings) {
    const cited = f.eventIds.map((id) => rows.get(id)).filter((r): r is EventRow => r !== undefined);
    f.revert = revertStatus(cited.map(change), reverts) satisfies RevertStatus;
  }
  return findings;
}

/** The revert state of single calls, by event id (not-applicable for failed calls and changes nothing undoes). */
export function callReverts(db: Db, eventIds: Iterable<string>, known?: ReadonlyMap<string, EventRow>): Map<string, CallRevert> {
  const rows = citedRows(db, eventIds, known);
  const reverts = revertsOf(db, rows.values());
  const out = new Map<string, CallRevert>();
  for (const [id, r] of rows) {
    const v = reverts.get(r.id);
    out.set(
      id,
      !v
        ? NOT_APPLICABLE
        : v.reverted
          ? { state: 'reverted', eventId: v.byEventId, eventName: v.byEventName, eventTime: isoUtc(v.byTimeMs), by: v.byArn }
          : { state: 'not-reverted', eventId: null, eventName: null, eventTime: null, by: null },
    );
  }
  return out;
}
