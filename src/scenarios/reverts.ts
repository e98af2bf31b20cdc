// Was a change undone later in the evidence? For each successful change a finding cites (an access key created, a
// policy attached, a port opened, logging stopped, a snapshot shared …) look for a later successful call that undoes
// it on the same resource (the key deleted, the policy detached, the rule revoked, logging restarted, the share
// removed). Deleting what a change was made to undoes it too (a user's key or password goes with the user, a role's
// policy with the role), and a removal undoes a share only when it takes back every account the share added. Failed
// calls changed nothing and need no revert. Triage's findings and the investigations' exposures (exposures.ts) both
// ask here.

import type { Db } from '../index/open.js';
import { forEachEventRecord } from '../index/bodies.js';
import { eventsNamed, type NamedEvent } from '../index/triage-facts.js';
import type { RevertStatus } from '../model/triage.js';
import { parseSgEvent, ruleKey } from './sg-rules.js';

type Rec = Record<string, unknown>;

function obj(v: unknown): Rec {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {};
}

function s(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

const req = (r: Rec): Rec => obj(r.requestParameters);
const res = (r: Rec): Rec => obj(r.responseElements);
/** A key of request parameters joined (empty when one is missing: no match). */
const params = (...names: string[]) => (r: Rec): string => {
  const p = req(r);
  const parts = names.map((n) => s(p[n]));
  return parts.some((x) => x === '') ? '' : parts.join('|');
};
/** The trail's name whether given as a name or an ARN. */
const trail = (r: Rec): string => {
  const p = req(r);
  const raw = s(p.name) || s(p.trailName);
  return raw.replace(/^arn:[^:]*:cloudtrail:[^:]*:[^:]*:trail\//, '');
};

interface RevertRule {
  /** The undoing calls. */
  undo: readonly string[];
  /** Key of the change's resource. */
  key: (r: Rec) => string;
  /** Key of the undoing call's resource (default: `key`). */
  undoKey?: (r: Rec) => string;
  /** An undoing call that must carry this (e.g. a "remove" attribute change). */
  undoIf?: (r: Rec) => boolean;
  /** The change itself must look like this to count (e.g. an "add"). */
  changeIf?: (r: Rec) => boolean;
  /** The thing the change was made to (a user, a role): deleting it undoes the change too (a user's key, a role's policy). */
  within?: Within;
  /** An undoing call must also take back everything the change gave (e.g. remove every account a share added). */
  covers?: (change: Rec, undo: Rec) => boolean;
  /** A later call (among `undo`'s names, same key) that puts the change back after an undo (a key made Active again). */
  redoIf?: (r: Rec) => boolean;
}

/** A container whose deletion undoes what was attached to it: the deleting calls and the container's key on both sides. */
interface Within {
  undo: readonly string[];
  key: (r: Rec) => string;
}
const IN_USER: Within = { undo: ['DeleteUser'], key: params('userName') };
const IN_ROLE: Within = { undo: ['DeleteRole'], key: params('roleName') };
const IN_GROUP: Within = { undo: ['DeleteGroup'], key: params('groupName') };

/**
 * Whether an attribute change adds (or removes) grants: EC2 writes them as `{<attribute>: {add|remove: {items: [...]}}}`
 * (snapshot create-volume and AMI launch permissions), RDS as `valuesToAdd` / `valuesToRemove`.
 */
function grants(r: Rec, op: 'add' | 'remove'): boolean {
  const p = req(r);
  if (Array.isArray(p[op === 'add' ? 'valuesToAdd' : 'valuesToRemove'])) return true;
  if (op === 'add' && s(p.operationType) === 'add') return true;
  return Object.values(p).some((attr) => {
    const change = obj(attr)[op];
    const items = Array.isArray(change) ? change : obj(change).items;
    return Array.isArray(items) && items.length > 0;
  });
}
const hasAdd = (r: Rec): boolean => grants(r, 'add');
const hasRemove = (r: Rec): boolean => grants(r, 'remove');

/** The accounts and groups an attribute change adds or removes (`userId`/`group` items, or RDS `valuesTo…`). */
function grantees(r: Rec, op: 'add' | 'remove'): string[] {
  const p = req(r);
  const values = p[op === 'add' ? 'valuesToAdd' : 'valuesToRemove'];
  if (Array.isArray(values)) return values.map(s);
  const out: string[] = [];
  for (const attr of Object.values(p)) {
    const change = obj(attr)[op];
    const items: unknown = Array.isArray(change) ? change : obj(change).items;
    if (Array.isArray(items)) for (const it of items) out.push(s(obj(it).userId ?? obj(it).UserId ?? obj(it).group ?? obj(it).Group));
  }
  return out;
}
/** A removal undoes a share only when it removes every account/group the share added (a reset or delete always does). */
const removesAll = (change: Rec, undo: Rec): boolean => s(undo.eventName) !== s(change.eventName) || grantees(change, 'add').every((g) => grantees(undo, 'remove').includes(g));

/**
 * A revoke undoes an authorize only when it takes back every rule the authorize opened, by rule id (sgr-…) or by the
 * rule itself (direction, protocol, ports, source); deleting the group always does.
 */
function revokesAll(change: Rec, undo: Rec): boolean {
  if (s(undo.eventName) === 'DeleteSecurityGroup') return true;
  const opened = parseSgEvent(change).filter((c) => c.action === 'authorize' && c.rule).map((c) => c.rule!);
  const revoked = parseSgEvent(undo).filter((c) => c.action === 'revoke' && c.rule).map((c) => c.rule!);
  const ids = new Set(revoked.map((r) => r.ruleId).filter((x): x is string => !!x));
  const keys = new Set(revoked.filter((r) => r.sourceType !== 'unknown').map(ruleKey));
  return opened.every((r) => (r.ruleId !== null && ids.has(r.ruleId)) || keys.has(ruleKey(r)));
}

/** Changes that can be undone, by eventName. */
const RULES: Readonly<Record<string, RevertRule>> = {
  CreateAccessKey: { undo: ['DeleteAccessKey', 'UpdateAccessKey'], key: (r) => s(obj(res(r).accessKey).accessKeyId), undoKey: params('accessKeyId'), undoIf: (r) => s(r.eventName) === 'DeleteAccessKey' || s(req(r).status) === 'Inactive', redoIf: (r) => s(r.eventName) === 'UpdateAccessKey' && s(req(r).status) === 'Active', within: { undo: ['DeleteUser'], key: (r) => s(req(r).userName) || s(obj(res(r).accessKey).userName) } },
  CreateUser: { undo: ['DeleteUser'], key: params('userName') },
  CreateRole: { undo: ['DeleteRole'], key: params('roleName') },
  CreateLoginProfile: { undo: ['DeleteLoginProfile'], key: params('userName'), within: IN_USER },
  UpdateLoginProfile: { undo: ['DeleteLoginProfile'], key: params('userName'), within: IN_USER },
  AttachUserPolicy: { undo: ['DetachUserPolicy'], key: params('userName', 'policyArn'), within: IN_USER },
  AttachRolePolicy: { undo: ['DetachRolePolicy'], key: params('roleName', 'policyArn'), within: IN_ROLE },
  AttachGroupPolicy: { undo: ['DetachGroupPolicy'], key: params('groupName', 'policyArn'), within: IN_GROUP },
  PutUserPolicy: { undo: ['DeleteUserPolicy'], key: params('userName', 'policyName'), within: IN_USER },
  PutRolePolicy: { undo: ['DeleteRolePolicy'], key: params('roleName', 'policyName'), within: IN_ROLE },
  PutGroupPolicy: { undo: ['DeleteGroupPolicy'], key: params('groupName', 'policyName'), within: IN_GROUP },
  AddUserToGroup: { undo: ['RemoveUserFromGroup'], key: params('groupName', 'userName'), within: IN_USER },
  UpdateAssumeRolePolicy: { undo: ['UpdateAssumeRolePolicy', 'DeleteRole'], key: params('roleName') },
  CreateSAMLProvider: { undo: ['DeleteSAMLProvider'], key: (r) => s(res(r).sAMLProviderArn), undoKey: params('sAMLProviderArn') },
  CreateOpenIDConnectProvider: { undo: ['DeleteOpenIDConnectProvider'], key: (r) => s(res(r).openIDConnectProviderArn), undoKey: params('openIDConnectProviderArn') },
  CreateTrustAnchor: { undo: ['DeleteTrustAnchor', 'DisableTrustAnchor'], key: (r) => s(obj(res(r).trustAnchor).trustAnchorId), undoKey: params('trustAnchorId') },
  CreateProfile: { undo: ['DeleteProfile', 'DisableProfile'], key: (r) => s(obj(res(r).profile).profileId), undoKey: params('profileId') },
  StopLogging: { undo: ['StartLogging'], key: trail },
  DeleteTrail: { undo: ['CreateTrail'], key: trail },
  PutEventSelectors: { undo: ['PutEventSelectors'], key: trail },
  UpdateTrail: { undo: ['UpdateTrail'], key: trail },
  PutBucketPolicy: { undo: ['DeleteBucketPolicy', 'PutBucketPolicy'], key: params('bucketName') },
  PutBucketAcl: { undo: ['PutBucketAcl'], key: params('bucketName') },
  PutBucketLifecycle: { undo: ['DeleteBucketLifecycle', 'PutBucketLifecycle'], key: params('bucketName') },
  PutBucketLifecycleConfiguration: { undo: ['DeleteBucketLifecycle', 'PutBucketLifecycleConfiguration'], key: params('bucketName') },
  DeletePublicAccessBlock: { undo: ['PutPublicAccessBlock'], key: params('bucketName') },
  AddPermission: { undo: ['RemovePermission'], key: params('functionName', 'statementId') },
  AddPermission20150331: { undo: ['RemovePermission20150331', 'RemovePermission'], key: params('functionName', 'statementId') },
  AddPermission20150331v2: { undo: ['RemovePermission20150331v2', 'RemovePermission'], key: params('functionName', 'statementId') },
  ModifySnapshotAttribute: { undo: ['ModifySnapshotAttribute', 'ResetSnapshotAttribute', 'DeleteSnapshot'], key: params('snapshotId'), changeIf: hasAdd, undoIf: (r) => s(r.eventName) !== 'ModifySnapshotAttribute' || hasRemove(r), covers: removesAll },
  ModifyImageAttribute: { undo: ['ModifyImageAttribute', 'ResetImageAttribute', 'DeregisterImage'], key: params('imageId'), changeIf: hasAdd, undoIf: (r) => s(r.eventName) !== 'ModifyImageAttribute' || hasRemove(r), covers: removesAll },
  ModifyDBSnapshotAttribute: { undo: ['ModifyDBSnapshotAttribute', 'DeleteDBSnapshot'], key: params('dBSnapshotIdentifier'), changeIf: hasAdd, undoIf: (r) => s(r.eventName) === 'DeleteDBSnapshot' || hasRemove(r), covers: removesAll },
  ModifyDBClusterSnapshotAttribute: { undo: ['ModifyDBClusterSnapshotAttribute', 'DeleteDBClusterSnapshot'], key: params('dBClusterSnapshotIdentifier'), changeIf: hasAdd, undoIf: (r) => s(r.eventName) === 'DeleteDBClusterSnapshot' || hasRemove(r), covers: removesAll },
  AuthorizeSecurityGroupIngress: { undo: ['RevokeSecurityGroupIngress', 'DeleteSecurityGroup'], key: params('groupId'), covers: revokesAll },
  AuthorizeSecurityGroupEgress: { undo: ['RevokeSecurityGroupEgress', 'DeleteSecurityGroup'], key: params('groupId'), covers: revokesAll },
  CreateGrant: { undo: ['RevokeGrant', 'RetireGrant'], key: (r) => s(res(r).grantId), undoKey: params('grantId') },
  EnableSerialConsoleAccess: { undo: ['DisableSerialConsoleAccess'], key: () => 'account' },
  PutKeyPolicy: { undo: ['PutKeyPolicy'], key: params('keyId') },
  CreatePolicyVersion: { undo: ['DeletePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicy'], key: params('policyArn'), changeIf: (r) => req(r).setAsDefault === true },
  CreateFunctionUrlConfig: { undo: ['DeleteFunctionUrlConfig'], key: params('functionName') },
  CreateFunctionUrlConfig20211031: { undo: ['DeleteFunctionUrlConfig20211031', 'DeleteFunctionUrlConfig'], key: params('functionName') },
};

/** Whether an event name is a change this module can follow. */
export function isRevertible(eventName: string): boolean {
  return Object.hasOwn(RULES, eventName);
}

export interface ChangeEvent {
  rowId: number;
  eventId: string;
  eventName: string;
  timeMs: number | null;
  account: string | null;
  errorCode: string | null;
}

/** How a change was undone: `reverted` false when it is still in place at the end of the evidence. */
export interface Revert {
  reverted: boolean;
  byEventId: string | null;
  /** The undoing call (e.g. DeleteAccessKey, or UpdateAccessKey to Inactive, or DeleteUser for a user's key). */
  byEventName: string | null;
  byTimeMs: number | null;
  /** Who made it (the caller's ARN). */
  byArn: string | null;
}

/**
 * The revert state of each change (by row id): only successful, revertible changes get an entry. One indexed query
 * for the undo event names, one read of the records involved (only the undos after the earliest change, in the
 * changes' accounts).
 */
export function findReverts(
  db: Db,
  changes: readonly ChangeEvent[],
  knownRecords?: ReadonlyMap<number, Rec>,
  /** Every event that could undo these changes, when the caller holds them all (else they are looked up by name). */
  undoCandidates?: readonly NamedEvent[],
): Map<number, Revert> {
  const relevant = changes.filter((c) => c.errorCode === null && isRevertible(c.eventName));
  const out = new Map<number, Revert>();
  if (relevant.length === 0) return out;
  const undoNames = [...new Set(relevant.flatMap((c) => [...RULES[c.eventName].undo, ...(RULES[c.eventName].within?.undo ?? [])]))];
  const earliest = Math.min(...relevant.map((c) => c.timeMs ?? -Infinity));
  const accounts = new Set(relevant.map((c) => c.account));
  const undos = (undoCandidates ? undoCandidates.filter((u) => undoNames.includes(u.eventName)) : eventsNamed(db, undoNames)).filter((u) => u.errorCode === null && (u.timeMs ?? -Infinity) >= earliest && accounts.has(u.account));
  // Bodies the caller already holds are not read again (an investigation has its own events' bodies in hand).
  const records = new Map<number, Rec>();
  const toRead: number[] = [];
  for (const id of new Set([...relevant.map((c) => c.rowId), ...undos.map((u) => u.rowId)])) {
    const known = knownRecords?.get(id);
    if (known) records.set(id, known);
    else toRead.push(id);
  }
  if (toRead.length) forEachEventRecord(db, toRead, (id, rec) => records.set(id, rec));
  for (const c of relevant) {
    const rule = RULES[c.eventName];
    const rec = records.get(c.rowId);
    if (!rec || (rule.changeIf && !rule.changeIf(rec))) continue;
    const key = rule.key(rec);
    if (!key) continue;
    const container = rule.within ? rule.within.key(rec) : '';
    const undoneBy = (u: (typeof undos)[number]): boolean => {
      if (u.rowId === c.rowId || (u.timeMs ?? -Infinity) < (c.timeMs ?? Infinity) || u.account !== c.account) return false;
      const ur = records.get(u.rowId);
      if (!ur) return false;
      if (rule.undo.includes(u.eventName) && (!rule.undoIf || rule.undoIf(ur)) && (rule.undoKey ?? rule.key)(ur) === key && (!rule.covers || rule.covers(rec, ur))) return true;
      return !!container && !!rule.within?.undo.includes(u.eventName) && rule.within.key(ur) === container;
    };
    // The first undo counts, unless the change was put back after it (a deactivated key made Active again): then the next.
    let undo: (typeof undos)[number] | undefined;
    for (const u of undos) {
      if (u.rowId === c.rowId || (u.timeMs ?? -Infinity) < (c.timeMs ?? Infinity)) continue;
      if (undoneBy(u)) undo ??= u;
      else if (undo && rule.redoIf && u.account === c.account && (u.timeMs ?? -Infinity) >= (undo.timeMs ?? Infinity)) {
        const ur = records.get(u.rowId);
        if (ur && rule.redoIf(ur) && (rule.undoKey ?? rule.key)(ur) === key) undo = undefined;
      }
    }
    out.set(c.rowId, { reverted: undo !== undefined, byEventId: undo?.eventId ?? null, byEventName: undo?.eventName ?? null, byTimeMs: undo?.timeMs ?? null, byArn: undo?.arn ?? null });
  }
  return out;
}

/**
 * Successful deletions of named things after a time (e.g. `DeleteRole` of the roles a key's sessions assumed): by
 * name, the first deleting call (that `only` accepts) at or after `after[name].timeMs`, in its account when given.
 */
export function deletedLater(
  db: Db,
  eventName: string,
  param: string,
  after: ReadonlyMap<string, { timeMs: number | null; account: string | null }>,
  only: (r: Rec) => boolean = () => true,
): Map<string, Revert> {
  const out = new Map<string, Revert>();
  if (after.size === 0) return out;
  const earliest = Math.min(...[...after.values()].map((a) => a.timeMs ?? -Infinity));
  const calls = eventsNamed(db, [eventName]).filter((u) => u.errorCode === null && (u.timeMs ?? -Infinity) >= earliest);
  const records = new Map<number, Rec>();
  forEachEventRecord(db, calls.map((u) => u.rowId), (id, rec) => records.set(id, rec));
  for (const u of calls) {
    const rec = records.get(u.rowId);
    if (!rec || !only(rec)) continue;
    const name = s(req(rec)[param]);
    const want = after.get(name);
    if (!want || out.has(name) || (u.timeMs ?? -Infinity) < (want.timeMs ?? -Infinity) || (want.account && u.account !== want.account)) continue;
    out.set(name, { reverted: true, byEventId: u.eventId, byEventName: u.eventName, byTimeMs: u.timeMs, byArn: u.arn });
  }
  return out;
}

/** A finding's revert state from its events' (`changes`: every cited event). */
export function revertStatus(changes: readonly ChangeEvent[], reverts: ReadonlyMap<number, Revert>): RevertStatus {
  const followed = changes.filter((c) => reverts.has(c.rowId));
  if (followed.length === 0) return { state: 'not-applicable', eventIds: [], note: null };
  const undone = followed.filter((c) => reverts.get(c.rowId)!.reverted);
  const by = [...new Set(undone.map((c) => reverts.get(c.rowId)!.byEventId!))];
  if (undone.length === 0) return { state: 'not-reverted', eventIds: [], note: `${followed.length} change${followed.length === 1 ? '' : 's'} still in place at the end of the evidence` };
  if (undone.length === followed.length) return { state: 'reverted', eventIds: by, note: `undone later by ${by.length} call${by.length === 1 ? '' : 's'}` };
  return { state: 'partly-reverted', eventIds: by, note: `${undone.length} of ${followed.length} changes undone later` };
}
