// Record → the columns investigations query. Tolerant of every shape seen in real data: missing
// userIdentity, booleans written as strings, numbers where strings are expected, odd account ids.

import type { CloudTrailRecord, EventColumns } from '../model/types.js';

function str(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return null;
}

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Parse a CloudTrail time to ms since the epoch (UTC); null when absent or unparseable. */
export function parseEventTime(v: unknown): number | null {
  if (typeof v !== 'string' || v.length < 10) return null;
  // CloudTrail writes 2024-02-17T10:00:00Z; tolerate offsets and fractions; reject bare local times.
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(v);
  const ms = Date.parse(hasZone || v.length === 10 ? v : `${v}Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** Event history's "User name" for a record. */
export function eventHistoryUsername(rec: CloudTrailRecord): string | null {
  const ui = obj(rec.userIdentity);
  if (!ui) return null;
  const type = str(ui.type);
  const userName = str(ui.userName);
  if (userName) return userName;
  const arn = str(ui.arn);
  if (type === 'Root') return 'root';
  if (arn && (type === 'AssumedRole' || type === 'FederatedUser' || type === 'IdentityCenterUser' || type === 'WebIdentityUser' || type === 'SAMLUser')) {
    const slash = arn.lastIndexOf('/');
    if (slash >= 0 && slash < arn.length - 1) return arn.slice(slash + 1);
  }
  const issuer = obj(obj(ui.sessionContext)?.sessionIssuer);
  const issuerName = str(issuer?.userName);
  if (issuerName) return issuerName;
  const principal = str(ui.principalId);
  if (principal && principal.includes(':')) return principal.slice(principal.indexOf(':') + 1);
  if (type === 'AWSService' || type === 'AWSAccount') return str(ui.invokedBy) ?? str(ui.accountId);
  return null;
}

/** Normalised category: the record's eventCategory when present, else derived (documented in docs/case-format.md). */
export function eventCategory(rec: CloudTrailRecord): string {
  const c = str(rec.eventCategory);
  if (c) return c;
  if (rec.eventType === 'AwsCloudTrailInsight' || rec.insightDetails) return 'Insight';
  if (bool(rec.managementEvent) === false) return 'Data';
  return 'Management';
}

export function extractColumns(rec: CloudTrailRecord, eventId: string, eventTime: number | null): EventColumns {
  const ui = obj(rec.userIdentity);
  const sc = obj(ui?.sessionContext);
  const issuer = obj(sc?.sessionIssuer);
  const ua = rec.userAgent;
  return {
    eventId,
    eventTime,
    eventName: str(rec.eventName),
    eventSource: str(rec.eventSource),
    awsRegion: str(rec.awsRegion),
    recipientAccountId: str(rec.recipientAccountId),
    sourceIPAddress: str(rec.sourceIPAddress),
    userAgent: typeof ua === 'string' ? ua : str(ua),
    identityType: str(ui?.type),
    arn: str(ui?.arn),
    principalId: str(ui?.principalId),
    accountId: str(ui?.accountId),
    accessKeyId: str(ui?.accessKeyId),
    userName: str(ui?.userName),
    username: eventHistoryUsername(rec),
    sessionIssuerArn: str(issuer?.arn),
    sessionIssuerUserName: str(issuer?.userName),
    invokedBy: str(ui?.invokedBy),
    sourceIdentity: str(sc?.sourceIdentity) ?? str(ui?.sourceIdentity),
    errorCode: str(rec.errorCode),
    errorMessage: str(rec.errorMessage),
    readOnly: bool(rec.readOnly),
    eventType: str(rec.eventType),
    eventCategory: eventCategory(rec),
    managementEvent: bool(rec.managementEvent),
    sharedEventId: str(rec.sharedEventID),
    requestId: str(rec.requestID),
    vpcEndpointId: str(rec.vpcEndpointId),
  };
}
