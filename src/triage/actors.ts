// The actors behind the severe findings: every principal and access key a high or critical finding cites, told
// briefly: when it was first and last seen and from where, its findings in time order, what it created (users,
// keys, roles, instances, snapshots …) and what credentials it minted (sessions, keys). Keys that `investigate
// access-key` followed up also carry the suspect window it found.

import type { Db } from '../index/open.js';
import { eventRowId, forEachEventRecord } from '../index/bodies.js';
import { fetchEventRows, type EventRow } from '../index/event-rows.js';
import { failureOf } from '../detect/findings.js';
import { actorActivity, actorEventsNamed, type NamedEvent } from '../index/triage-facts.js';
import { levelRank, type Level } from '../model/detection.js';
import { isoUtc } from '../model/time.js';
import type { TriageActor, TriageFinding } from '../model/triage.js';

type Rec = Record<string, unknown>;

/** Actors told at most. */
export const MAX_ACTORS = 12;
/** Story lines per actor for its findings. */
const STORY_FINDINGS = 8;

const obj = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const req = (r: Rec): Rec => obj(r.requestParameters);
const res = (r: Rec): Rec => obj(r.responseElements);

/** What a successful call created, as "Type name" (null when the record does not say). */
const CREATED: Readonly<Record<string, (r: Rec) => string[]>> = {
  CreateUser: (r) => named('IAM user', str(req(r).userName)),
  CreateAccessKey: (r) => named('access key', str(obj(res(r).accessKey).accessKeyId), str(req(r).userName) ?? str(obj(res(r).accessKey).userName)),
  CreateLoginProfile: (r) => named('console password of', str(req(r).userName)),
  CreateRole: (r) => named('IAM role', str(req(r).roleName)),
  CreateGroup: (r) => named('IAM group', str(req(r).groupName)),
  CreatePolicy: (r) => named('IAM policy', str(req(r).policyName)),
  CreateSAMLProvider: (r) => named('SAML provider', str(req(r).name)),
  CreateOpenIDConnectProvider: (r) => named('OIDC provider', str(req(r).url)),
  CreateTrustAnchor: (r) => named('Roles Anywhere trust anchor', str(req(r).name)),
  RunInstances: (r) => (Array.isArray(obj(res(r).instancesSet).items) ? (obj(res(r).instancesSet).items as unknown[]).map((i) => str(obj(i).instanceId)).filter((x): x is string => x !== null).map((i) => `EC2 instance ${i}`) : []),
  CreateSnapshot: (r) => named('EBS snapshot', str(res(r).snapshotId)),
  CreateImage: (r) => named('AMI', str(res(r).imageId)),
  CreateSecurityGroup: (r) => named('security group', str(res(r).groupId) ?? str(req(r).groupName)),
  ImportKeyPair: (r) => named('key pair', str(req(r).keyName)),
  CreateKeyPair: (r) => named('key pair', str(req(r).keyName)),
  CreateBucket: (r) => named('S3 bucket', str(req(r).bucketName)),
  CreateFunction20150331: (r) => named('Lambda function', str(req(r).functionName)),
  CreateSecret: (r) => named('secret', str(req(r).name)),
  CreateDBSnapshot: (r) => named('RDS snapshot', str(req(r).dBSnapshotIdentifier)),
};

/** Credentials a successful call minted. */
const MINTED: Readonly<Record<string, (r: Rec) => string[]>> = {
  AssumeRole: (r) => named('session', str(obj(res(r).assumedRoleUser).arn), str(obj(res(r).credentials).accessKeyId)),
  GetSessionToken: (r) => named('session token', str(obj(res(r).credentials).accessKeyId)),
  GetFederationToken: (r) => named('federation token', str(obj(res(r).federatedUser).arn) ?? str(obj(res(r).credentials).accessKeyId)),
  CreateAccessKey: (r) => named('access key', str(obj(res(r).accessKey).accessKeyId), str(req(r).userName) ?? str(obj(res(r).accessKey).userName)),
};

function named(what: string, name: string | null, extra?: string | null): string[] {
  if (!name) return [];
  return [`${what} ${name}${extra ? ` (${extra})` : ''}`];
}

function whatItMade(db: Db, column: 'arn' | 'access_key_id', value: string, table: Readonly<Record<string, (r: Rec) => string[]>>): string[] {
  const events = actorEventsNamed(db, column, value, Object.keys(table)).filter((e) => e.errorCode === null);
  const out: string[] = [];
  const byRow = new Map<number, NamedEvent>(events.map((e) => [e.rowId, e]));
  forEachEventRecord(db, events.map((e) => e.rowId), (id, rec) => out.push(...table[byRow.get(id)!.eventName](rec)));
  return [...new Set(out)].slice(0, 30);
}

/** The follow-up `investigate access-key` result, as far as the actors use it. */
export interface KeyFollowUp {
  accessKeyId: string;
  owner: { arn: string | null; userName: string | null } | null;
  suspectWindow: { start: string; end: string; reasons?: string[]; source?: string; confidence?: string | null } | null;
  createdAccessKeys: Array<{ accessKeyId: string; userName: string | null }>;
  derivedCredentials: Array<{ accessKeyId: string; via: string; roleArn: string | null }>;
}

function story(findings: TriageFinding[], first: string | null, firstIp: string | null, last: string | null): string[] {
  const lines: string[] = [];
  if (first) lines.push(`first seen ${first}${firstIp ? ` (most events from ${firstIp})` : ''}`);
  const inOrder = [...findings].sort((a, b) => (a.firstTime ?? '').localeCompare(b.firstTime ?? ''));
  for (const f of inOrder.slice(0, STORY_FINDINGS)) {
    const revert = f.revert.state === 'reverted' ? ', undone later' : f.revert.state === 'partly-reverted' ? ', partly undone later' : '';
    lines.push(`${f.firstTime ?? '(no time)'} ${f.title} (${f.level}; ${f.outcome}${f.errorCodes.length ? `: ${f.errorCodes.slice(0, 2).join(', ')}` : ''}${revert})`);
  }
  if (inOrder.length > STORY_FINDINGS) lines.push(`… and ${inOrder.length - STORY_FINDINGS} more findings`);
  if (last) lines.push(`last seen ${last}`);
  return lines;
}

/** Access key IDs worth following up: long-term (AKIA) and temporary (ASIA) keys of high and critical findings. */
export function severeKeys(findings: readonly TriageFinding[]): string[] {
  const keys = new Set<string>();
  for (const f of findings) if (levelRank(f.level) >= levelRank('high')) for (const k of f.accessKeyIds) if (/^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(k)) keys.add(k);
  return [...keys].sort();
}

export function buildActors(db: Db, findings: readonly TriageFinding[], followUps: ReadonlyMap<string, KeyFollowUp>): TriageActor[] {
  const severe = findings.filter((f) => levelRank(f.level) >= levelRank('high'));
  const candidates = new Map<string, { kind: TriageActor['kind']; id: string; findings: TriageFinding[]; level: Level }>();
  const add = (kind: TriageActor['kind'], id: string, f: TriageFinding): void => {
    const k = `${kind}:${id}`;
    const c = candidates.get(k) ?? { kind, id, findings: [], level: f.level };
    c.findings.push(f);
    if (levelRank(f.level) > levelRank(c.level)) c.level = f.level;
    candidates.set(k, c);
  };
  for (const f of severe) {
    for (const p of f.principals) if (p.startsWith('arn:')) add('principal', p, f);
    for (const k of f.accessKeyIds) if (followUps.has(k)) add('access-key', k, f);
  }
  // Keep every finding of the actor in its story (not only the severe ones).
  for (const c of candidates.values()) {
    c.findings = findings.filter((f) => (c.kind === 'principal' ? f.principals.includes(c.id) : f.accessKeyIds.includes(c.id)));
  }
  // A principal whose key is told as an actor (with its owner's ARN) is told once, as the key.
  for (const [k, c] of candidates) {
    if (c.kind !== 'principal') continue;
    if ([...followUps.values()].some((f) => f.owner?.arn === c.id && candidates.has(`access-key:${f.accessKeyId}`))) candidates.delete(k);
  }
  // Rank by what the actor did, not what was tried against it: the most severe finding whose calls (some) succeeded,
  // then how many such findings. A user whose only severe finding is a failed sign-in burst against it comes last.
  const cited = new Map<string, EventRow[]>();
  for (const f of severe) cited.set(f.id, fetchEventRows(db, f.eventIds.map((id) => eventRowId(db, id)).filter((x): x is number => x !== null)));
  const weight = (c: { kind: TriageActor['kind']; id: string; findings: TriageFinding[] }): [number, number] => {
    const mine = (r: EventRow): boolean => (c.kind === 'principal' ? r.arn === c.id : r.accessKeyId === c.id);
    const done = c.findings.filter((f) => (cited.get(f.id) ?? []).some((r) => mine(r) && failureOf(r.errorCode, r.errorMessage) === null));
    return [Math.max(-1, ...done.map((f) => levelRank(f.level))), done.length];
  };
  const ranked = [...candidates.values()]
    .map((c) => ({ c, w: weight(c) }))
    .sort((a, b) => b.w[0] - a.w[0] || b.w[1] - a.w[1] || a.c.id.localeCompare(b.c.id))
    .slice(0, MAX_ACTORS)
    .map((x) => x.c);
  const out: TriageActor[] = [];
  for (const c of ranked) {
    const column = c.kind === 'principal' ? 'arn' : 'access_key_id';
    const a = actorActivity(db, column, c.id);
    if (!a) continue;
    const follow = c.kind === 'access-key' ? (followUps.get(c.id) ?? null) : null;
    const first = a.firstMs === null ? null : isoUtc(a.firstMs);
    const last = a.lastMs === null ? null : isoUtc(a.lastMs);
    const minted = whatItMade(db, column, c.id, MINTED);
    if (follow) for (const d of follow.derivedCredentials) minted.push(`${d.via} ${d.accessKeyId}${d.roleArn ? ` (${d.roleArn})` : ''}`);
    out.push({
      kind: c.kind,
      id: c.id,
      label: c.kind === 'principal' ? (a.account ? `account ${a.account}` : '') : (follow?.owner?.arn ?? follow?.owner?.userName ?? ''),
      account: a.account,
      firstSeen: first,
      lastSeen: last,
      events: a.events,
      errors: a.errors,
      sourceIps: a.sourceIps,
      regions: a.regions,
      level: c.level,
      findingIds: c.findings.map((f) => f.id),
      story: story(c.findings, first, a.sourceIps[0] ?? null, last),
      created: whatItMade(db, column, c.id, CREATED),
      minted: [...new Set(minted)].slice(0, 30),
      suspectWindow: follow?.suspectWindow
        ? {
            start: follow.suspectWindow.start,
            end: follow.suspectWindow.end,
            reason: (follow.suspectWindow.reasons ?? []).join('; ') || (follow.suspectWindow.source ?? ''),
            source: follow.suspectWindow.source ?? null,
            confidence: follow.suspectWindow.confidence ?? null,
          }
        : null,
    });
  }
  return out;
}
