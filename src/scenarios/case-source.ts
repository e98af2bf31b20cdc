// Reading investigations' inputs from a case: event rows (src/index/search.ts), bodies
// (src/index/bodies.ts), and the minting call behind a temporary key.

import type { Db } from '../index/open.js';
import { readEventBodies } from '../index/bodies.js';
import { eventsSharingCall, findEvents, type EventFilter } from '../index/search.js';
import { byTime, type EventRow } from '../index/event-rows.js';
import { CREATE_KEY_EVENT_NAMES, MINT_EVENT_NAMES, mints, sessionCreationTime, type EventWithBody, type LineageSource } from './credentials.js';
import type { Obj } from './record.js';

/** Rows with their bodies (a body that cannot be read is null; the row is still returned). */
export function withBodies(db: Db, rows: readonly EventRow[]): EventWithBody[] {
  if (rows.length === 0) return [];
  const bodies = readEventBodies(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ row, record: (bodies.get(row.id)?.record as Obj | undefined) ?? null }));
}

export function caseLineageSource(db: Db): LineageSource {
  return {
    eventsSignedBy: (keys, names) => withBodies(db, findEvents(db, { accessKeys: [...keys], eventNames: names ? [...names] : undefined })),
    copiesOf: (rows) => {
      const shared = rows.map((r) => r.sharedEventId).filter((x): x is string => !!x);
      const requests = rows.map((r) => r.requestId).filter((x): x is string => !!x);
      const own = new Set(rows.map((r) => r.id));
      const found = eventsSharingCall(db, shared, requests).filter((r) => !own.has(r.id));
      return withBodies(db, found);
    },
  };
}

/** How far before a session's first use its minting call may lie (GetSessionToken lasts up to 36 hours). */
const MAX_SESSION_MS = 36 * 3_600_000;
/** Bodies read at most when looking for a minting call by time (no resource index entry). */
const MAX_MINT_SCAN = 20_000;

export interface MintLookup {
  /** The call that minted `accessKeyId` (its own copy or another account's), or null. */
  mintEventFor(accessKeyId: string, usedAt: EventWithBody | null): EventWithBody | null;
}

/**
 * Finds minting calls: first through the resource index (STS responses name the new key as AWS::IAM::AccessKey),
 * then — for cases ingested without resources — among minting calls near the session's creation time.
 */
export function caseMintLookup(db: Db): MintLookup {
  const cache = new Map<string, EventWithBody | null>();
  const names = [...MINT_EVENT_NAMES, ...CREATE_KEY_EVENT_NAMES];
  return {
    mintEventFor(accessKeyId, usedAt) {
      if (cache.has(accessKeyId)) return cache.get(accessKeyId)!;
      let found: EventWithBody | null = null;
      const byResource = findEvents(db, { resourceNames: [accessKeyId], resourceTypes: ['AWS::IAM::AccessKey'] }).filter(
        (r) => r.eventName && names.includes(r.eventName) && r.accessKeyId !== accessKeyId,
      );
      found = pickMinting(withBodies(db, byResource), accessKeyId);
      if (!found && usedAt?.row.eventTime != null) {
        const created = sessionCreationTime(usedAt.record);
        const filter: EventFilter =
          created != null
            ? { startMs: created - 300_000, endMs: created + 300_000 }
            : { startMs: usedAt.row.eventTime - MAX_SESSION_MS, endMs: usedAt.row.eventTime };
        const candidates = findEvents(db, { ...filter, eventNames: [...MINT_EVENT_NAMES] }).filter((r) => !r.errorCode).slice(-MAX_MINT_SCAN);
        found = pickMinting(withBodies(db, candidates), accessKeyId);
      }
      if (found && !found.row.arn) {
        // The role owner's copy of a cross-account call says only "an account"; the caller's copy says who.
        const copies = eventsSharingCall(db, found.row.sharedEventId ? [found.row.sharedEventId] : [], found.row.requestId ? [found.row.requestId] : []);
        const withArn = copies.find((c) => c.arn && c.id !== found!.row.id && c.eventName === found!.row.eventName);
        if (withArn) found = withBodies(db, [withArn])[0];
      }
      cache.set(accessKeyId, found);
      return found;
    },
  };
}

/** Among calls, the one whose response returned the key; prefer a copy that says who called (has an ARN). */
function pickMinting(calls: EventWithBody[], accessKeyId: string): EventWithBody | null {
  const hits = calls.filter((c) => mints(c.record, accessKeyId)).sort((a, b) => byTime(a.row, b.row));
  if (hits.length === 0) return null;
  return hits.find((h) => h.row.arn) ?? hits[0];
}
