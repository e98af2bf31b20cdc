// The sensitive-action table of an investigation: each sensitive call with its outcome, errorCode and decisive
// request parameters (decisive-params.ts), grouped by category; calls on a bucket the case's trails deliver to are
// moved to defence evasion; and the counted defence-evasion calls split into succeeded and failed
// (defence-evasion.ts). Bodies are read once, source file by source file, for the sensitive calls that have decisive
// parameters or may weaken logging only (never for bulk data reads such as ListBuckets or GetObject).

import type { Db } from '../index/open.js';
import { forEachEventRecord } from '../index/bodies.js';
import type { EventRow } from '../index/event-rows.js';
import { callOutcome } from '../model/outcome.js';
import { isoUtc } from '../model/time.js';
import { decisiveParams, hasDecisiveParams } from './decisive-params.js';
import { caseTrailBuckets, evasionEffect, mayEvade, splitEvasion, TRAIL_BUCKET_CALLS, type EvasionCall } from './defence-evasion.js';
import type { Obj } from './record.js';
import type { CallRevert } from './finding-reverts.js';
import { SENSITIVE_CATEGORY_TITLES, type SensitiveCategory } from './sensitive-actions.js';

/** One row of a sensitive-action table. */
export interface SensitiveRow {
  eventId: string;
  eventTime: string | null;
  eventName: string | null;
  eventSource: string | null;
  awsRegion: string | null;
  accessKeyId: string | null;
  /** succeeded or failed (src/model/outcome.ts). */
  outcome: 'succeeded' | 'failed';
  errorCode: string | null;
  /** The decisive parameters in one short line ('' when none are known or the body is not available). */
  detail: string;
  /** The decisive parameters (decisive-params.ts); empty when none are known or the body is not available. */
  parameters: Record<string, unknown>;
  /** Whether the change was undone later in the evidence (finding-reverts.ts; set by the investigation). */
  revert?: CallRevert;
}

export interface SensitiveGroup {
  category: SensitiveCategory;
  title: string;
  events: SensitiveRow[];
}

/** An event to place: its row and its category by name (null: not in the sensitive table). */
export interface SensitiveInput {
  row: EventRow;
  category: SensitiveCategory | null;
}

export const SENSITIVE_ORDER: readonly SensitiveCategory[] = ['defence-evasion', 'iam', 'compute', 'sharing', 'data'];

/**
 * The sensitive-action groups of `inputs` (oldest first, as given) and the defence-evasion split. `recategorised`
 * maps an event row id to its new category (a call on a trail bucket is defence evasion, whatever its table entry).
 */
export function sensitiveActionsOf(db: Db, inputs: readonly SensitiveInput[]): { groups: SensitiveGroup[]; evasion: { succeeded: EvasionCall[]; failed: EvasionCall[] }; recategorised: Map<number, SensitiveCategory> } {
  const picked = inputs.filter((i) => i.category !== null || mayEvade(i.row.eventSource, i.row.eventName));
  // Bodies only where they decide something: decisive parameters, or whether the call weakens logging.
  const records = new Map<number, Obj>();
  forEachEventRecord(
    db,
    picked.filter((i) => hasDecisiveParams(i.row.eventSource, i.row.eventName) || mayEvade(i.row.eventSource, i.row.eventName)).map((i) => i.row.id),
    (id, rec) => records.set(id, rec),
  );
  const needsBuckets = picked.some((i) => i.row.eventSource === 's3.amazonaws.com' && i.row.eventName !== null && TRAIL_BUCKET_CALLS.has(i.row.eventName));
  const trailBuckets = needsBuckets ? caseTrailBuckets(db) : new Set<string>();

  const groups = new Map<SensitiveCategory, SensitiveGroup>();
  const recategorised = new Map<number, SensitiveCategory>();
  const evasive: Parameters<typeof splitEvasion>[0][number][] = [];
  for (const { row, category } of picked) {
    const record = records.get(row.id) ?? null;
    let cat = category;
    if (row.eventSource === 's3.amazonaws.com' && row.eventName && TRAIL_BUCKET_CALLS.has(row.eventName) && evasionEffect({ eventSource: row.eventSource, eventName: row.eventName, record }, trailBuckets)) {
      cat = 'defence-evasion';
      if (cat !== category) recategorised.set(row.id, cat);
    }
    if (!cat) continue;
    const eventTime = isoUtc(row.eventTime);
    if (cat === 'defence-evasion') {
      evasive.push({ eventId: row.eventId, eventTime, eventName: row.eventName, eventSource: row.eventSource, awsRegion: row.awsRegion, errorCode: row.errorCode, errorMessage: row.errorMessage, record });
    }
    const params = decisiveParams(row.eventSource, row.eventName, record, row.awsRegion);
    let g = groups.get(cat);
    if (!g) groups.set(cat, (g = { category: cat, title: SENSITIVE_CATEGORY_TITLES[cat], events: [] }));
    g.events.push({
      eventId: row.eventId,
      eventTime,
      eventName: row.eventName,
      eventSource: row.eventSource,
      awsRegion: row.awsRegion,
      accessKeyId: row.accessKeyId,
      outcome: callOutcome(row),
      errorCode: row.errorCode,
      detail: params?.detail ?? '',
      parameters: params?.parameters ?? {},
    });
  }
  return {
    groups: SENSITIVE_ORDER.filter((c) => groups.has(c)).map((c) => groups.get(c)!),
    evasion: splitEvasion(evasive, trailBuckets),
    recategorised,
  };
}
