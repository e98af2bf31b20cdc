// Who did it: an event's actor fully attributed — for a role session, the role, the session name and the identity
// that assumed it (from the call that minted the session's key, followed up a role chain to the first long-term
// identity), or the service that acted on the account's behalf.

import { isoUtc } from '../model/time.js';
import type { MintLookup } from './case-source.js';
import type { EventWithBody } from './credentials.js';
import { asObj, path, str } from './record.js';

export interface AssumingIdentity {
  arn: string | null;
  type: string | null;
  accountId: string | null;
  accessKeyId: string | null;
  /** The minting call (AssumeRole, GetSessionToken...). */
  via: string | null;
  eventId: string;
  eventTime: string | null;
  sourceIPAddress: string | null;
}

export interface Actor {
  /** userIdentity.type: IAMUser, AssumedRole, Root, AWSService, FederatedUser, AWSAccount... */
  type: string | null;
  arn: string | null;
  accountId: string | null;
  principalId: string | null;
  userName: string | null;
  accessKeyId: string | null;
  sessionIssuerArn: string | null;
  sessionName: string | null;
  sourceIdentity: string | null;
  invokedBy: string | null;
  /** The action was taken by an AWS service (Auto Scaling, a service-linked role...). */
  serviceInitiated: boolean;
  /** The service, when serviceInitiated. */
  service: string | null;
  /** ARN (else type and principal) of the identity that assumed the session, when the evidence holds the minting call. */
  assumedBy: string | null;
  /** The minting calls, from the session's own up to the first long-term identity. */
  assumedByChain: AssumingIdentity[];
  /** The first long-term identity behind a chain of sessions (the human, usually). */
  originArn: string | null;
}

const SERVICE_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/;

function sessionName(arn: string | null, type: string | null): string | null {
  if (!arn || (type !== 'AssumedRole' && type !== 'FederatedUser')) return null;
  const parts = arn.split('/');
  return parts.length >= 3 ? parts.slice(2).join('/') : parts.length === 2 ? parts[1] : null;
}

/** A one-line label for a minting call's caller. */
function callerLabel(ev: EventWithBody): string | null {
  const r = ev.row;
  if (r.arn) return r.arn;
  const parts = [r.identityType, r.principalId, r.accountId ? `account ${r.accountId}` : null].filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}

export function attributeActor(ev: EventWithBody, lookup: MintLookup | null, maxChain = 32): Actor {
  const r = ev.row;
  const ui = asObj(ev.record?.userIdentity);
  const type = r.identityType ?? str(ui?.type);
  const invokedBy = r.invokedBy ?? str(ui?.invokedBy);
  const ua = r.userAgent ?? '';
  const issuer = r.sessionIssuerArn ?? str(path(ui, 'sessionContext', 'sessionIssuer', 'arn'));
  let service: string | null = null;
  if (type === 'AWSService') service = invokedBy ?? (SERVICE_HOST.test(ua) ? ua : null) ?? 'AWS service';
  else if (invokedBy && SERVICE_HOST.test(invokedBy)) service = invokedBy;
  else if (issuer && /:role\/aws-service-role\//.test(issuer)) service = `${issuer.split('/')[2] ?? 'service-linked role'}`;
  else if (SERVICE_HOST.test(ua) && !ua.startsWith('console.') && !ua.startsWith('signin.')) service = ua;

  const chain: AssumingIdentity[] = [];
  let key = r.accessKeyId;
  let current: EventWithBody = ev;
  let currentType = type;
  const seen = new Set<string>();
  // Temporary keys (ASIA…) have a minting call; GetSessionToken sessions keep the IAMUser type, so the key decides.
  while (lookup && key && chain.length < maxChain && !seen.has(key) && (key.startsWith('ASIA') || currentType === 'AssumedRole' || currentType === 'FederatedUser')) {
    seen.add(key);
    const mint = lookup.mintEventFor(key, current);
    if (!mint) break;
    chain.push({
      arn: callerLabel(mint),
      type: mint.row.identityType,
      accountId: mint.row.accountId,
      accessKeyId: mint.row.accessKeyId,
      via: mint.row.eventName,
      eventId: mint.row.eventId,
      eventTime: isoUtc(mint.row.eventTime),
      sourceIPAddress: mint.row.sourceIPAddress,
    });
    key = mint.row.accessKeyId;
    current = mint;
    currentType = mint.row.identityType;
  }
  return {
    type,
    arn: r.arn,
    accountId: r.accountId,
    principalId: r.principalId,
    userName: r.userName,
    accessKeyId: r.accessKeyId,
    sessionIssuerArn: issuer,
    sessionName: sessionName(r.arn, type),
    sourceIdentity: r.sourceIdentity,
    invokedBy,
    serviceInitiated: service != null,
    service,
    assumedBy: chain[0]?.arn ?? null,
    assumedByChain: chain,
    originArn: chain.length ? chain[chain.length - 1].arn : null,
  };
}

/** The actor in one line for tables: `role/session (assumed by arn)`. */
export function actorLabel(a: Actor): string {
  if (a.serviceInitiated && (a.type === 'AWSService' || !a.arn)) return `service ${a.service}`;
  let s = a.arn ?? [a.type, a.principalId].filter(Boolean).join(' ');
  if (a.assumedBy) s += ` (assumed by ${a.assumedBy}${a.originArn && a.originArn !== a.assumedBy ? `, origin ${a.originArn}` : ''})`;
  else if (a.sourceIdentity) s += ` (source identity ${a.sourceIdentity})`;
  if (a.serviceInitiated && a.type !== 'AWSService') s += ` [via ${a.service}]`;
  return s;
}
