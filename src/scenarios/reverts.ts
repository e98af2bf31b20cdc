// Was a change undone later in the evidence? For each successful change a finding cites (an access key created, a
// policy attached, a port opened, logging stopped, a snapshot shared …) look for a later successful call that undoes
// it on the same resource (the key deleted, the policy detached, the rule revoked, logging restarted, the share
// removed). Failed calls changed nothing and need no revert.

import type { Db } from '../index/open.js';
import { forEachEventRecord } from '../index/bodies.js';
import { eventsNamed } from '../index/triage-facts.js';
import type { RevertStatus } from '../model/triage.js';

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
}

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

/** Changes that can be undone, by eventName. */
const RULES: Readonly<Record<string, RevertRule>> = {
  CreateAccessKey: { undo: ['DeleteAccessKey', 'UpdateAccessKey'], key: (r) => s(obj(res(r).accessKey).accessKeyId), undoKey: params('accessKeyId'), undoIf: (r) => s(r.eventName) === 'DeleteAccessKey' || s(req(r).status) === 'Inactive' },
  CreateUser: { undo: ['DeleteUser'], key: params('userName') },
  CreateRole: { undo: ['DeleteRole'], key: params('roleName') },
  CreateLoginProfile: { undo: ['DeleteLoginProfile'], key: params('userName') },
  UpdateLoginProfile: { undo: ['DeleteLoginProfile'], key: params('userName') },
  AttachUserPolicy: { undo: ['DetachUserPolicy'], key: params('userName', 'policyArn') },
  AttachRolePolicy: { undo: ['DetachRolePolicy'], key: params('roleName', 'policyArn') },
  AttachGroupPolicy: { undo: ['DetachGroupPolicy'], key: params('groupName', 'policyArn') },
  PutUserPolicy: { undo: ['DeleteUserPolicy'], key: params('userName', 'policyName') },
  PutRolePolicy: { undo: ['DeleteRolePolicy'], key: params('roleName', 'policyName') },
  PutGroupPolicy: { undo: ['DeleteGroupPolicy'], key: params('groupName', 'policyName') },
  AddUserToGroup: { undo: ['RemoveUserFromGroup'], key: params('groupName', 'userName') },
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
  ModifySnapshotAttribute: { undo: ['ModifySnapshotAttribute', 'ResetSnapshotAttribute', 'DeleteSnapshot'], key: params('snapshotId'), changeIf: hasAdd, undoIf: (r) => s(r.eventName) !== 'ModifySnapshotAttribute' || hasRemove(r) },
  ModifyImageAttribute: { undo: ['ModifyImageAttribute', 'ResetImageAttribute', 'DeregisterImage'], key: params('imageId'), changeIf: hasAdd, undoIf: (r) => s(r.eventName) !== 'ModifyImageAttribute' || hasRemove(r) },
  ModifyDBSnapshotAttribute: { undo: ['ModifyDBSnapshotAttribute', 'DeleteDBSnapshot'], key: params('dBSnapshotIdentifier'), changeIf: hasAdd, undoIf: (r) => s(r.eventName) === 'DeleteDBSnapshot' || hasRemove(r) },
  ModifyDBClusterSnapshotAttribute: { undo: ['ModifyDBClusterSnapshotAttribute', 'DeleteDBClusterSnapshot'], key: params('dBClusterSnapshotIdentifier'), changeIf: hasAdd, undoIf: (r) => s(r.eventName) === 'DeleteDBClusterSnapshot' || hasRemove(r) },
  AuthorizeSecurityGroupIngress: { undo: ['RevokeSecurityGroupIngress', 'DeleteSecurityGroup'], key: params('groupId') },
  AuthorizeSecurityGroupEgress: { undo: ['RevokeSecurityGroupEgress', 'DeleteSecurityGroup'], key: params('groupId') },
  CreateGrant: { undo: ['RevokeGrant', 'RetireGrant'], key: (r) => s(res(r).grantId), undoKey: params('grantId') },
  EnableSerialConsoleAccess: { undo: ['DisableSerialConsoleAccess'], key: () => 'account' },
  PutKeyPolicy: { undo: ['PutKeyPolicy'], key: params('keyId') },
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

/**
 * The revert state of each change (by row id): only successful, revertible changes get an entry. One query per undo
 * event name, one read of the records involved.
 */
export function findReverts(db: Db, changes: readonly ChangeEvent[]): Map<number, { reverted: boolean; byEventId: string | null }> {
  const relevant = changes.filter((c) => c.errorCode === null && isRevertible(c.eventName));
  const out = new Map<number, { reverted: boolean; byEventId: string | null }>();
  if (relevant.length === 0) return out;
  const undoNames = [...new Set(relevant.flatMap((c) => RULES[c.eventName].undo))];
  const undos = eventsNamed(db, undoNames).filter((u) => u.errorCode === null);
  const records = new Map<number, Rec>();
  forEachEventRecord(db, [...new Set([...relevant.map((c) => c.rowId), ...undos.map((u) => u.rowId)])], (id, rec) => records.set(id, rec));
  for (const c of relevant) {
    const rule = RULES[c.eventName];
    const rec = records.get(c.rowId);
    if (!rec || (rule.changeIf && !rule.changeIf(rec))) continue;
    const key = rule.key(rec);
    if (!key) continue;
    const undo = undos.find((u) => {
      if (!rule.undo.includes(u.eventName) || u.rowId === c.rowId || (u.timeMs ?? -Infinity) < (c.timeMs ?? Infinity) || u.account !== c.account) return false;
      const ur = records.get(u.rowId);
      if (!ur || (rule.undoIf && !rule.undoIf(ur))) return false;
      return (rule.undoKey ?? rule.key)(ur) === key;
    });
    out.set(c.rowId, { reverted: undo !== undefined, byEventId: undo?.eventId ?? null });
  }
  return out;
}

/** A finding's revert state from its events' (`changes`: every cited event). */
export function revertStatus(changes: readonly ChangeEvent[], reverts: Map<number, { reverted: boolean; byEventId: string | null }>): RevertStatus {
  const followed = changes.filter((c) => reverts.has(c.rowId));
  if (followed.length === 0) return { state: 'not-applicable', eventIds: [], note: null };
  const undone = followed.filter((c) => reverts.get(c.rowId)!.reverted);
  const by = [...new Set(undone.map((c) => reverts.get(c.rowId)!.byEventId!))];
  if (undone.length === 0) return { state: 'not-reverted', eventIds: [], note: `${followed.length} change${followed.length === 1 ? '' : 's'} still in place at the end of the evidence` };
  if (undone.length === followed.length) return { state: 'reverted', eventIds: by, note: `undone later by ${by.length} call${by.length === 1 ? '' : 's'}` };
  return { state: 'partly-reverted', eventIds: by, note: `${undone.length} of ${followed.length} changes undone later` };
}
