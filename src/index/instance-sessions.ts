// The calls of role sessions named after an EC2 instance, summed up without reading them one by one: EC2 names an
// instance-profile session after the instance id, and Event history's "User name" (events.username, indexed) of an
// assumed-role call is its session name. One grouped query over that index: who signed, from where, with what.

import { cachedStatement as prep, type Db } from './statements.js';
import { resolveStrings, stringId } from './strings.js';

/** One combination of key, address and user agent among the calls of a session name, with its counts. */
export interface SessionUsageRow {
  accessKeyId: string | null;
  /** userIdentity.arn and its session issuer (the role). */
  arn: string | null;
  sessionIssuerArn: string | null;
  accountId: string | null;
  identityType: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  /** userIdentity.invokedBy: an AWS service made the call with the session. */
  invokedBy: string | null;
  /** The call came through a VPC endpoint (vpcEndpointId present). */
  viaVpcEndpoint: boolean;
  count: number;
  first: number | null;
  last: number | null;
  /** events.id of one call of the group (the lowest row id), to read a body from. */
  firstRowId: number;
}

const GROUPED = `SELECT e.access_key_id, e.arn, e.session_issuer_arn, e.account_id, e.identity_type, e.source_ip, e.user_agent,
    e.invoked_by, e.vpc_endpoint_id IS NOT NULL AS vpce, count(*) AS n, min(e.event_time) AS first, max(e.event_time) AS last,
    min(e.id) AS first_id
  FROM events e WHERE e.username = ?
  GROUP BY e.access_key_id, e.arn, e.session_issuer_arn, e.account_id, e.identity_type, e.source_ip, e.user_agent, e.invoked_by, vpce`;

/** Every call whose Event history user name is `sessionName`, grouped by key, address, user agent and path. */
export function sessionUsage(db: Db, sessionName: string): SessionUsageRow[] {
  const id = stringId(db, sessionName);
  if (id == null) return [];
  const raw = prep(db, GROUPED).raw().all(id) as unknown[][];
  const ids = new Set<number>();
  for (const r of raw) for (const i of [0, 1, 2, 3, 4, 5, 6, 7]) if (typeof r[i] === 'number') ids.add(r[i] as number);
  const str = resolveStrings(db, ids);
  const s = (v: unknown): string | null => (typeof v === 'number' ? (str.get(v) ?? null) : null);
  return raw.map((r) => ({
    accessKeyId: s(r[0]),
    arn: s(r[1]),
    sessionIssuerArn: s(r[2]),
    accountId: s(r[3]),
    identityType: s(r[4]),
    sourceIPAddress: s(r[5]),
    userAgent: s(r[6]),
    invokedBy: s(r[7]),
    viaVpcEndpoint: r[8] === 1,
    count: Number(r[9]),
    first: r[10] == null ? null : Number(r[10]),
    last: r[11] == null ? null : Number(r[11]),
    firstRowId: Number(r[12]),
  }));
}
