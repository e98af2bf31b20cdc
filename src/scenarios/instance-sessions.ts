// An instance's role sessions read from a case: the instance-profile sessions EC2 minted for it (session name = the
// instance id), each with the AssumeRole by ec2.amazonaws.com behind it, their addresses and clients, a bounded list
// of what they did (calls from elsewhere first), and the instance-credentials finding. `investigate instance` shows
// all of it; `investigate access-key` on a session key shows its link to the instance (instanceLinkOfKey).

import type { Db } from '../index/open.js';
import { fetchEventRows, type EventRow } from '../index/event-rows.js';
import { sessionUsage, type SessionUsageRow } from '../index/instance-sessions.js';
import { findEvents, searchEventIds, searchEvents, type EventFilter } from '../index/search.js';
import { userAgentFamily } from '../model/user-agent.js';
import { isoUtc } from '../model/time.js';
import type { InvestigationFinding } from './common.js';
import { withBodies, type MintLookup } from './case-source.js';
import { mints, sessionCreationTime, type EventWithBody } from './credentials.js';
import { finding } from './finding.js';
import { addressKind, assessInstanceCredentials, INSTANCE_ID_RE, instanceOfSessionArn, type ElsewhereUse, type InstanceCredentialAssessment } from './instance-credentials.js';
import { path, str } from './record.js';

/** Calls listed at most in a report's session activity. */
export const SESSION_ACTIVITY_LIMIT = 200;
/** Sessions whose minting call is looked up at most (each is one indexed query). */
const MAX_MINT_LOOKUPS = 200;
/** Event IDs a finding cites at most. */
const MAX_FINDING_EVENTS = 50;

/** One instance-profile session of the instance (one ASIA key). */
export interface InstanceSession {
  accessKeyId: string;
  /** The role (session issuer) and the session's ARN. */
  roleArn: string | null;
  sessionArn: string | null;
  accountId: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  eventCount: number;
  /** Addresses it called from, most calls first ("AWS Internal" and service names included). */
  sourceIps: string[];
  userAgentFamilies: string[];
  /** userIdentity.sessionContext.ec2RoleDelivery of its first call ('1.0' IMDSv1, '2.0' IMDSv2), when recorded. */
  ec2RoleDelivery: string | null;
  /** The AssumeRole that minted it, when the evidence holds it. */
  mintedBy: { eventId: string; eventTime: string | null; invokedBy: string | null; sourceIPAddress: string | null } | null;
  /** Some of its calls came from an address that is not the instance's. */
  usedElsewhere: boolean;
}

/** One call of the instance's sessions. */
export interface SessionCall {
  eventId: string;
  eventTime: string | null;
  eventName: string | null;
  eventSource: string | null;
  awsRegion: string | null;
  accessKeyId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  errorCode: string | null;
  /** From an address listed in usedElsewhere. */
  elsewhere: boolean;
}

export interface InstanceCredentials extends InstanceCredentialAssessment {
  instanceId: string;
  sessions: InstanceSession[];
  /**
   * What the sessions did, within the investigation's filter: every call when there are at most
   * SESSION_ACTIVITY_LIMIT, else the calls from elsewhere, then the other calls of the sessions used elsewhere, then
   * the rest (each oldest first), up to the limit.
   * Absent when not asked for (limit 0).
   */
  activity?: { total: number; truncated: boolean; events: SessionCall[] };
}

/** How far from a session's creation time EC2's AssumeRole may lie. */
const MINT_SLACK_MS = 5 * 60_000;

/**
 * The AssumeRole by EC2 that minted `key`: among the AssumeRole calls from ec2.amazonaws.com within minutes of the
 * session's creation time (one indexed query; STS's read-only AssumeRole names no resource to look up).
 */
function ec2MintOf(db: Db, key: string, first: EventWithBody): EventWithBody | null {
  const created = sessionCreationTime(first.record) ?? first.row.eventTime;
  if (created == null) return null;
  const candidates = findEvents(db, { eventNames: ['AssumeRole'], sourceIps: ['ec2.amazonaws.com'], startMs: created - MINT_SLACK_MS, endMs: created + MINT_SLACK_MS });
  return withBodies(db, candidates).find((c) => mints(c.record, key)) ?? null;
}

function sessionsOf(db: Db, rows: readonly SessionUsageRow[], elsewhere: readonly ElsewhereUse[], withMints: boolean): InstanceSession[] {
  const byKey = new Map<string, SessionUsageRow[]>();
  for (const r of rows) {
    if (!r.accessKeyId) continue;
    const list = byKey.get(r.accessKeyId) ?? [];
    list.push(r);
    byKey.set(r.accessKeyId, list);
  }
  const firstRows = new Map<number, EventWithBody>();
  const firstIds = [...byKey.values()].map((list) => Math.min(...list.map((r) => r.firstRowId)));
  for (const e of withBodies(db, fetchEventRows(db, firstIds.slice(0, MAX_MINT_LOOKUPS)))) firstRows.set(e.row.id, e);
  const stolenKeys = new Set(elsewhere.flatMap((u) => u.accessKeyIds));
  const sessions = [...byKey.entries()].map(([key, list], i) => {
    const ips = new Map<string, number>();
    for (const r of list) ips.set(r.sourceIPAddress ?? '', (ips.get(r.sourceIPAddress ?? '') ?? 0) + r.count);
    const first = firstRows.get(firstIds[i]) ?? null;
    const mint = first && withMints ? ec2MintOf(db, key, first) : null;
    const times = list.flatMap((r) => [r.first, r.last]).filter((t): t is number => t != null);
    return {
      accessKeyId: key,
      roleArn: list.find((r) => r.sessionIssuerArn)?.sessionIssuerArn ?? null,
      sessionArn: list.find((r) => r.arn)?.arn ?? null,
      accountId: list.find((r) => r.accountId)?.accountId ?? null,
      firstSeen: isoUtc(times.length ? Math.min(...times) : null),
      lastSeen: isoUtc(times.length ? Math.max(...times) : null),
      eventCount: list.reduce((n, r) => n + r.count, 0),
      sourceIps: [...ips.entries()].filter(([ip]) => ip !== '').sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([ip]) => ip),
      userAgentFamilies: [...new Set(list.map((r) => userAgentFamily(r.userAgent ?? '')).filter((f) => f !== ''))].sort(),
      ec2RoleDelivery: str(path(first?.record ?? null, 'userIdentity', 'sessionContext', 'ec2RoleDelivery')),
      mintedBy: mint
        ? { eventId: mint.row.eventId, eventTime: isoUtc(mint.row.eventTime), invokedBy: mint.row.invokedBy, sourceIPAddress: mint.row.sourceIPAddress }
        : null,
      usedElsewhere: stolenKeys.has(key),
    };
  });
  return sessions.sort((a, b) => (a.firstSeen ?? '').localeCompare(b.firstSeen ?? '') || a.accessKeyId.localeCompare(b.accessKeyId));
}

function call(r: EventRow, elsewhere: ReadonlySet<string>): SessionCall {
  return {
    eventId: r.eventId,
    eventTime: isoUtc(r.eventTime),
    eventName: r.eventName,
    eventSource: r.eventSource,
    awsRegion: r.awsRegion,
    accessKeyId: r.accessKeyId,
    sourceIPAddress: r.sourceIPAddress,
    userAgent: r.userAgent,
    errorCode: r.errorCode,
    elsewhere: isElsewhere(r, elsewhere),
  };
}

function isElsewhere(r: EventRow, elsewhere: ReadonlySet<string>): boolean {
  return !!r.sourceIPAddress && elsewhere.has(r.sourceIPAddress) && addressKind({ sourceIPAddress: r.sourceIPAddress, invokedBy: r.invokedBy, viaVpcEndpoint: !!r.vpcEndpointId }) !== 'service';
}

/**
 * The calls of the instance's sessions within `filter`; when there are more than `limit`: the calls from elsewhere,
 * then the other calls of the sessions used elsewhere, then the rest, each oldest first.
 */
function activityOf(db: Db, instanceId: string, filter: EventFilter, uses: readonly ElsewhereUse[], limit: number): NonNullable<InstanceCredentials['activity']> {
  const elsewhere = new Set(uses.map((u) => u.sourceIPAddress));
  const stolen = [...new Set(uses.flatMap((u) => u.accessKeyIds))];
  const mine = (r: EventRow) => instanceOfSessionArn(r.arn) === instanceId;
  const scope: EventFilter = { ...filter, users: [instanceId] };
  const all = searchEvents(db, scope, { limit, order: 'oldest' });
  if (!all.truncated) {
    const rows = all.rows.filter(mine);
    return { total: rows.length, truncated: false, events: rows.map((r) => call(r, elsewhere)) };
  }
  const away = elsewhere.size ? searchEvents(db, { ...scope, sourceIps: [...elsewhere] }, { limit, order: 'oldest' }).rows.filter((r) => mine(r) && isElsewhere(r, elsewhere)) : [];
  const sameKeys = stolen.length ? searchEvents(db, { ...scope, accessKeys: stolen }, { limit, order: 'oldest' }).rows.filter(mine) : [];
  const seen = new Set<number>();
  const picked: EventRow[] = [];
  for (const r of [...away, ...sameKeys, ...all.rows.filter(mine)]) {
    if (picked.length >= limit) break;
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    picked.push(r);
  }
  // Counted by session name (ids only): a busy instance has tens of thousands of calls.
  const total = searchEventIds(db, scope).ids.length;
  return { total, truncated: true, events: picked.map((r) => call(r, elsewhere)) };
}

/**
 * The role sessions of `instanceId` in the case, or null when it has none. Sessions and the own/elsewhere verdict
 * read the whole case; the activity list follows `filter`.
 */
export function instanceCredentials(db: Db, instanceId: string, opts: { filter?: EventFilter; limit?: number; mints?: boolean } = {}): InstanceCredentials | null {
  const rows = sessionUsage(db, instanceId).filter((r) => r.identityType === 'AssumedRole' && instanceOfSessionArn(r.arn) === instanceId);
  if (rows.length === 0) return null;
  const assessment = assessInstanceCredentials(instanceId, rows);
  const out: InstanceCredentials = {
    instanceId,
    ...assessment,
    sessions: sessionsOf(db, rows, assessment.usedElsewhere, opts.mints ?? true),
  };
  const limit = opts.limit ?? SESSION_ACTIVITY_LIMIT;
  if (limit > 0) out.activity = activityOf(db, instanceId, opts.filter ?? {}, assessment.usedElsewhere, limit);
  return out;
}

/** The event IDs of the calls from elsewhere (of `keys` only, when given), oldest first, at most MAX_FINDING_EVENTS. */
function elsewhereEventIds(db: Db, instanceId: string, uses: readonly ElsewhereUse[], keys?: readonly string[]): string[] {
  if (uses.length === 0) return [];
  const ips = new Set(uses.map((u) => u.sourceIPAddress));
  const filter: EventFilter = { users: [instanceId], sourceIps: [...ips], ...(keys ? { accessKeys: [...keys] } : {}) };
  return searchEvents(db, filter, { limit: MAX_FINDING_EVENTS * 4, order: 'oldest' })
    .rows.filter((r) => instanceOfSessionArn(r.arn) === instanceId && isElsewhere(r, ips))
    .slice(0, MAX_FINDING_EVENTS)
    .map((r) => r.eventId);
}

/** A reason more for sessions used elsewhere that the instance read through IMDSv1 (what an SSRF can reach). */
function imdsReasons(sessions: readonly InstanceSession[]): string[] {
  const v1 = sessions.filter((s) => s.usedElsewhere && s.ec2RoleDelivery === '1.0').map((s) => s.accessKeyId);
  return v1.length ? [`delivered through IMDSv1 (sessionContext.ec2RoleDelivery 1.0), which a server-side request forgery can read: ${v1.join(', ')}`] : [];
}

function useMessage(uses: readonly ElsewhereUse[]): string {
  return uses
    .map((u) => `${u.sourceIPAddress} (${u.outsideAws ? 'outside AWS' : 'inside AWS'}, ${u.userAgentFamilies.join(', ')}; ${u.eventCount} calls from ${u.firstSeen ?? '?'})`)
    .join('; ');
}

/** The instance investigation's finding: its credentials used from addresses that are not the instance's. */
export function instanceCredentialsFinding(db: Db, c: InstanceCredentials): InvestigationFinding | null {
  if (c.usedElsewhere.length === 0) return null;
  const role = c.sessions.find((s) => s.roleArn)?.roleArn ?? '?';
  return finding(
    'instance-credentials-used-elsewhere',
    {
      message: `role credentials of ${c.instanceId} (${role}) used from ${useMessage(c.usedElsewhere)}; the instance calls from ${c.ownAddresses.join(', ')}`,
      eventIds: elsewhereEventIds(db, c.instanceId, c.usedElsewhere),
      reasons: [...new Set(c.usedElsewhere.flatMap((u) => u.reasons)), ...imdsReasons(c.sessions)],
    },
    { alternate: c.usedElsewhere.some((u) => u.severity === 'high') },
  );
}

/** What `investigate access-key` says about a key that is an instance-profile session. */
export interface InstanceLink {
  instanceId: string;
  /** session-name: the key's calls are by assumed-role/…/<instance id>; ec2-assume-role: EC2 minted it for the instance. */
  linkedBy: Array<'session-name' | 'ec2-assume-role'>;
  /** The key's session among the instance's (null when the key made no call under the instance's name). */
  session: InstanceSession | null;
  /** The instance's sessions in the case (this one included). */
  sessionCount: number;
  baseline: InstanceCredentialAssessment['baseline'];
  ownAddresses: string[];
  ownUserAgentFamilies: string[];
  /** Addresses other than the instance's this key was used from. */
  usedElsewhere: ElsewhereUse[];
}

/**
 * For a temporary key: the instance it was issued for (its calls' session name, or the AssumeRole by EC2 that minted
 * it) and whether it was used elsewhere, with the access-key investigation's finding; null for any other key.
 */
export function instanceLinkOfKey(db: Db, key: string, first: EventWithBody | null, lookup: MintLookup): { link: InstanceLink; finding: InvestigationFinding | null } | null {
  if (!key.startsWith('ASIA')) return null;
  const linkedBy: InstanceLink['linkedBy'] = [];
  let instanceId = first?.row.identityType === 'AssumedRole' ? instanceOfSessionArn(first.row.arn) : null;
  if (instanceId) linkedBy.push('session-name');
  const mint = lookup.mintEventFor(key, first);
  const minted = mint && (mint.row.invokedBy === 'ec2.amazonaws.com' || mint.row.sourceIPAddress === 'ec2.amazonaws.com') ? str(path(mint.record, 'requestParameters', 'roleSessionName')) : null;
  if (minted && INSTANCE_ID_RE.test(minted) && (!instanceId || instanceId === minted)) {
    instanceId = minted;
    linkedBy.push('ec2-assume-role');
  }
  if (!instanceId) return null;
  // Only this key's minting call: a busy instance has dozens of sessions.
  const c = instanceCredentials(db, instanceId, { limit: 0, mints: false });
  const uses = (c?.usedElsewhere ?? []).filter((u) => u.accessKeyIds.includes(key));
  const own = c?.sessions.find((s) => s.accessKeyId === key) ?? null;
  if (own && mint) own.mintedBy = { eventId: mint.row.eventId, eventTime: isoUtc(mint.row.eventTime), invokedBy: mint.row.invokedBy, sourceIPAddress: mint.row.sourceIPAddress };
  const link: InstanceLink = {
    instanceId,
    linkedBy,
    session: own,
    sessionCount: c?.sessions.length ?? 0,
    baseline: c?.baseline ?? 'none',
    ownAddresses: c?.ownAddresses ?? [],
    ownUserAgentFamilies: c?.ownUserAgentFamilies ?? [],
    usedElsewhere: uses,
  };
  const f = uses.length
    ? finding(
        'instance-session-used-elsewhere',
        {
          message: `instance-profile session of ${instanceId} used from ${useMessage(uses)}; the instance calls from ${link.ownAddresses.join(', ')}`,
          eventIds: elsewhereEventIds(db, instanceId, uses, [key]),
          reasons: [...new Set(uses.flatMap((u) => u.reasons)), ...imdsReasons(own ? [own] : [])],
        },
        { alternate: uses.some((u) => u.severity === 'high') },
      )
    : null;
  return { link, finding: f };
}
