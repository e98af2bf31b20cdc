// How an investigation makes a finding: from its catalog entry (src/model/finding-types.ts, docs/findings.md). The
// type is a catalog id, so a typo fails to compile, and the severity comes from the catalog's level, never from the
// investigation; a type with an alternate level takes the condition that picks it.

import { findingType, type FindingLevel, type FindingTypeId, type FindingTypeIdWithAlternate } from '../model/finding-types.js';
import type { InvestigationFinding, Severity } from './common.js';

/** The catalog's level as investigation JSON shows it. */
const SEVERITY: Record<FindingLevel, Severity> = { informational: 'info', low: 'low', medium: 'medium', high: 'high' };

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** What the investigation says: the message, the events behind it, and any extra fields of the type. */
export interface FindingFields {
  message: string;
  eventIds: string[];
  [extra: string]: unknown;
}

/** For a type with an alternate level: does the catalog's `alternateLevel.when` hold? Other types take nothing. */
type AlternateArg<Id extends FindingTypeId> = Id extends FindingTypeIdWithAlternate ? [when: { alternate: boolean }] : [];

/** A finding of catalog type `type`: `{type, severity, message, eventIds, …extra}` (the JSON contract's field order). */
export function finding<Id extends FindingTypeId>(type: Id, fields: FindingFields, ...when: AlternateArg<Id>): InvestigationFinding {
  const t = findingType(type);
  const level = when[0]?.alternate && t.alternateLevel ? t.alternateLevel.level : t.level;
  return { type, severity: SEVERITY[level], ...fields };
}

/** Orders findings high severity first (stable: equal severities keep their order). */
export function bySeverity(a: InvestigationFinding, b: InvestigationFinding): number {
  return RANK[a.severity] - RANK[b.severity];
}
