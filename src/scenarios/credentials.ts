// Credential lineage: which credentials a key minted (STS) or created (IAM CreateAccessKey), recursively, and which
// call minted a given temporary key. Pure over a small data-source interface (src/scenarios/case-source.ts reads it
// from a case; tests give it arrays).

import type { EventRow } from '../index/event-rows.js';
import { isoUtc } from '../model/time.js';
import { path, str, type Obj } from './record.js';

/** STS calls whose response carries new credentials (`responseElements.credentials.accessKeyId`). */
export const MINT_EVENT_NAMES: readonly string[] = [
  'GetSessionToken',
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetFederationToken',
  'AssumeRoot',
];

/** IAM calls that create long-term credentials for a user (persistence). */
export const CREATE_KEY_EVENT_NAMES: readonly string[] = ['CreateAccessKey'];

/** An event row with its body (null when the body could not be read: the row is still shown). */
export interface EventWithBody {
  row: EventRow;
  record: Obj | null;
}

export interface MintedCredential {
  accessKeyId: string;
  roleArn: string | null;
  roleSessionName: string | null;
  /** ARN of the new session: assumed-role/… or federated-user/…. */
  sessionArn: string | null;
  /** Account the new credential acts in (the role's account for AssumeRole). */
  accountId: string | null;
  expiration: string | null;
  sourceIdentity: string | null;
}

export function accountOfArn(arn: string | null | undefined): string | null {
  if (!arn) return null;
  const parts = arn.split(':');
  return parts.length >= 5 && /^\d{12}$/.test(parts[4]) ? parts[4] : null;
}

/** The credentials an STS call returned, when its record says. */
function mintedCredential(rec: Obj | null): MintedCredential | null {
  if (!rec) return null;
  const accessKeyId = str(path(rec, 'responseElements', 'credentials', 'accessKeyId'));
  if (!accessKeyId) return null;
  const roleArn = str(path(rec, 'requestParameters', 'roleArn'));
  const sessionArn =
    str(path(rec, 'responseElements', 'assumedRoleUser', 'arn')) ?? str(path(rec, 'responseElements', 'federatedUser', 'arn'));
  return {
    accessKeyId,
    roleArn,
    roleSessionName: str(path(rec, 'requestParameters', 'roleSessionName')) ?? str(path(rec, 'requestParameters', 'name')),
    sessionArn,
    accountId: accountOfArn(roleArn) ?? accountOfArn(sessionArn) ?? str(rec.recipientAccountId),
    expiration: str(path(rec, 'responseElements', 'credentials', 'expiration')),
    sourceIdentity: str(path(rec, 'requestParameters', 'sourceIdentity')) ?? str(path(rec, 'responseElements', 'sourceIdentity')),
  };
}

export interface CreatedKey {
  accessKeyId: string;
  userName: string | null;
  accountId: string | null;
}

/** The key a CreateAccessKey call created, when its record says. */
export function createdAccessKey(rec: Obj | null): CreatedKey | null {
  if (!rec) return null;
  const accessKeyId = str(path(rec, 'responseElements', 'accessKey', 'accessKeyId'));
  if (!accessKeyId) return null;
  return {
    accessKeyId,
    userName:
      str(path(rec, 'responseElements', 'accessKey', 'userName')) ??
      str(path(rec, 'requestParameters', 'userName')) ??
      str(path(rec, 'userIdentity', 'userName')),
    accountId: str(rec.recipientAccountId),
  };
}

export interface CredentialNode {
  accessKeyId: string;
  /** The key that signed the call that minted/created this one; null for the key investigated. */
  parentAccessKeyId: string | null;
  kind: 'investigated' | 'temporary' | 'created';
  /** eventName of that call. */
  via: string | null;
  eventId: string | null;
  eventRowId: number | null;
  eventTime: string | null;
  /** Levels below the investigated key. */
  depth: number;
  roleArn: string | null;
  roleSessionName: string | null;
  sessionArn: string | null;
  /** Account the credential acts in. */
  accountId: string | null;
  /** Created keys: the IAM user the key belongs to. */
  userName: string | null;
  expiration: string | null;
  /** The credential acts in another account than its parent's. */
  crossAccount: boolean;
  /** How the minting call was tied to its parent: its own signature, or its copy in another account. */
  linkedBy: 'signature' | 'sharedEventID' | 'requestID';
  /** eventIds of the same call's copies in other accounts. */
  linkedEventIds: string[];
}

export interface LineageSource {
  /** Events signed by any of `keys` whose name is one of `names`, with bodies. */
  eventsSignedBy(keys: readonly string[], names: readonly string[]): EventWithBody[];
  /** The same calls as recorded in other accounts (same sharedEventID or requestID), with bodies. */
  copiesOf(rows: readonly EventRow[]): EventWithBody[];
}

export interface Lineage {
  nodes: CredentialNode[];
  /** Copies of minting calls found in other accounts (cited with the events). */
  linkedEvents: EventWithBody[];
  /** Stopped at maxDepth with keys still unexplored. */
  truncated: boolean;
}

/** Breadth-first: every credential minted or created by `rootKey`, then by those, and so on. */
export function traceLineage(source: LineageSource, rootKey: string, rootAccountId: string | null, maxDepth = 64): Lineage {
  const nodes: CredentialNode[] = [];
  const byKey = new Map<string, CredentialNode>();
  const root: CredentialNode = {
    accessKeyId: rootKey,
    parentAccessKeyId: null,
    kind: 'investigated',
    via: null,
    eventId: null,
    eventRowId: null,
    eventTime: null,
    depth: 0,
    roleArn: null,
    roleSessionName: null,
    sessionArn: null,
    accountId: rootAccountId,
    userName: null,
    expiration: null,
    crossAccount: false,
    linkedBy: 'signature',
    linkedEventIds: [],
  };
  nodes.push(root);
  byKey.set(rootKey, root);
  const linked = new Map<number, EventWithBody>();
  const names = [...MINT_EVENT_NAMES, ...CREATE_KEY_EVENT_NAMES];
  let frontier = [rootKey];
  let depth = 0;
  let truncated = false;
  while (frontier.length > 0) {
    if (depth >= maxDepth) {
      truncated = true;
      break;
    }
    const calls = source.eventsSignedBy(frontier, names).filter((c) => !c.row.errorCode);
    const copies = source.copiesOf(calls.map((c) => c.row));
    const copiesOf = new Map<number, EventWithBody[]>();
    // Both copies of a cross-account call may be signed by the same key (and so be among `calls`).
    const pool = [...calls, ...copies.filter((o) => !calls.some((c) => c.row.id === o.row.id))];
    for (const c of calls) {
      const mine = pool.filter(
        (o) =>
          o.row.id !== c.row.id &&
          ((c.row.sharedEventId != null && o.row.sharedEventId === c.row.sharedEventId) ||
            (c.row.requestId != null && o.row.requestId === c.row.requestId && o.row.eventName === c.row.eventName)),
      );
      copiesOf.set(c.row.id, mine);
    }
    const next: string[] = [];
    for (const c of calls) {
      const parentKey = c.row.accessKeyId!;
      const parent = byKey.get(parentKey);
      const others = copiesOf.get(c.row.id) ?? [];
      for (const o of others) if (!calls.some((x) => x.row.id === o.row.id)) linked.set(o.row.id, o);
      // Take the credential from the call's own body, else from a copy in another account.
      let linkedBy: CredentialNode['linkedBy'] = 'signature';
      let minted = mintedCredential(c.record);
      let created = minted ? null : createdAccessKey(c.record);
      if (!minted && !created) {
        for (const o of others) {
          minted = mintedCredential(o.record);
          created = minted ? null : createdAccessKey(o.record);
          if (minted || created) {
            linkedBy = c.row.sharedEventId != null && o.row.sharedEventId === c.row.sharedEventId ? 'sharedEventID' : 'requestID';
            break;
          }
        }
      }
      const key = minted?.accessKeyId ?? created?.accessKeyId;
      if (!key || byKey.has(key)) continue;
      const accountId = minted?.accountId ?? created?.accountId ?? c.row.recipientAccountId;
      const node: CredentialNode = {
        accessKeyId: key,
        parentAccessKeyId: parentKey,
        kind: minted ? 'temporary' : 'created',
        via: c.row.eventName,
        eventId: c.row.eventId,
        eventRowId: c.row.id,
        eventTime: isoUtc(c.row.eventTime),
        depth: (parent?.depth ?? depth) + 1,
        roleArn: minted?.roleArn ?? null,
        roleSessionName: minted?.roleSessionName ?? null,
        sessionArn: minted?.sessionArn ?? null,
        accountId,
        userName: created?.userName ?? null,
        expiration: minted?.expiration ?? null,
        crossAccount: !!(accountId && (parent?.accountId ?? c.row.accountId) && accountId !== (parent?.accountId ?? c.row.accountId)),
        linkedBy,
        linkedEventIds: others.map((o) => o.row.eventId),
      };
      nodes.push(node);
      byKey.set(key, node);
      next.push(key);
    }
    frontier = next;
    depth++;
  }
  return { nodes, linkedEvents: [...linked.values()], truncated };
}

/** The creation time STS gave a session, from an event it signed (userIdentity.sessionContext.attributes.creationDate). */
export function sessionCreationTime(rec: Obj | null): number | null {
  const s = str(path(rec, 'userIdentity', 'sessionContext', 'attributes', 'creationDate'));
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

/** Does this minting call's body say it returned `accessKeyId`? */
export function mints(rec: Obj | null, accessKeyId: string): boolean {
  return mintedCredential(rec)?.accessKeyId === accessKeyId || createdAccessKey(rec)?.accessKeyId === accessKeyId;
}

