// The tables `trailhound sql-for` writes SQL against, and where a CloudTrail field is in each (docs/scale.md):
//  - `cloudtrail`: the AWS-documented Athena table over a trail's original S3 logs (`cloudtrail_logs`: lowercase
//    columns, `useridentity` a struct, `requestparameters`/`responseelements`/… JSON text, `resources` an array);
//  - `parquet`: the events table `trailhound export` writes (export-schema.ts): the case's typed columns, and the
//    original record as JSON text for everything else.
// A field is a dotted CloudTrail path (`userIdentity.sessionContext.sessionIssuer.arn`, `requestParameters.bucketName`);
// the answer is an SQL expression of type varchar that is NULL when the record has no scalar there.

import { hasControl } from './escape.js';
import { PATH_COLUMNS } from './event-columns.js';
import { EXPORT_TABLES, ODD_FIELDS_COLUMN, RECORD_COLUMN } from './export-schema.js';

export type SqlTarget = 'cloudtrail' | 'parquet';

export const SQL_TARGETS: readonly SqlTarget[] = ['cloudtrail', 'parquet'];

/** A table name as written by the user: dotted parts, each a plain or double-quoted identifier. */
export function checkTableName(table: string): string | null {
  return /^("[^"]+"|[A-Za-z_][A-Za-z0-9_]*)(\.("[^"]+"|[A-Za-z_][A-Za-z0-9_]*)){0,2}$/.test(table) ? null : `"${table}" is not a table name (catalog.schema.table, identifiers or "quoted")`;
}

/** The default table of each target (`--table` changes it). */
export const DEFAULT_TABLE: Record<SqlTarget, string> = { cloudtrail: 'cloudtrail_logs', parquet: EXPORT_TABLES.events };

/** Top-level fields the AWS table has as varchar columns (its DDL lowercases the names). */
const CLOUDTRAIL_SCALARS = [
  'eventVersion', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode',
  'errorMessage', 'requestID', 'eventID', 'eventType', 'apiVersion', 'readOnly', 'recipientAccountId', 'sharedEventID',
  'vpcEndpointId', 'vpcEndpointAccountId', 'eventCategory', 'sessionCredentialFromConsole',
];

/** Top-level fields the AWS table holds as JSON text (a path below them is read with json_extract_scalar). */
const CLOUDTRAIL_JSON = ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails', 'edgeDeviceDetails'];

/** Struct fields of the AWS table (dotted record paths). */
const CLOUDTRAIL_STRUCT_FIELDS = [
  'userIdentity.type', 'userIdentity.principalId', 'userIdentity.arn', 'userIdentity.accountId', 'userIdentity.invokedBy',
  'userIdentity.accessKeyId', 'userIdentity.userName', 'userIdentity.onBehalfOf.userId', 'userIdentity.onBehalfOf.identityStoreArn',
  'userIdentity.sessionContext.attributes.mfaAuthenticated', 'userIdentity.sessionContext.attributes.creationDate',
  'userIdentity.sessionContext.sessionIssuer.type', 'userIdentity.sessionContext.sessionIssuer.principalId',
  'userIdentity.sessionContext.sessionIssuer.arn', 'userIdentity.sessionContext.sessionIssuer.accountId',
  'userIdentity.sessionContext.sessionIssuer.userName', 'userIdentity.sessionContext.ec2RoleDelivery',
  'userIdentity.sessionContext.webIdFederationData.federatedProvider', 'tlsDetails.tlsVersion', 'tlsDetails.cipherSuite',
  'tlsDetails.clientProvidedHostHeader', 'addendum.reason', 'addendum.updatedFields', 'addendum.originalRequestId', 'addendum.originalEventId',
];

const SCALARS = new Map(CLOUDTRAIL_SCALARS.map((f) => [f, f.toLowerCase()]));
const JSON_COLUMNS = new Map(CLOUDTRAIL_JSON.map((f) => [f, f.toLowerCase()]));
const STRUCTS = new Map(CLOUDTRAIL_STRUCT_FIELDS.map((f) => [f, f.toLowerCase()]));

/**
 * Keys CloudTrail writes as arrays in the request and response JSON. A rule's field below one of them matches each
 * element (Sigma steps into arrays); json_extract_scalar sees no value there, so such a value test does not translate.
 */
const ARRAY_KEYS = new Set([
  'eventSelectors', 'advancedEventSelectors', 'fieldSelectors', 'dataResources', 'equals', 'notEquals', 'startsWith',
  'endsWith', 'notStartsWith', 'notEndsWith', 'values', 'items', 'Statement', 'Action', 'NotAction', 'Resource',
  'NotResource', 'resources', 'tags', 'tagList', 'tagSet', 'ipPermissions', 'ipRanges', 'ipv6Ranges', 'groups',
  'policyArns', 'Principal', 'instancesSet', 'groupSet', 'securityGroupIds', 'subnetIds', 'stackSetNames',
  'userIds', 'accountIds', 'valuesToAdd', 'valuesToRemove', 'containerDefinitions', 'command', 'entryPoint', 'layers', 'AWS', 'grants', 'Grants', 'rules', 'Rules', 'filter', 'eventDataStores',
]);

/** Fields CloudTrail writes as objects: a rule's value test on one matches its JSON text locally, nothing in SQL. */
const OBJECT_FIELDS = new Set([
  ...CLOUDTRAIL_JSON, 'userIdentity', 'userIdentity.sessionContext', 'userIdentity.sessionContext.attributes',
  'userIdentity.sessionContext.sessionIssuer', 'userIdentity.onBehalfOf', 'userIdentity.sessionContext.webIdFederationData',
  'tlsDetails', 'addendum', 'insightDetails',
]);

/** A key json_extract_scalar's `$.a.b` path can name as is. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An SQL string literal (a doubled single quote): DuckDB's, for the export's own statements. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * A Trino string literal for SQL trailhound prints. Rule text is attacker-controlled: a control or formatting
 * character (model/escape.ts) is written as a Unicode escape in a `U&'…'` literal, so the printed SQL holds none raw
 * and the literal's value stays exactly the rule's.
 */
export function trinoString(text: string): string {
  if (!hasControl(text)) return sqlString(text);
  const body = [...text].map((ch) => (ch === '\\' ? '\\\\' : ch === "'" ? "''" : hasControl(ch) ? `\\${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : ch)).join('');
  return `U&'${body}'`;
}

/** `$.a.b` for json_extract_scalar, or null when a key needs quoting (kept out: engines disagree on the syntax). */
function jsonPath(segments: readonly string[]): string | null {
  return segments.every((s) => PLAIN_KEY.test(s)) ? `$.${segments.join('.')}` : null;
}

/** Where a field is, as SQL over one target's table aliased `e`. */
export interface FieldSql {
  /** varchar, NULL when the record has no scalar there. */
  expr: string;
  /**
   * Boolean: the key is there (an object or array too). Parquet and the AWS table's JSON-text columns tell a JSON
   * null from a missing key; the AWS table's own columns cannot (both are NULL).
   */
  present: string;
  /** A step of the path CloudTrail writes as an array (value tests do not translate; presence does). */
  crossesArray?: string;
  /**
   * Parquet only: the typed column's value stores "" as NULL; `expr` is then the column, `fromRecord` the same
   * field read from the record (used where the two differ: `odd_fields` rows, or a test that tells "" from missing).
   */
  fromRecord?: string;
}

/** The field as SQL over the target's table, or null with the reason when that table cannot say it. */
export function fieldSql(target: SqlTarget, field: string): FieldSql | { reason: string } {
  const segments = field.split('.');
  if (segments.some((s) => s === '' || s.includes('['))) return { reason: `field "${field}" has an array index or an empty step` };
  if (OBJECT_FIELDS.has(field)) return { reason: `field "${field}" is an object in the record (its JSON text is not a column)` };
  const crossesArray = segments.find((s, i) => i > 0 && ARRAY_KEYS.has(s)) ?? (segments[0] === 'resources' ? 'resources' : undefined);
  const arrays = crossesArray ? { crossesArray } : {};
  if (target === 'parquet') {
    const path = jsonPath(segments);
    if (!path) return { reason: `field "${field}" has a key json_extract_scalar cannot name` };
    const fromRecord = `json_extract_scalar(e.${RECORD_COLUMN}, ${trinoString(path)})`;
    const present = `(json_extract(e.${RECORD_COLUMN}, ${trinoString(path)}) IS NOT NULL)`;
    const column = PATH_COLUMNS.get(field);
    return column ? { expr: `e.${column}`, present, fromRecord } : { expr: fromRecord, present, ...arrays };
  }
  const scalar = SCALARS.get(field) ?? STRUCTS.get(field);
  if (scalar) return { expr: `e.${scalar}`, present: `(e.${scalar} IS NOT NULL)` };
  const json = JSON_COLUMNS.get(segments[0]);
  if (json && segments.length > 1) {
    const path = jsonPath(segments.slice(1));
    if (!path) return { reason: `field "${field}" has a key json_extract_scalar cannot name` };
    return { expr: `json_extract_scalar(e.${json}, ${trinoString(path)})`, present: `(json_extract(e.${json}, ${trinoString(path)}) IS NOT NULL)`, ...arrays };
  }
  if (segments[0] === 'resources') return { reason: `field "${field}" is inside the resources array` };
  return { reason: `the AWS CloudTrail table has no column for "${field}"` };
}

/** SQL for "the typed columns may not say what the record says" on the Parquet table. */
export const ODD_FIELDS_SQL = `e.${ODD_FIELDS_COLUMN}`;

/** What a finding is grouped and summarised by, as SQL over each target's table (detect/findings.ts's choices). */
export interface FindingColumns {
  /** The event's time (a timestamp on Parquet, ISO-8601 text on the AWS table). */
  time: string;
  eventId: string;
  /** Who acted: principal ARN, else principal ID, Event history's user name, access key, source IP. */
  actor: string;
  /** The call failed: an errorCode, else an errorMessage (model/outcome.ts). */
  failed: string;
  /** The original record's JSON text (Parquet), or null. */
  record: string | null;
  /** The evidence file the event came from. */
  file: string;
}

const nz = (x: string) => `nullif(${x}, '')`;

/** Event history's "User name" where the ARN and principal ID are both missing (sources/extract.ts). */
const CLOUDTRAIL_USERNAME = `coalesce(${nz('e.useridentity.username')}, CASE WHEN e.useridentity.type = 'Root' THEN 'root' END, ${nz('e.useridentity.sessioncontext.sessionissuer.username')}, CASE WHEN e.useridentity.type IN ('AWSService', 'AWSAccount') THEN coalesce(${nz('e.useridentity.invokedby')}, ${nz('e.useridentity.accountid')}) END)`;

export const FINDING_COLUMNS: Record<SqlTarget, FindingColumns> = {
  cloudtrail: {
    time: 'e.eventtime',
    eventId: 'e.eventid',
    actor: `coalesce(${nz('e.useridentity.arn')}, ${nz('e.useridentity.principalid')}, ${CLOUDTRAIL_USERNAME}, ${nz('e.useridentity.accesskeyid')}, ${nz('e.sourceipaddress')}, '(unknown)')`,
    failed: `(${nz('e.errorcode')} IS NOT NULL OR ${nz('e.errormessage')} IS NOT NULL)`,
    record: null,
    file: 'e."$path"',
  },
  parquet: {
    time: 'e.event_time',
    eventId: 'e.event_id',
    actor: "coalesce(e.arn, e.principal_id, e.username, e.access_key_id, e.source_ip, '(unknown)')",
    failed: '(e.error_code IS NOT NULL OR e.error_message IS NOT NULL)',
    record: `e.${RECORD_COLUMN}`,
    file: 'e.source_file',
  },
};

/**
 * An inclusive time window as a WHERE conjunct, or null for none. The AWS table's eventtime is CloudTrail's text
 * (`2024-02-17T10:05:00Z`, which sorts as time); the Parquet table's event_time is a UTC timestamp and its `date`
 * partition lets the engine skip whole days.
 */
export function timeWindowSql(target: SqlTarget, startMs: number | null, endMs: number | null): string | null {
  const parts: string[] = [];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  if (target === 'cloudtrail') {
    const second = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
    if (startMs !== null) parts.push(`e.eventtime >= ${trinoString(second(Math.ceil(startMs / 1000) * 1000))}`);
    if (endMs !== null) parts.push(`e.eventtime <= ${trinoString(second(endMs))}`);
  } else {
    const stamp = (ms: number) => `TIMESTAMP ${trinoString(new Date(ms).toISOString().slice(0, 23).replace('T', ' '))}`;
    if (startMs !== null) parts.push(`e."date" >= ${trinoString(day(startMs))}`, `e.event_time >= ${stamp(startMs)}`);
    if (endMs !== null) parts.push(`e."date" <= ${trinoString(day(endMs))}`, `e.event_time <= ${stamp(endMs)}`);
  }
  return parts.length ? parts.join(' AND ') : null;
}
