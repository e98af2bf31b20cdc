// Shapes and options shared by every investigation.

import type { RevertStatus } from '../model/triage.js';
import type { EventFilter } from '../index/search.js';
import { fetchEventRows, type EventRow } from '../index/event-rows.js';
import { eventRowId } from '../index/bodies.js';
import type { CaseCoverage } from '../index/query-coverage.js';
import { isoUtc } from '../model/time.js';
import type { Db } from '../index/open.js';
import { trustForEvents } from '../index/trust.js';
import type { TrustLabel } from '../model/integrity.js';
import type { FindingTypeId } from '../model/finding-types.js';
import type { Outcome } from '../model/outcome.js';

/** Trust labels for events.id values (src/index/trust.ts once integrity lands). */
export type TrustProvider = (ids: readonly number[]) => Map<number, TrustLabel | string>;

export interface InvestigationOptions {
  filter: EventFilter;
  /** Zone for "usual hours" (display is the renderer's business). */
  tz: string;
  /** Trust labels for cited events; default: the case's latest verify run; null: no labels. */
  trust?: TrustProvider | null;
  /** "Now", for anything printed with a time (response commands). */
  now?: number;
}

/** The columns every cited event carries in JSON. */
export interface CitedEvent {
  eventId: string;
  /** ISO 8601 UTC. */
  eventTime: string | null;
  eventName: string | null;
  eventSource: string | null;
  awsRegion: string | null;
  recipientAccountId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  accessKeyId: string | null;
  /** userIdentity.arn. */
  arn: string | null;
  identityType: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Integrity label, when the case has integrity results (absent otherwise). */
  trust?: string;
}

export function cite(r: EventRow, trust?: Map<number, string> | null): CitedEvent {
  const c: CitedEvent = {
    eventId: r.eventId,
    eventTime: isoUtc(r.eventTime),
    eventName: r.eventName,
    eventSource: r.eventSource,
    awsRegion: r.awsRegion,
    recipientAccountId: r.recipientAccountId,
    sourceIPAddress: r.sourceIPAddress,
    userAgent: r.userAgent,
    accessKeyId: r.accessKeyId,
    arn: r.arn,
    identityType: r.identityType,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
  };
  const t = trust?.get(r.id);
  if (t) c.trust = t;
  return c;
}

/** Trust labels of cited events: the provider given, else the case's latest verify run (src/index/trust.ts). */
export function trustFor(db: Db, opts: InvestigationOptions, ids: readonly number[]): Map<number, string> | null {
  if (opts.trust === null) return null;
  const provider = opts.trust ?? ((x: readonly number[]) => trustForEvents(db, x));
  return provider([...new Set(ids)]) as Map<number, string>;
}

/** Does a row pass the filter (for rows gathered without it, e.g. lineage across accounts)? */
export function passes(r: EventRow, f: EventFilter): boolean {
  if (f.startMs != null && (r.eventTime == null || r.eventTime < f.startMs)) return false;
  if (f.endMs != null && (r.eventTime == null || r.eventTime > f.endMs)) return false;
  if (f.accounts?.length && !(r.recipientAccountId && f.accounts.includes(r.recipientAccountId))) return false;
  if (f.regions?.length && !(r.awsRegion && f.regions.includes(r.awsRegion))) return false;
  return true;
}

/** Filter as shown in JSON. */
export function describeFilter(f: EventFilter): { startTime: string | null; endTime: string | null; accounts: string[]; regions: string[] } {
  return { startTime: isoUtc(f.startMs ?? null), endTime: isoUtc(f.endMs ?? null), accounts: [...(f.accounts ?? [])], regions: [...(f.regions ?? [])] };
}

/** What the case covers, as shown in JSON when a subject is not found. */
export interface CoverageJson {
  eventCount: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  accounts: string[];
  regions: string[];
}

export function coverageJson(c: CaseCoverage): CoverageJson {
  return {
    eventCount: c.events,
    firstEventTime: isoUtc(c.firstEventTime),
    lastEventTime: isoUtc(c.lastEventTime),
    accounts: c.accounts.map((a) => a.value),
    regions: c.regions.map((r) => r.value),
  };
}

/** A finding's level as investigation JSON shows it (the catalog's Sigma level, `info` for informational). */
export type Severity = 'high' | 'medium' | 'low' | 'info';

/** A finding: something a responder should look at, with the events that show it. Made by finding() (finding.ts). */
export interface InvestigationFinding {
  /** The finding type: an id of the catalog (src/model/finding-types.ts, docs/findings.md). */
  type: FindingTypeId;
  severity: Severity;
  message: string;
  eventIds: string[];
  /** Whether the cited calls succeeded, failed or both (src/scenarios/outcome.ts); null when it cites no events. */
  outcome?: Outcome | null;
  /** Whether the changes it cites were undone later in the evidence (src/scenarios/finding-reverts.ts). */
  revert?: RevertStatus;
  [extra: string]: unknown;
}

/** The rows of these event ids: from `known` when the investigation has them, else read by eventID (indexed). */
export function citedRows(db: Db, ids: Iterable<string>, known?: ReadonlyMap<string, EventRow>): Map<string, EventRow> {
  const out = new Map<string, EventRow>();
  const missing: number[] = [];
  for (const id of ids) {
    const k = known?.get(id);
    if (k) out.set(id, k);
    else {
      const rowId = eventRowId(db, id);
      if (rowId !== null) missing.push(rowId);
    }
  }
  if (missing.length) for (const r of fetchEventRows(db, missing)) out.set(r.eventId, r);
  return out;
}
