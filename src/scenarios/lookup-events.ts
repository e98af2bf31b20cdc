// `aws cloudtrail lookup-events`, emulated over a case: aws-cli's argument forms, the same attributes and the same
// output objects (AWS's member names, types and order). The --query and aws-cli's output formats are in
// src/report/aws-cli-query.ts and src/report/aws-cli-format.ts. Differences from AWS: docs/lookup-events.md.

import type { JSONValue } from '@jmespath-community/jmespath';
import type { Db } from '../index/open.js';
import { readEventBodies } from '../index/bodies.js';
import { countByRegion, searchEvents, type EventFilter } from '../index/search.js';
import { type EventRow } from '../index/event-rows.js';
import { isoInZone } from '../model/time.js';
import { quoteInput } from '../model/escape.js';

export const LOOKUP_ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export interface LookupAttribute {
  key: LookupAttributeKey;
  value: string;
}

/** A problem with the arguments; the CLI turns it into a usage error. */
export class LookupArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LookupArgumentError';
  }
}

const KEY_BY_LOWER = new Map(LOOKUP_ATTRIBUTE_KEYS.map((k) => [k.toLowerCase(), k]));

function attributeKey(raw: string): LookupAttributeKey {
  const k = KEY_BY_LOWER.get(raw.trim().toLowerCase());
  if (!k) throw new LookupArgumentError(`unknown AttributeKey ${quoteInput(raw)}; allowed keys: ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}`);
  return k;
}

/** Why JSON.parse refused a value (a stack overflow on very deep nesting is said as such). */
function jsonProblem(err: unknown): string {
  if (err instanceof RangeError) return 'it is nested too deeply';
  return err instanceof Error ? err.message : String(err);
}

/** A short description of a JSON item for a message (never re-serialises a deep or huge value). */
function describeJsonItem(item: unknown): string {
  if (item === null) return 'null';
  if (Array.isArray(item)) return `a list of ${item.length} item${item.length === 1 ? '' : 's'}`;
  if (typeof item === 'object') {
    const keys = Object.keys(item as object);
    return keys.length ? `an object with ${keys.slice(0, 5).map((k) => quoteInput(k, 40)).join(', ')}${keys.length > 5 ? ', …' : ''}` : 'an empty object';
  }
  return typeof item === 'string' ? `the string ${quoteInput(item)}` : `${typeof item} ${quoteInput(String(item))}`;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

/**
 * Parse one --lookup-attributes value as aws-cli does: shorthand `AttributeKey=K,AttributeValue=V` (either order,
 * values may be quoted to hold commas) or JSON (`{"AttributeKey":..,"AttributeValue":..}` or a list of them).
 */
export function parseLookupAttributes(raw: string): LookupAttribute[] {
  const text = raw.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new LookupArgumentError(`--lookup-attributes: invalid JSON ${quoteInput(text)}: ${jsonProblem(err)}`);
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.map((item: unknown) => {
      if (!item || typeof item !== 'object' || typeof (item as Record<string, unknown>).AttributeKey !== 'string' || typeof (item as Record<string, unknown>).AttributeValue !== 'string') {
        throw new LookupArgumentError(
          `--lookup-attributes: each JSON item needs string members AttributeKey and AttributeValue, got ${describeJsonItem(item)}; ` +
            'write {"AttributeKey":"<key>","AttributeValue":"<value>"} or a list of them',
        );
      }
      const o = item as { AttributeKey: string; AttributeValue: string };
      return { key: attributeKey(o.AttributeKey), value: o.AttributeValue };
    });
  }
  const m =
    /^AttributeKey\s*=\s*("[^"]*"|'[^']*'|[^,]*)\s*,\s*AttributeValue\s*=\s*(.*)$/i.exec(text) ??
    null;
  const r = m ? null : /^AttributeValue\s*=\s*("[^"]*"|'[^']*'|[^,]*)\s*,\s*AttributeKey\s*=\s*(.*)$/i.exec(text);
  if (!m && !r) {
    throw new LookupArgumentError(
      `--lookup-attributes: cannot read ${quoteInput(raw)}; write AttributeKey=<key>,AttributeValue=<value> with <key> one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}`,
    );
  }
  const key = m ? m[1] : r![2];
  const value = m ? m[2] : r![1];
  return [{ key: attributeKey(unquote(key)), value: unquote(value) }];
}

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
  /** --strict: AWS's members only (no SourceIPAddress, AwsRegion, ErrorCode, RecipientAccountId). */
  strict: boolean;
  /** Zone for EventTime (aws-cli prints the local zone of the machine; we default to UTC). */
  tz: string;
  /** Extra SQL (trust labels). */
  extraSql?: EventFilter['extraSql'];
}

export interface LookupResult {
  /** The response object (before --query). */
  output: { Events: Record<string, JSONValue>[]; NextToken?: string };
  /** Matches in other regions when --region was given: region → count. */
  otherRegions: Map<string, number>;
  /** Accounts (recipientAccountId) of the events returned: account → count. */
  accounts: Map<string, number>;
  /** The filter that was run (for messages). */
  filter: EventFilter;
  /** Event rows in output order. */
  rows: EventRow[];
  /** An attribute was repeated with different values on a single-valued key: nothing can match. */
  contradictory: string | null;
}

export function lookupFilter(req: LookupRequest): { filter: EventFilter; contradictory: string | null } {
  const f: EventFilter = { startMs: req.startMs, endMs: req.endMs, extraSql: req.extraSql };
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

/** Run a lookup and build AWS's response object. */
export function lookupEvents(db: Db, req: LookupRequest): LookupResult {
  const { filter, contradictory } = lookupFilter(req);
  const offset = req.startingToken ? decodeToken(req.startingToken) : 0;
  const otherRegions = new Map<string, number>();
  if (contradictory) return { output: { Events: [] }, otherRegions, accounts: new Map(), filter, rows: [], contradictory };

  const limit = req.maxItems === null ? null : offset + req.maxItems;
  const result = searchEvents(db, filter, { limit, order: 'newest' });
  const rows = result.rows.slice(offset);
  // CloudTrailEvent is read lazily: a --query that never looks at it never touches the evidence bytes. On first
  // use, every body of the result is read in evidence order (source file, record), so each file is decompressed once.
  let bodies: Map<number, { json: string }> | null = null;
  const bodyOf = (id: number): string | null => {
    if (!bodies) {
      const order = [...rows].sort((a, b) => a.sourceId - b.sourceId || a.recordIndex - b.recordIndex).map((r) => r.id);
      bodies = readEventBodies(db, order);
    }
    return bodies.get(id)?.json ?? null;
  };
  const events = rows.map((r) => toAwsEvent(r, () => bodyOf(r.id), req));
  const output: LookupResult['output'] = { Events: events };
  if (result.truncated && limit !== null) output.NextToken = encodeToken(limit);

  if (req.region !== null) {
    const { regions: _drop, ...rest } = filter;
    void _drop;
    for (const [region, n] of countByRegion(db, rest)) if (region !== req.region && n > 0) otherRegions.set(region, n);
  }
  const accounts = new Map<string, number>();
  for (const r of rows) accounts.set(r.recipientAccountId ?? '(none)', (accounts.get(r.recipientAccountId ?? '(none)') ?? 0) + 1);
  return { output, otherRegions, accounts, filter, rows, contradictory: null };
}

/** One event as AWS returns it: Event members in the API's order, absent members omitted, then the extras. */
export function toAwsEvent(r: EventRow, body: string | null | (() => string | null), opts: { strict: boolean; tz: string }): Record<string, JSONValue> {
  const e: Record<string, JSONValue> = {};
  const put = (k: string, v: JSONValue | null | undefined): void => {
    if (v !== null && v !== undefined) e[k] = v;
  };
  put('EventId', r.eventId);
  put('EventName', r.eventName);
  put('ReadOnly', r.readOnly === null ? null : r.readOnly ? 'true' : 'false');
  put('AccessKeyId', r.accessKeyId);
  put('EventTime', awsTime(r.eventTime, opts.tz));
  put('EventSource', r.eventSource);
  put('Username', r.username);
  e.Resources = r.resources.map((x) => ({ ResourceType: x.type, ResourceName: x.name }));
  const compact = (json: string | null): string | null => (json === null ? null : json.includes('\n') ? JSON.stringify(JSON.parse(json)) : json);
  if (typeof body === 'function') {
    let cached: string | null | undefined;
    Object.defineProperty(e, 'CloudTrailEvent', {
      enumerable: true,
      configurable: true,
      get: () => (cached === undefined ? (cached = compact(body())) : cached),
    });
  } else {
    put('CloudTrailEvent', compact(body));
  }
  if (!opts.strict) {
    put('SourceIPAddress', r.sourceIPAddress);
    put('AwsRegion', r.awsRegion);
    put('ErrorCode', r.errorCode);
    put('RecipientAccountId', r.recipientAccountId);
  }
  return e;
}

/** aws-cli prints timestamps with Python's isoformat(): `2025-02-01T10:00:00+00:00`. */
export function awsTime(ms: number | null, tz: string): string | null {
  const iso = isoInZone(ms, tz === 'UTC' || tz === 'utc' ? '+00:00' : tz);
  return iso;
}

// ---------------------------------------------------------------------------------------------------------------
// Re-exported for existing importers: the query and the output formats live in src/report/aws-cli-*.ts.

export { compileQuery, legacyLiterals, QueryError } from '../report/aws-cli-query.js';
export { formatAwsJson, formatAwsTable, formatAwsText, formatAwsOutput, type AwsOutput } from '../report/aws-cli-format.js';
