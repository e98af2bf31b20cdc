// `aws cloudtrail lookup-events`' response objects built from a lookup's rows (src/scenarios/lookup-query.ts): the
// Event members in the API's order and types, absent members omitted, then trailhound's extras unless --strict.
// Printed by aws-cli's output formats (aws-cli-format.ts) after --query (aws-cli-query.ts).

import type { JSONValue } from '@jmespath-community/jmespath';
import type { EventRow } from '../index/event-rows.js';
import { isoInZone } from '../model/time.js';

interface AwsEventOptions {
  /** AWS's members only (no SourceIPAddress, AwsRegion, ErrorCode, RecipientAccountId). */
  strict: boolean;
  /** Zone for EventTime (aws-cli prints the local zone of the machine; we default to UTC). */
  tz: string;
}

/** The response: every event of the page, then the NextToken when more follow. */
export function awsLookupResponse(
  page: { rows: readonly EventRow[]; body: (id: number) => string | null; nextToken: string | null },
  opts: AwsEventOptions,
): { Events: Record<string, JSONValue>[]; NextToken?: string } {
  const out: { Events: Record<string, JSONValue>[]; NextToken?: string } = { Events: page.rows.map((r) => toAwsEvent(r, () => page.body(r.id), opts)) };
  if (page.nextToken !== null) out.NextToken = page.nextToken;
  return out;
}

/** One event as AWS returns it: Event members in the API's order, absent members omitted, then the extras. */
function toAwsEvent(r: EventRow, body: string | null | (() => string | null), opts: AwsEventOptions): Record<string, JSONValue> {
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
function awsTime(ms: number | null, tz: string): string | null {
  const iso = isoInZone(ms, tz === 'UTC' || tz === 'utc' ? '+00:00' : tz);
  return iso;
}
