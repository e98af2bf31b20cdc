// Findings as the outputs show them (docs/json-output.md#detect): the stored finding with its events' eventIDs
// (oldest first) and the weakest integrity trust label among them.

import { TRUST_LABELS } from '../model/integrity.js';
import { levelRank, type Finding, type Level } from '../model/detection.js';
import { eventIdsOfRows, readFindings } from '../index/detections.js';
import type { Db } from '../index/open.js';
import { trustForEvents } from '../index/trust.js';

export interface FindingFilter {
  minLevel?: Level;
  ruleIds?: readonly string[];
}

export function listFindings(db: Db, filter: FindingFilter = {}): Finding[] {
  const stored = readFindings(db, { minLevelRank: filter.minLevel ? levelRank(filter.minLevel) : 0, ruleIds: filter.ruleIds });
  return stored.map(({ finding, rows }) => {
    const trust = trustForEvents(db, rows);
    let worst = -1;
    for (const t of trust.values()) worst = Math.max(worst, TRUST_LABELS.indexOf(t));
    return { ...finding, eventIds: eventIdsOfRows(db, rows), trust: worst < 0 ? null : TRUST_LABELS[worst] };
  });
}
