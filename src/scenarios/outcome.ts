// Every investigation finding says whether what it cites succeeded: `outcome` from its events' errorCode (else
// errorMessage, a failed ConsoleLogin), by the one definition in src/model/outcome.ts. null when a finding cites no
// events (a note about the report, such as lineage-truncated).

import type { Db } from '../index/open.js';
import { eventRowId } from '../index/bodies.js';
import { fetchEventRows } from '../index/event-rows.js';
import { outcomeOf, type OutcomeCall } from '../model/outcome.js';
import type { InvestigationFinding } from './common.js';

/**
 * Sets `outcome` on each finding from its cited events: `known` (eventId → call) when the investigation has the rows
 * in hand, else read from the index by eventID (a few indexed lookups per finding). Returns the same array.
 */
export function withOutcomes(db: Db, findings: InvestigationFinding[], known?: ReadonlyMap<string, OutcomeCall>): InvestigationFinding[] {
  const missing = new Set<string>();
  for (const f of findings) for (const id of f.eventIds) if (!known?.has(id)) missing.add(id);
  const read = new Map<string, OutcomeCall>();
  if (missing.size) {
    const rowIds = [...missing].map((id) => eventRowId(db, id)).filter((x): x is number => x !== null);
    for (const r of fetchEventRows(db, rowIds)) read.set(r.eventId, r);
  }
  for (const f of findings) {
    const calls = f.eventIds.map((id) => known?.get(id) ?? read.get(id)).filter((c): c is OutcomeCall => c !== undefined);
    f.outcome = outcomeOf(calls);
  }
  return findings;
}
