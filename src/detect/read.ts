// Findings as the outputs show them (docs/json-output.md#detect): the stored finding with its events' eventIDs
// (oldest first) and the weakest integrity trust label among them.

import { levelRank, type Finding, type Level } from '../model/detection.js';
import { findingTrust, readFindings } from '../index/detections.js';
import type { Db } from '../index/open.js';

export interface FindingFilter {
  minLevel?: Level;
  ruleIds?: readonly string[];
  /** Leave eventIds empty (a table or Markdown does not list them). */
  withoutEventIds?: boolean;
  /** At most this many eventIDs per finding (the oldest; `eventCount` keeps the total). */
  maxEventIds?: number;
}

export function listFindings(db: Db, filter: FindingFilter = {}): Finding[] {
  const stored = readFindings(db, { minLevelRank: filter.minLevel ? levelRank(filter.minLevel) : 0, ruleIds: filter.ruleIds, eventIds: !filter.withoutEventIds, maxEventIds: filter.maxEventIds });
  return stored.map(({ finding, eventIds }) => ({ ...finding, eventIds, trust: findingTrust(db, finding.findingId) }));
}
