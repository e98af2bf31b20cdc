// Persistence and exposure changes a key's lineage made: users, access keys, login profiles, policies, roles and trust
// policies, group memberships, bucket policies/ACLs, snapshot/AMI/DB snapshot shares, Lambda permissions, KMS grants,
// Roles Anywhere trust anchors/profiles, SAML/OIDC providers and security-group rules. Only calls that succeeded count
// (a failed call changed nothing); each carries its revert state from reverts.ts, the one definition of "undone".

import type { Db } from '../index/open.js';
import { forEachEventRecord } from '../index/bodies.js';
import { eventsNamed } from '../index/triage-facts.js';
import type { EventRow } from '../index/event-rows.js';
import { isoUtc } from '../model/time.js';
import { asObj, items, path, pick, str, type Obj } from './record.js';
import { deletedLater, findReverts, type Revert } from './reverts.js';
import { parseSgEvent } from './sg-rules.js';

export type ExposureKind =
  | 'user'
  | 'access-key'
  | 'login-profile'
  | 'managed-policy'
  | 'inline-policy'
  | 'group-membership'
  | 'role'
  | 'trust-policy'
  | 'bucket-policy'
  | 'bucket-acl'
  | 'public-access-block'
  | 'snapshot-share'
  | 'image-share'
  | 'db-snapshot-share'
  | 'db-cluster-snapshot-share'
  | 'lambda-permission'
  | 'kms-grant'
  | 'trust-anchor'
  | 'roles-anywhere-profile'
  | 'saml-provider'
  | 'oidc-provider'
  | 'security-group-ingress';

export interface ExposureRevert {
  state: 'reverted' | 'not-reverted';
  /** The undoing call, when reverted. */
  eventId: string | null;
  eventName: string | null;
  eventTime: string | null;
  /** ARN of whoever undid it. */
  by: string | null;
}

export interface Exposure {
  kind: ExposureKind;
  /** The change. */
  eventId: string;
  eventTime: string | null;
  eventName: string;
  accessKeyId: string | null;
  accountId: string | null;
  region: string | null;
  /** The user, role or group the change was made to (policies, keys, login profiles, memberships), else null. */
  principal: { type: 'user' | 'role' | 'group'; name: string } | null;
  /** What changed: user/role name, access key id, policy ARN or name, group, bucket, snapshot/image id, function, KMS key, trust anchor/profile id, provider ARN, security group id. */
  resource: string;
  /** Who gains access: account ids, `all` (public), `*` / principals of a policy, CIDRs; empty when not applicable. */
  grantees: string[];
  /** Ids the undo names: Lambda statement id, KMS grant id, security-group rule ids (sgr-…). */
  handles: string[];
  /** trust-policy only: the document in force before the change, when the evidence holds it (the role's previous UpdateAssumeRolePolicy or its CreateRole); else null. */
  previousDocument: string | null;
  revert: ExposureRevert;
}

type Parse = (rec: Obj) => Omit<Exposure, 'eventId' | 'eventTime' | 'eventName' | 'accessKeyId' | 'accountId' | 'region' | 'revert' | 'previousDocument'> | null;

const rp = (rec: Obj): Obj => asObj(rec.requestParameters) ?? {};
const rs = (rec: Obj): Obj => asObj(rec.responseElements) ?? {};
const strs = (v: unknown): string[] => (Array.isArray(v) ? v : v == null ? [] : [v]).map((x) => str(x)).filter((x): x is string => !!x);

/** The principals a policy document allows (AWS, Service, Federated, `*`), from a JSON string or an object. */
function allowedPrincipals(doc: unknown): string[] {
  let d: unknown = doc;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d) as unknown;
    } catch {
      return [];
    }
  }
  const out = new Set<string>();
  for (const st of items(pick(d, 'Statement'))) {
    if (str(pick(st, 'Effect')) !== 'Allow') continue;
    const p = pick(st, 'Principal');
    if (typeof p === 'string') out.add(p);
    else for (const v of Object.values(asObj(p) ?? {})) for (const x of strs(v)) out.add(x);
  }
  return [...out].sort();
}

/** Accounts or groups added by an EC2 attribute change (`{<attribute>: {add: {items: [{userId}|{group}]}}}`). */
function ec2Added(rec: Obj, attribute: string): string[] {
  const add = path(rp(rec), attribute, 'add');
  return items(add)
    .map((it) => str(pick(it, 'userId', 'UserId')) ?? str(pick(it, 'group', 'Group')))
    .filter((x): x is string => !!x);
}

const user = (name: string | null) => (name ? { type: 'user' as const, name } : null);
const role = (name: string | null) => (name ? { type: 'role' as const, name } : null);
const group = (name: string | null) => (name ? { type: 'group' as const, name } : null);

/** The changes followed, by eventName: what each one exposes, read from its request and response. */
const PARSERS: Readonly<Record<string, Parse>> = {
  CreateUser: (r) => only(str(rp(r).userName), (n) => ({ kind: 'user', principal: null, resource: n, grantees: [], handles: [] })),
  CreateAccessKey: (r) => {
    const k = asObj(rs(r).accessKey);
    return only(str(k?.accessKeyId), (id) => ({ kind: 'access-key', principal: user(str(rp(r).userName) ?? str(k?.userName)), resource: id, grantees: [], handles: [] }));
  },
  CreateLoginProfile: (r) => only(str(rp(r).userName), (n) => ({ kind: 'login-profile', principal: user(n), resource: n, grantees: [], handles: [] })),
  UpdateLoginProfile: (r) => only(str(rp(r).userName), (n) => ({ kind: 'login-profile', principal: user(n), resource: n, grantees: [], handles: [] })),
  AttachUserPolicy: (r) => only(str(rp(r).policyArn), (a) => ({ kind: 'managed-policy', principal: user(str(rp(r).userName)), resource: a, grantees: [], handles: [] })),
  AttachRolePolicy: (r) => only(str(rp(r).policyArn), (a) => ({ kind: 'managed-policy', principal: role(str(rp(r).roleName)), resource: a, grantees: [], handles: [] })),
  AttachGroupPolicy: (r) => only(str(rp(r).policyArn), (a) => ({ kind: 'managed-policy', principal: group(str(rp(r).groupName)), resource: a, grantees: [], handles: [] })),
  PutUserPolicy: (r) => only(str(rp(r).policyName), (n) => ({ kind: 'inline-policy', principal: user(str(rp(r).userName)), resource: n, grantees: [], handles: [] })),
  PutRolePolicy: (r) => only(str(rp(r).policyName), (n) => ({ kind: 'inline-policy', principal: role(str(rp(r).roleName)), resource: n, grantees: [], handles: [] })),
  PutGroupPolicy: (r) => only(str(rp(r).policyName), (n) => ({ kind: 'inline-policy', principal: group(str(rp(r).groupName)), resource: n, grantees: [], handles: [] })),
  AddUserToGroup: (r) => only(str(rp(r).groupName), (g) => ({ kind: 'group-membership', principal: user(str(rp(r).userName)), resource: g, grantees: [], handles: [] })),
  CreateRole: (r) => only(str(rp(r).roleName), (n) => ({ kind: 'role', principal: null, resource: n, grantees: allowedPrincipals(rp(r).assumeRolePolicyDocument), handles: [] })),
  UpdateAssumeRolePolicy: (r) => only(str(rp(r).roleName), (n) => ({ kind: 'trust-policy', principal: role(n), resource: n, grantees: allowedPrincipals(rp(r).policyDocument), handles: [] })),
  PutBucketPolicy: (r) => only(str(rp(r).bucketName), (b) => ({ kind: 'bucket-policy', principal: null, resource: b, grantees: allowedPrincipals(rp(r).bucketPolicy ?? rp(r).policy), handles: [] })),
  PutBucketAcl: (r) => only(str(rp(r).bucketName), (b) => ({ kind: 'bucket-acl', principal: null, resource: b, grantees: strs(pick(rp(r), 'x-amz-acl')), handles: [] })),
  DeletePublicAccessBlock: (r) => only(str(rp(r).bucketName), (b) => ({ kind: 'public-access-block', principal: null, resource: b, grantees: [], handles: [] })),
  ModifySnapshotAttribute: (r) => only(str(rp(r).snapshotId), (id) => share('snapshot-share', id, ec2Added(r, 'createVolumePermission'))),
  ModifyImageAttribute: (r) => only(str(rp(r).imageId), (id) => share('image-share', id, ec2Added(r, 'launchPermission'))),
  ModifyDBSnapshotAttribute: (r) => only(str(rp(r).dBSnapshotIdentifier), (id) => share('db-snapshot-share', id, strs(rp(r).valuesToAdd))),
  ModifyDBClusterSnapshotAttribute: (r) => only(str(rp(r).dBClusterSnapshotIdentifier), (id) => share('db-cluster-snapshot-share', id, strs(rp(r).valuesToAdd))),
  AddPermission: lambdaPermission,
  AddPermission20150331: lambdaPermission,
  AddPermission20150331v2: lambdaPermission,
  CreateGrant: (r) => only(str(rp(r).keyId), (k) => ({ kind: 'kms-grant', principal: null, resource: k, grantees: strs(rp(r).granteePrincipal), handles: strs(rs(r).grantId) })),
  CreateTrustAnchor: (r) => only(str(path(rs(r), 'trustAnchor', 'trustAnchorId')), (id) => ({ kind: 'trust-anchor', principal: null, resource: id, grantees: [], handles: [] })),
  CreateProfile: (r) => only(str(path(rs(r), 'profile', 'profileId')), (id) => ({ kind: 'roles-anywhere-profile', principal: null, resource: id, grantees: strs(rp(r).roleArns), handles: [] })),
  CreateSAMLProvider: (r) => only(str(rs(r).sAMLProviderArn), (a) => ({ kind: 'saml-provider', principal: null, resource: a, grantees: [], handles: [] })),
  CreateOpenIDConnectProvider: (r) => only(str(rs(r).openIDConnectProviderArn), (a) => ({ kind: 'oidc-provider', principal: null, resource: a, grantees: [], handles: [] })),
  AuthorizeSecurityGroupIngress: (r) => {
    const changes = parseSgEvent(r).filter((c) => c.action === 'authorize' && c.rule);
    const groupId = changes.find((c) => c.groupId)?.groupId ?? null;
    return only(groupId, (g) => ({
      kind: 'security-group-ingress',
      principal: null,
      resource: g,
      grantees: [...new Set(changes.map((c) => c.rule!.source))],
      handles: changes.map((c) => c.rule!.ruleId).filter((x): x is string => !!x),
    }));
  },
};

function only<T>(v: string | null, make: (v: string) => T): T | null {
  return v ? make(v) : null;
}

function share(kind: ExposureKind, id: string, grantees: string[]) {
  // A share that adds no one (a removal, or an attribute reset) exposes nothing.
  return grantees.length ? { kind, principal: null, resource: id, grantees, handles: [] } : null;
}

function lambdaPermission(r: Obj) {
  const fn = str(rp(r).functionName);
  const sid = str(rp(r).statementId);
  return fn && sid ? { kind: 'lambda-permission' as const, principal: null, resource: fn, grantees: strs(rp(r).principal), handles: [sid] } : null;
}

/** Whether an event name is a persistence or exposure change this module follows. */
export function isExposureEvent(eventName: string | null): boolean {
  return !!eventName && Object.hasOwn(PARSERS, eventName);
}

function revertOf(r: Revert | undefined): ExposureRevert {
  return r?.reverted
    ? { state: 'reverted', eventId: r.byEventId, eventName: r.byEventName, eventTime: isoUtc(r.byTimeMs), by: r.byArn }
    : { state: 'not-reverted', eventId: null, eventName: null, eventTime: null, by: null };
}

/**
 * The persistence and exposure changes among `rows` (the events a key's lineage signed) that succeeded, oldest
 * first, each with its revert state. Reads the bodies of those changes and of the later calls that may undo them.
 */
export function findExposures(db: Db, rows: readonly EventRow[]): Exposure[] {
  const changes = rows.filter((r) => !r.errorCode && isExposureEvent(r.eventName));
  if (changes.length === 0) return [];
  const records = new Map<number, Obj>();
  forEachEventRecord(db, changes.map((c) => c.id), (id, rec) => records.set(id, rec));
  const reverts = findReverts(
    db,
    changes.map((c) => ({ rowId: c.id, eventId: c.eventId, eventName: c.eventName!, timeMs: c.eventTime, account: c.recipientAccountId, errorCode: null })),
  );
  const out: Exposure[] = [];
  for (const c of [...changes].sort((a, b) => (a.eventTime ?? 0) - (b.eventTime ?? 0) || a.id - b.id)) {
    const rec = records.get(c.id);
    const what = rec ? PARSERS[c.eventName!](rec) : null;
    if (!what) continue;
    out.push({
      kind: what.kind,
      eventId: c.eventId,
      eventTime: isoUtc(c.eventTime),
      eventName: c.eventName!,
      accessKeyId: c.accessKeyId,
      accountId: c.recipientAccountId,
      region: c.awsRegion,
      principal: what.principal,
      resource: what.resource,
      grantees: what.grantees,
      handles: what.handles,
      previousDocument: null,
      revert: revertOf(reverts.get(c.id)),
    });
  }
  previousTrustPolicies(db, out.filter((e) => e.kind === 'trust-policy' && e.revert.state === 'not-reverted'));
  return out;
}

/** Fills `previousDocument` of trust-policy changes from the role's last CreateRole/UpdateAssumeRolePolicy before each. */
function previousTrustPolicies(db: Db, changes: Exposure[]): void {
  if (changes.length === 0) return;
  const latest = Math.max(...changes.map((e) => (e.eventTime ? Date.parse(e.eventTime) : 0)));
  const calls = eventsNamed(db, ['CreateRole', 'UpdateAssumeRolePolicy']).filter((u) => u.errorCode === null && (u.timeMs ?? Infinity) < latest);
  const records = new Map<number, Obj>();
  forEachEventRecord(db, calls.map((u) => u.rowId), (id, rec) => records.set(id, rec));
  for (const e of changes) {
    const t = e.eventTime ? Date.parse(e.eventTime) : 0;
    let doc: string | null = null;
    for (const u of calls) {
      const rec = records.get(u.rowId);
      if (!rec || (u.timeMs ?? Infinity) >= t || u.account !== e.accountId || u.eventId === e.eventId || str(rp(rec).roleName) !== e.resource) continue;
      const d = rp(rec).assumeRolePolicyDocument ?? rp(rec).policyDocument;
      doc = typeof d === 'string' ? d : d && typeof d === 'object' ? JSON.stringify(d) : doc;
    }
    e.previousDocument = doc;
  }
}

/** A created key's state at the end of the evidence. */
export interface CreatedKeyRevert {
  state: 'deleted' | 'deactivated' | 'not-reverted';
  eventId: string | null;
  eventName: string | null;
  eventTime: string | null;
  by: string | null;
}

/** The revert state of a key the lineage created, from its CreateAccessKey exposure (DeleteUser deletes its keys). */
export function createdKeyRevert(exposures: readonly Exposure[], accessKeyId: string): CreatedKeyRevert {
  const r = exposures.find((e) => e.kind === 'access-key' && e.resource === accessKeyId && e.revert.state === 'reverted')?.revert;
  if (!r) return { state: 'not-reverted', eventId: null, eventName: null, eventTime: null, by: null };
  return { state: r.eventName === 'UpdateAccessKey' ? 'deactivated' : 'deleted', eventId: r.eventId, eventName: r.eventName, eventTime: r.eventTime, by: r.by };
}

const gone = (r: Revert | undefined) => (r ? { eventId: r.byEventId, eventName: r.byEventName, eventTime: isoUtc(r.byTimeMs), by: r.byArn } : null);

/**
 * What of the lineage itself is gone by the end of the evidence: the investigated key (deleted, or deactivated) and
 * the roles its sessions assumed (deleted after the session was minted). Indexed queries by event name.
 */
export function lineageGone(
  db: Db,
  accessKeyId: string,
  accountId: string | null,
  derived: ReadonlyArray<{ roleArn: string | null; eventTime: string | null; accountId: string | null }>,
): { keyGone: ReturnType<typeof gone>; rolesGone: Map<string, NonNullable<ReturnType<typeof gone>>> } {
  const key = new Map([[accessKeyId, { timeMs: null, account: accountId }]]);
  // Deleted, or deactivated and not made Active again afterwards.
  const off = deletedLater(db, 'UpdateAccessKey', 'accessKeyId', key, (r) => str(rp(r).status) === 'Inactive').get(accessKeyId);
  const onAgain = off && deletedLater(db, 'UpdateAccessKey', 'accessKeyId', new Map([[accessKeyId, { timeMs: off.byTimeMs, account: accountId }]]), (r) => str(rp(r).status) === 'Active').get(accessKeyId);
  const keyGone = gone(deletedLater(db, 'DeleteAccessKey', 'accessKeyId', key).get(accessKeyId)) ?? (onAgain ? null : gone(off));
  const roles = new Map<string, { timeMs: number | null; account: string | null }>();
  const arnOf = new Map<string, string>();
  for (const d of derived) {
    if (!d.roleArn) continue;
    const name = d.roleArn.split('/').pop()!;
    const t = d.eventTime ? Date.parse(d.eventTime) : null;
    const seen = roles.get(name);
    // The latest session minted: a role deleted before it was assumed again is not gone.
    if (!seen || (t ?? 0) > (seen.timeMs ?? 0)) roles.set(name, { timeMs: t, account: d.accountId ?? d.roleArn.split(':')[4] ?? null });
    arnOf.set(name, d.roleArn);
  }
  const rolesGone = new Map<string, NonNullable<ReturnType<typeof gone>>>();
  for (const [name, r] of deletedLater(db, 'DeleteRole', 'roleName', roles)) rolesGone.set(arnOf.get(name)!, gone(r)!);
  return { keyGone, rolesGone };
}
