// The event-column registry: every column trailhound extracts from a CloudTrail record, listed once. The writer's
// statements, the batch layout between parser threads and the writer, row decoding, the `events_v` view, the
// `--fields` names, CSV headers and the docs' column tables are all derived from this list (docs/case-format.md).
// It lives in model/ because every layer reads it: sources extracts by it, index stores by it, report prints by it.

import type { EventColumns } from './types.js';

/**
 * How a column is stored in `events`:
 * - `id`: an identifier that is usually a lowercase UUID, stored as its 16 bytes, else as text (index/ids.ts);
 * - `time`: milliseconds since the epoch, UTC;
 * - `string`: an id into the `strings` dictionary (repeated values stored once);
 * - `text`: the text itself (values that rarely repeat);
 * - `bool`: 1, 0 or NULL.
 */
export type ColumnKind = 'id' | 'time' | 'string' | 'text' | 'bool';

export interface EventColumnDef {
  /** The property of EventColumns (and of every event row). */
  readonly key: keyof EventColumns;
  /** The column of `events` and of the `events_v` view. */
  readonly column: string;
  readonly kind: ColumnKind;
  /** Where the value comes from in the CloudTrail record. */
  readonly source: string;
  /** The name in JSON output and `--fields`. */
  readonly field: string;
  /** Table and CSV header. */
  readonly header: string;
  /** Listed by default in JSON, JSON Lines and CSV output; the others only when `--fields` names them. */
  readonly listed: boolean;
}

const c = (key: keyof EventColumns, column: string, kind: ColumnKind, source: string, field: string, header: string, listed = true): EventColumnDef => ({
  key,
  column,
  kind,
  source,
  field,
  header,
  listed,
});

/**
 * Every event column, in output order: JSON fields, CSV columns and the `events_v` view list them in this order (the
 * listed ones first). The `events` table's physical order does not matter: statements name their columns.
 */
export const EVENT_COLUMNS: readonly EventColumnDef[] = [
  c('eventTime', 'event_time', 'time', 'eventTime (else an export\'s @timestamp)', 'eventTime', 'Time'),
  c('eventId', 'event_id', 'id', 'eventID (derived from the content when absent)', 'eventID', 'Event ID'),
  c('eventName', 'event_name', 'string', 'eventName', 'eventName', 'Event name'),
  c('eventSource', 'event_source', 'string', 'eventSource', 'eventSource', 'Event source'),
  c('awsRegion', 'aws_region', 'string', 'awsRegion', 'awsRegion', 'Region'),
  c('recipientAccountId', 'recipient_account_id', 'string', 'recipientAccountId', 'recipientAccountId', 'Account'),
  c('username', 'username', 'string', 'Event history "User name": userIdentity.userName, else the session name, else the principal\'s last segment', 'username', 'User name'),
  c('sourceIPAddress', 'source_ip', 'string', 'sourceIPAddress', 'sourceIPAddress', 'Source IP'),
  c('userAgent', 'user_agent', 'string', 'userAgent', 'userAgent', 'User agent'),
  c('identityType', 'identity_type', 'string', 'userIdentity.type', 'identityType', 'Identity type'),
  c('arn', 'arn', 'string', 'userIdentity.arn', 'principalArn', 'Principal ARN'),
  c('principalId', 'principal_id', 'string', 'userIdentity.principalId', 'principalId', 'Principal ID'),
  c('accountId', 'account_id', 'string', 'userIdentity.accountId', 'accountId', 'Principal account'),
  c('accessKeyId', 'access_key_id', 'string', 'userIdentity.accessKeyId', 'accessKeyId', 'Access key'),
  c('userName', 'user_name', 'string', 'userIdentity.userName', 'identityUserName', 'Identity user name'),
  c('sessionIssuerArn', 'session_issuer_arn', 'string', 'userIdentity.sessionContext.sessionIssuer.arn', 'sessionIssuerArn', 'Session issuer'),
  c('invokedBy', 'invoked_by', 'string', 'userIdentity.invokedBy', 'invokedBy', 'Invoked by'),
  c('errorCode', 'error_code', 'string', 'errorCode', 'errorCode', 'Error'),
  c('errorMessage', 'error_message', 'text', 'errorMessage', 'errorMessage', 'Error message'),
  c('readOnly', 'read_only', 'bool', 'readOnly', 'readOnly', 'Read only'),
  c('eventType', 'event_type', 'string', 'eventType', 'eventType', 'Event type'),
  c('eventCategory', 'event_category', 'string', 'eventCategory (else Insight, Data or Management from the record)', 'eventCategory', 'Category'),
  c('managementEvent', 'management_event', 'bool', 'managementEvent', 'managementEvent', 'Management'),
  c('sessionIssuerUserName', 'session_issuer_user_name', 'string', 'userIdentity.sessionContext.sessionIssuer.userName', 'sessionIssuerUserName', 'Session issuer name', false),
  c('sessionIssuerType', 'session_issuer_type', 'string', 'userIdentity.sessionContext.sessionIssuer.type', 'sessionIssuerType', 'Session issuer type', false),
  c('sourceIdentity', 'source_identity', 'string', 'userIdentity.sessionContext.sourceIdentity (else userIdentity.sourceIdentity)', 'sourceIdentity', 'Source identity', false),
  c('sharedEventId', 'shared_event_id', 'id', 'sharedEventID', 'sharedEventID', 'Shared event ID', false),
  c('requestId', 'request_id', 'id', 'requestID', 'requestID', 'Request ID', false),
  c('vpcEndpointId', 'vpc_endpoint_id', 'string', 'vpcEndpointId', 'vpcEndpointId', 'VPC endpoint', false),
];

/**
 * Record paths whose string column holds the record's value as is (the registry's `source` is the path itself);
 * derived columns (username, eventCategory, sourceIdentity's fallback) are not here. Path → column.
 */
export const PATH_COLUMNS: ReadonlyMap<string, string> = new Map(
  EVENT_COLUMNS.filter((c) => c.kind === 'string' && /^[A-Za-z]+(\.[A-Za-z]+)*$/.test(c.source)).map((c) => [c.source, c.column]),
);

/** The registry's columns of one kind, in table order. */
export function columnsOfKind(kind: ColumnKind): EventColumnDef[] {
  return EVENT_COLUMNS.filter((col) => col.kind === kind);
}

/** Bits of events.flags, with the `events_v` column that shows each one. */
export const EVENT_FLAGS = {
  /** Only some fields are known (console CSV rows). */
  partial: 1,
  /** An insight event (CloudTrail-Insight/ or eventType AwsCloudTrailInsight). */
  insight: 2,
  /** The same eventID was seen with a different body. */
  conflict: 4,
  /** The record had no eventID; the id was derived from its content. */
  syntheticId: 8,
  /** The record had no usable eventTime. */
  noTime: 16,
  /** The time came from an export's own field (`@timestamp`), the record had no usable eventTime. */
  altTime: 32,
  /**
   * A field stored as a string column held something else in the record (a number, boolean, object or array), or
   * the record has a top-level key with a dot in it: the column does not say what the record says, so the rule
   * engine reads the record (detect/case-dialect.ts).
   */
  oddFields: 64,
} as const;

export type EventFlagName = keyof typeof EVENT_FLAGS;

/** The `events_v` column of each flag (is_partial, …). */
export const FLAG_COLUMNS: ReadonlyArray<{ flag: EventFlagName; column: string; meaning: string }> = [
  { flag: 'partial', column: 'is_partial', meaning: 'only some fields are known (a console CSV row)' },
  { flag: 'insight', column: 'is_insight', meaning: 'an Insights event' },
  { flag: 'conflict', column: 'has_conflict', meaning: 'the same eventID was seen with a different body (both kept)' },
  { flag: 'syntheticId', column: 'synthetic_id', meaning: 'the record had no eventID; the id was derived from its content' },
  { flag: 'noTime', column: 'no_time', meaning: 'the record had no usable eventTime' },
  { flag: 'altTime', column: 'alt_time', meaning: "the time came from an export's own @timestamp" },
  { flag: 'oddFields', column: 'odd_fields', meaning: 'a field stored as a text column held a number, boolean, object or array in the record, or the record has a dotted top-level key (detection reads such records)' },
];
