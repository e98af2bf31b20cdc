// `investigate iam`: every IAM write — users, groups, roles, policies (documents decoded), policy versions, access
// keys, login profiles, MFA devices, trust policies (diffed against the previous known document), identity providers
// and Roles Anywhere trust anchors and profiles (federation.ts) — and findings: admin-equivalent grants, trust to
// external accounts, backdoor patterns, new ways in through federation.

import type { Db } from '../index/open.js';
import { findEvents } from '../index/search.js';
import type { EventRow } from '../index/event-rows.js';
import { caseCoverage } from '../index/query-coverage.js';
import { isoUtc } from '../model/time.js';
import { withBodies } from './case-source.js';
import type { EventWithBody } from './credentials.js';
import { describeFilter, passes, trustFor, type InvestigationFinding, type InvestigationOptions } from './common.js';
import { bySeverity, finding } from './finding.js';
import {
  ADMIN_MANAGED_POLICIES,
  adminReasons,
  decodePolicy,
  diffTrust,
  externalPrincipals,
  POWERFUL_MANAGED_POLICIES,
  type TrustDiff,
} from './iam-policy.js';
import { PolicyHistory } from './policy-history.js';
import { asObj, path, str, type Obj } from './record.js';
import { federationOpening, federationTargets, ROLES_ANYWHERE_SOURCE, ROLES_ANYWHERE_WRITE_RE, type FederationTargetType } from './federation.js';
import { withOutcomes } from './outcome.js';
import { withReverts } from './finding-reverts.js';

export interface IamOptions extends InvestigationOptions {
  /** Only changes whose target or actor is this user, role, group or policy (name or ARN). */
  principal?: string | null;
}

export interface IamTarget {
  type: 'user' | 'group' | 'role' | 'policy' | 'instance-profile' | 'mfa-device' | 'access-key' | 'login-profile' | FederationTargetType | 'other';
  name: string;
}

export interface IamChange {
  eventId: string;
  eventTime: string | null;
  eventName: string | null;
  /** iam.amazonaws.com, or rolesanywhere.amazonaws.com for Roles Anywhere trust anchors, profiles and CRLs. */
  eventSource: string | null;
  /** The entities changed, as one string: `role ops`, `user bob, group admins`... */
  target: string;
  targets: IamTarget[];
  /** Request parameters with policy documents decoded to JSON, plus what the response created. */
  detail: Record<string, unknown>;
  actorArn: string | null;
  actorType: string | null;
  accessKeyId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  recipientAccountId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** Why this change grants admin-equivalent rights (empty when it does not). */
  adminEquivalent: string[];
  trust?: string;
}

export interface IamReport {
  investigation: 'iam';
  filter: ReturnType<typeof describeFilter>;
  principal: string | null;
  accounts: string[];
  changes: IamChange[];
  failedChanges: number;
  findings: InvestigationFinding[];
}

/** IAM API prefixes that change state (read-only: Get, List, Generate, Simulate...). */
const WRITE_RE = /^(Create|Delete|Attach|Detach|Put|Update|Add|Remove|Set|Enable|Deactivate|Change|Upload|Tag|Untag|Reset|Resync)/;

const TARGET_KEYS: ReadonlyArray<[string, IamTarget['type']]> = [
  ['userName', 'user'],
  ['groupName', 'group'],
  ['roleName', 'role'],
  ['policyArn', 'policy'],
  ['instanceProfileName', 'instance-profile'],
  ['serialNumber', 'mfa-device'],
  ['virtualMFADeviceName', 'mfa-device'],
  ['accessKeyId', 'access-key'],
  ['sAMLProviderArn', 'provider'],
  ['openIDConnectProviderArn', 'provider'],
];

const DOC_KEYS = ['policyDocument', 'assumeRolePolicyDocument'];

function targetsOf(rec: Obj | null, row: EventRow): IamTarget[] {
  const federation = federationTargets(row.eventSource, row.eventName ?? '', rec);
  if (federation.length) return federation;
  const rp = asObj(rec?.requestParameters) ?? {};
  const out: IamTarget[] = [];
  for (const [k, type] of TARGET_KEYS) {
    const v = str(rp[k]);
    if (v) out.push({ type, name: v });
  }
  const name = row.eventName ?? '';
  if (!out.some((t) => t.type === 'policy')) {
    const created = str(path(rec, 'responseElements', 'policy', 'arn'));
    const pn = str(rp.policyName);
    if (created) out.push({ type: 'policy', name: created });
    else if (pn) out.push({ type: 'policy', name: pn });
  }
  if (name === 'CreateAccessKey') {
    const k = str(path(rec, 'responseElements', 'accessKey', 'accessKeyId'));
    if (k && !out.some((t) => t.type === 'access-key')) out.push({ type: 'access-key', name: k });
  }
  // Calls without userName act on the caller (CreateAccessKey, EnableMFADevice, CreateLoginProfile...).
  if (/AccessKey|LoginProfile|MFADevice|SigningCertificate|SSHPublicKey|ServiceSpecificCredential/.test(name) && !out.some((t) => t.type === 'user') && row.userName) {
    out.unshift({ type: 'user', name: row.userName });
  }
  if (/LoginProfile/.test(name)) {
    const u = out.find((t) => t.type === 'user');
    if (u) out.push({ type: 'login-profile', name: u.name });
  }
  if (out.length === 0) {
    const any = Object.entries(rp).find(([k, v]) => /Name$|Arn$/.test(k) && typeof v === 'string');
    if (any) out.push({ type: 'other', name: String(any[1]) });
  }
  return out;
}

function detailOf(rec: Obj | null): Record<string, unknown> {
  const rp = asObj(rec?.requestParameters);
  const detail: Record<string, unknown> = {};
  if (!rp) detail.requestParameters = rec?.requestParameters ?? null;
  else {
    for (const [k, v] of Object.entries(rp)) {
      if (DOC_KEYS.includes(k)) {
        const d = decodePolicy(v);
        detail[k] = d?.document ?? d?.raw ?? v;
        if (d && d.encoding !== 'object' && d.encoding !== 'json') detail[`${k}Encoding`] = d.encoding;
      } else detail[k] = v;
    }
  }
  const resp = asObj(rec?.responseElements);
  const key = asObj(resp?.accessKey);
  if (key) detail.accessKey = { accessKeyId: key.accessKeyId ?? null, userName: key.userName ?? null, status: key.status ?? null };
  const policy = asObj(resp?.policy);
  if (policy) detail.createdPolicy = { arn: policy.arn ?? null, defaultVersionId: policy.defaultVersionId ?? null };
  for (const k of ['user', 'role', 'group', 'instanceProfile']) {
    const o = asObj(resp?.[k]);
    if (o?.arn) detail[`created${k[0].toUpperCase()}${k.slice(1)}Arn`] = o.arn;
  }
  const version = asObj(resp?.policyVersion);
  if (version) detail.policyVersion = { versionId: version.versionId ?? null, isDefaultVersion: version.isDefaultVersion ?? null };
  return detail;
}

function docOf(rec: Obj | null, key: string): unknown {
  return decodePolicy(asObj(rec?.requestParameters)?.[key])?.document ?? null;
}

function label(targets: IamTarget[]): string {
  return targets.map((t) => `${t.type} ${t.name}`).join(', ');
}

export function investigateIam(db: Db, opts: IamOptions): IamReport {
  const accounts = caseCoverage(db).accounts.map((a) => a.value);
  const own = new Set(accounts);
  // Every write in the case, oldest first: previous trust documents and customer policies may predate the window.
  const all = withBodies(
    db,
    findEvents(db, { eventSources: ['iam.amazonaws.com', ROLES_ANYWHERE_SOURCE], excludeReadOnly: true }).filter(
      (r) => r.eventName && (r.eventSource === ROLES_ANYWHERE_SOURCE ? ROLES_ANYWHERE_WRITE_RE : WRITE_RE).test(r.eventName),
    ),
  );
  const trustDocs = new Map<string, unknown>(); // role key → last known trust document
  const policyDocs = new Map<string, unknown>(); // customer policy ARN → default document, when seen
  const adminGroups = new Map<string, string>(); // group key → why admin
  const history = new PolicyHistory(); // permission documents, for semantic diffs of the writes that replace one
  const findings: InvestigationFinding[] = [];
  const shown: Array<{ e: EventWithBody; change: IamChange }> = [];
  const principal = opts.principal?.trim() || null;

  for (const e of all) {
    const { row, record } = e;
    const name = row.eventName ?? '';
    const acct = row.recipientAccountId ?? '';
    const rp = asObj(record?.requestParameters) ?? {};
    const ok = !row.errorCode;
    const targets = targetsOf(record, row);
    const change: IamChange = {
      eventId: row.eventId,
      eventTime: isoUtc(row.eventTime),
      eventName: row.eventName,
      eventSource: row.eventSource,
      target: label(targets),
      targets,
      detail: detailOf(record),
      actorArn: row.arn,
      actorType: row.identityType,
      accessKeyId: row.accessKeyId,
      sourceIPAddress: row.sourceIPAddress,
      userAgent: row.userAgent,
      recipientAccountId: row.recipientAccountId,
      errorCode: row.errorCode,
      errorMessage: row.errorMessage,
      adminEquivalent: [],
    };
    if (!record) change.detail.note = 'event body not available: detail unknown';

    // State and admin-equivalence.
    const roleKey = `${acct}|${str(rp.roleName) ?? ''}`;
    if (ok && name === 'CreatePolicy') {
      const arn = str(path(record, 'responseElements', 'policy', 'arn'));
      if (arn) policyDocs.set(arn, docOf(record, 'policyDocument'));
    }
    if (ok && name === 'CreatePolicyVersion' && (rp.setAsDefault === true || rp.setAsDefault === 'true')) {
      const arn = str(rp.policyArn);
      if (arn) policyDocs.set(arn, docOf(record, 'policyDocument'));
    }
    if (/^(Put(User|Role|Group)Policy|CreatePolicy|CreatePolicyVersion)$/.test(name)) {
      change.adminEquivalent = adminReasons(docOf(record, 'policyDocument'));
    }
    const policyChange = history.apply(name, acct, record, ok);
    if (policyChange) Object.assign(change.detail, policyChange);
    if (/^Attach(User|Role|Group)Policy$/.test(name)) {
      const arn = str(rp.policyArn) ?? '';
      const managed = ADMIN_MANAGED_POLICIES.get(arn);
      if (managed) change.adminEquivalent = [managed];
      else if (policyDocs.has(arn)) change.adminEquivalent = adminReasons(policyDocs.get(arn));
      else if (POWERFUL_MANAGED_POLICIES.has(arn)) change.detail.note = `${arn.split('/').pop()} is powerful (all services but IAM)`;
    }
    if (ok && /^(AttachGroupPolicy|PutGroupPolicy)$/.test(name) && change.adminEquivalent.length) {
      adminGroups.set(`${acct}|${str(rp.groupName)}`, change.adminEquivalent[0]);
    }
    if (name === 'AddUserToGroup') {
      const why = adminGroups.get(`${acct}|${str(rp.groupName)}`);
      if (why) change.adminEquivalent = [`group ${str(rp.groupName)} is admin-equivalent: ${why}`];
    }
    if (name === 'CreateRole' || name === 'UpdateAssumeRolePolicy') {
      const doc = docOf(record, name === 'CreateRole' ? 'assumeRolePolicyDocument' : 'policyDocument');
      if (name === 'UpdateAssumeRolePolicy') {
        const previous = trustDocs.has(roleKey) ? trustDocs.get(roleKey) : undefined;
        const diff: TrustDiff | null = previous === undefined ? null : diffTrust(previous, doc);
        change.detail.previousPolicyDocument = previous === undefined ? null : previous;
        change.detail.trustDiff = diff ?? 'previous trust policy not in the evidence';
      }
      if (ok && doc != null) trustDocs.set(roleKey, doc);
      const ext = ok ? externalPrincipals(doc, new Set([...own, acct])) : [];
      if (ext.length) change.detail.externalPrincipals = ext.map((p) => p.value);
    }

    if (principal && !matchesPrincipal(change, row, principal)) continue;
    if (!passes(row, opts.filter)) continue;
    shown.push({ e, change });
  }

  // Findings over the changes shown.
  const okChanges = shown.filter((s) => !s.e.row.errorCode);
  for (const s of okChanges) {
    const { change } = s;
    if (change.adminEquivalent.length) {
      findings.push(finding('admin-equivalent-grant', { message: `${change.eventName} on ${change.target}: ${change.adminEquivalent.join('; ')}`, eventIds: [change.eventId], actorArn: change.actorArn }));
    }
    const ext = change.detail.externalPrincipals as string[] | undefined;
    // A re-save of the same trust policy (the previous one is in the evidence and means the same) changes nothing:
    // it does not repeat the finding the first grant raised.
    const sameAsBefore = change.eventName === 'UpdateAssumeRolePolicy' && typeof change.detail.trustDiff === 'object' && !!change.detail.trustDiff && (change.detail.trustDiff as TrustDiff).identical;
    if (ext?.length && !sameAsBefore) {
      findings.push(finding('external-trust', { message: `${change.eventName} lets principals outside the case's accounts assume ${change.target}: ${ext.join(', ')}`, eventIds: [change.eventId], actorArn: change.actorArn }));
    }
    const opening = federationOpening(change.eventSource, change.eventName ?? '', s.e.record);
    if (opening) findings.push(finding('federation-trust-added', { message: `${change.eventName} on ${change.target}: ${opening}`, eventIds: [change.eventId], actorArn: change.actorArn }));
    if (/^(DeactivateMFADevice|DeleteVirtualMFADevice)$/.test(change.eventName ?? '')) {
      findings.push(finding('mfa-removed', { message: `${change.eventName} on ${change.target}`, eventIds: [change.eventId], actorArn: change.actorArn }));
    }
    if (change.eventName === 'UpdateAssumeRolePolicy' && typeof change.detail.trustDiff === 'object' && change.detail.trustDiff) {
      const d = change.detail.trustDiff as TrustDiff;
      const external = { alternate: !!ext?.length };
      if (d.addedPrincipals.length) {
        findings.push(finding('trust-policy-widened', { message: `trust policy of ${change.target} now also allows ${d.addedPrincipals.join(', ')}`, eventIds: [change.eventId], actorArn: change.actorArn }, external));
      }
      for (const c of d.changedConditions) {
        const what = `trust policy of ${change.target}: condition ${JSON.stringify(c.before)}`;
        const fields = (message: string) => ({ message, eventIds: [change.eventId], actorArn: change.actorArn });
        findings.push(
          c.after == null
            ? finding('trust-condition-removed', fields(`${what} removed for ${JSON.stringify(c.principal)}`), external)
            : finding('trust-condition-changed', fields(`${what} changed to ${JSON.stringify(c.after)} for ${JSON.stringify(c.principal)}`)),
        );
      }
    }
  }
  // Backdoor: one actor creates a user, then keys or a console password for it.
  const createdBy = new Map<string, IamChange>();
  for (const { change } of okChanges) {
    const user = change.targets.find((t) => t.type === 'user')?.name;
    if (!user) continue;
    const key = `${change.recipientAccountId}|${user}`;
    if (change.eventName === 'CreateUser') createdBy.set(key, change);
  }
  const backdoors = new Map<string, IamChange[]>();
  for (const { change } of okChanges) {
    const user = change.targets.find((t) => t.type === 'user')?.name;
    if (!user) continue;
    const key = `${change.recipientAccountId}|${user}`;
    const creator = createdBy.get(key);
    if (creator && change !== creator && creator.actorArn === change.actorArn && /^(CreateAccessKey|CreateLoginProfile|UpdateLoginProfile|AttachUserPolicy|PutUserPolicy|AddUserToGroup)$/.test(change.eventName ?? '')) {
      let list = backdoors.get(key);
      if (!list) backdoors.set(key, (list = [creator]));
      list.push(change);
    } else if (!creator && /^(CreateAccessKey|CreateLoginProfile|UpdateLoginProfile)$/.test(change.eventName ?? '') && change.actorArn && change.actorType !== 'Root' && !change.actorArn.endsWith(`:user/${user}`)) {
      findings.push(finding('credentials-for-other-user', { message: `${change.actorArn} ran ${change.eventName} for user ${user}`, eventIds: [change.eventId], actorArn: change.actorArn }));
    }
  }
  for (const [key, list] of backdoors) {
    // Creating a user and attaching policies is ordinary administration; giving it credentials too is the pattern.
    if (!list.some((c) => /^(CreateAccessKey|CreateLoginProfile|UpdateLoginProfile)$/.test(c.eventName ?? ''))) continue;
    const user = key.split('|')[1];
    const what = [...new Set(list.slice(1).map((c) => c.eventName))].join(', ');
    const admin = list.some((c) => c.adminEquivalent.length);
    findings.push(
      finding('backdoor-user', {
        message: `${list[0].actorArn} created user ${user} and then ran ${what}${admin ? ' (admin-equivalent)' : ''}`,
        eventIds: list.map((c) => c.eventId),
        actorArn: list[0].actorArn,
        userName: user,
      }),
    );
  }
  findings.sort(bySeverity);
  const shownById = new Map(shown.map((s) => [s.e.row.eventId, s.e.row]));
  withOutcomes(db, findings, shownById);
  withReverts(db, findings, shownById);

  const trust = trustFor(db, opts,
    shown.map((s) => s.e.row.id),
  );
  const changes = shown.map((s) => {
    const c = s.change;
    const t = trust?.get(s.e.row.id);
    return t ? { ...c, trust: t } : c;
  });
  return {
    investigation: 'iam',
    filter: describeFilter(opts.filter),
    principal,
    accounts,
    changes,
    failedChanges: changes.filter((c) => c.errorCode).length,
    findings,
  };
}

function matchesPrincipal(change: IamChange, row: EventRow, p: string): boolean {
  if (change.targets.some((t) => t.name === p || t.name.endsWith(`/${p}`))) return true;
  if (row.userName === p || row.arn === p || row.sessionIssuerUserName === p || row.sessionIssuerArn === p) return true;
  if (row.arn && (row.arn.endsWith(`/${p}`) || row.arn.includes(`/${p}/`))) return true;
  return false;
}
