// `aws cloudtrail lookup-events` as a query over a case: the lookup attributes, time range, region and category
// become one EventFilter; newest first; --max-items pages resume from a NextToken. The response objects and aws-cli's
// output formats are src/report/aws-cli-events.ts and aws-cli-format.ts. Differences from AWS: docs/lookup-events.md.

import type { Db } from '../index/open.js';
import { readEventBodies } from '../index/bodies.js';
import { countByRegion, searchEvents, type EventFilter } from '../index/search.js';
import type { EventRow } from '../index/event-rows.js';
import { quoteInput } from '../model/escape.js';
import type { LookupAttribute, LookupAttributeKey } from './lookup-attributes.js';
import { LookupArgumentError } from '../model/errors.js';

export interface LookupRequest {
  attributes: LookupAttribute[];
  startMs: number | null;
  endMs: number | null;
  /** --region: Event history is per region. null: every region in the case. */
  region: string | null;
  /** --account (not in aws-cli: Event history is per account; a case may hold several). */
  accounts?: string[];
  /** --management-only: Event history's scope (no data or insight events). */
  managementOnly: boolean;
  /** --event-category insight: only Insights events. */
  insightOnly?: boolean;
  /** --max-items: at most this many events, then a NextToken. */
  maxItems: number | null;
  /** --starting-token from a previous NextToken. */
  startingToken: string | null;
  /** Only events with these integrity labels (trailhound's --trust, not in aws-cli). */
  trust?: EventFilter['trust'];
}

export interface LookupResult {
  /** Event rows in output order (newest first). */
  rows: EventRow[];
  /** The original record of a returned row, compact or pretty as stored; read on first use (see lookupEvents). */
  body: (id: number) => string | null;
  /** Where the next page starts, when more events match than --max-items. */
  nextToken: string | null;
  /** Matches in other regions when --region was given: region → count. */
  otherRegions: Map<string, number>;
  /** Accounts (recipientAccountId) of the events returned: account → count. */
  accounts: Map<string, number>;
  /** The filter that was run (for messages). */
  filter: EventFilter;
  /** An attribute was repeated with different values on a single-valued key: nothing can match. */
  contradictory: string | null;
}

function lookupFilter(req: LookupRequest): { filter: EventFilter; contradictory: string | null } {
  const f: EventFilter = { startMs: req.startMs, endMs: req.endMs, trust: req.trust };
  let contradictory: string | null = null;
  const single = (key: LookupAttributeKey, target: 'eventIds' | 'eventNames' | 'users' | 'eventSources' | 'accessKeys', value: string): void => {
    const cur = f[target];
    if (cur && cur.length > 0 && cur[0] !== value) contradictory = `${key} cannot be both "${cur[0]}" and "${value}"`;
    f[target] = [value];
  };
  const resources: { names?: string[]; types?: string[] }[] = [];
  for (const a of req.attributes) {
    switch (a.key) {
      case 'EventId':
        single(a.key, 'eventIds', a.value);
        break;
      case 'EventName':
        single(a.key, 'eventNames', a.value);
        break;
      case 'Username':
        single(a.key, 'users', a.value);
        break;
      case 'EventSource':
        single(a.key, 'eventSources', a.value);
        break;
      case 'AccessKeyId':
        single(a.key, 'accessKeys', a.value);
        break;
      case 'ReadOnly': {
        const v = a.value.trim().toLowerCase();
        if (v !== 'true' && v !== 'false') throw new LookupArgumentError(`AttributeKey=ReadOnly needs AttributeValue true or false, got "${a.value}"`);
        if (f.readOnly !== undefined && f.readOnly !== (v === 'true')) contradictory = 'ReadOnly cannot be both true and false';
        f.readOnly = v === 'true';
        break;
      }
      case 'ResourceType':
        resources.push({ types: [a.value] });
        break;
      case 'ResourceName':
        resources.push({ names: [a.value] });
        break;
    }
  }
  if (resources.length) f.resourceGroups = resources;
  if (req.region !== null) f.regions = [req.region];
  if (req.accounts && req.accounts.length) f.accounts = req.accounts;
  if (req.managementOnly) f.categories = ['management'];
  if (req.insightOnly) f.categories = ['insight'];
  if (req.insightOnly && req.managementOnly) contradictory = '--management-only and --event-category insight exclude each other';
  return { filter: f, contradictory };
}

function decodeToken(token: string): number {
  try {
    const o = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof o.offset === 'number' && Number.isInteger(o.offset) && o.offset >= 0) return o.offset;
  } catch {
    /* fall through */
  }
  throw new LookupArgumentError(`--starting-token: ${quoteInput(token)} is not a NextToken printed by trailhound lookup-events`);
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

/** Run a lookup: the rows of the page asked for, the token of the next, and what the notes on stderr need. */
export function lookupEvents(db: Db, req: LookupRequest): LookupResult {
  const { filter, contradictory } = lookupFilter(req);
  const offset = req.startingToken ? decodeToken(req.startingToken) : 0;
  const otherRegions = new Map<string, number>();
  const none = (): null => null;
  if (contradictory) return { rows: [], body: none, nextToken: null, otherRegions, accounts: new Map(), filter, contradictory };

  const limit = req.maxItems === null ? null : offset + req.maxItems;
  const result = searchEvents(db, filter, { limit, order: 'newest' });
  const rows = result.rows.slice(offset);
  // Bodies are read lazily: a --query that never looks at CloudTrailEvent never touches the evidence bytes. On first
  // use, every body of the result is read in evidence order (source file, record), so each file is decompressed once.
  let bodies: Map<number, { json: string }> | null = null;
  const body = (id: number): string | null => {
    if (!bodies) {
      const order = [...rows].sort((a, b) => a.sourceId - b.sourceId || a.recordIndex - b.recordIndex).map((r) => r.id);
      bodies = readEventBodies(db, order);
    }
    return bodies.get(id)?.json ?? null;
  };
  const nextToken = result.truncated && limit !== null ? encodeToken(limit) : null;

  if (req.region !== null) {
    const { regions: _drop, ...rest } = filter;
    void _drop;
    for (const [region, n] of countByRegion(db, rest)) if (region !== req.region && n > 0) otherRegions.set(region, n);
  }
  const accounts = new Map<string, number>();
  for (const r of rows) accounts.set(r.recipientAccountId ?? '(none)', (accounts.get(r.recipientAccountId ?? '(none)') ?? 0) + 1);
  return { rows, body, nextToken, otherRegions, accounts, filter, contradictory: null };
}
