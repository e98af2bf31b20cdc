// Every investigation finding says whether what it cites succeeded: `outcome` from its events' errorCode (else
// errorMessage, a failed ConsoleLogin), by the one definition in src/model/outcome.ts. null when a finding cites no
// events (a note about the report, such as lineage-truncated).

import type { Db } from '../index/open.js';
import type { EventRow } from '../index/event-rows.js';
import { outcomeOf } from '../model/outcome.js';
import { citedRows, type InvestigationFinding } from './common.js';

/**
 * Sets `outcome` on each finding from its cited events: `known` (eventId → call) when the investigation has the rows
 * in hand, else read from the index by eventID (a few indexed lookups per finding). Returns the same array.
 */
export function withOutcomes(db: Db, findings: InvestigationFinding[], known?: ReadonlyMap<string, EventRow>): InvestigationFinding[] {
  const rows = citedRows(db, new Set(findings.flatMap((f) => f.eventIds)), known);
  for (const f of findings) f.outcome = outcomeOf(f.eventIds.map((id) => rows.get(id)).filter((c): c is EventRow => c !== undefined));
  return findings;
}
