// IAM policy documents as CloudTrail records them (JSON text, URL-encoded JSON text, or already objects): decoding,
// admin-equivalence, trust-policy principals and diffs (statements compared by meaning: policy-diff.ts). Pure.

import { accountOfArn } from './credentials.js';
import { diffPolicies, normaliseStatements, rawStatement, statements, type PolicyDiff } from './policy-diff.js';
import { asObj } from './record.js';

export { statements };

export interface DecodedPolicy {
  /** The document as JSON, or null when it could not be decoded. */
  document: unknown;
  /** How it was stored: json text, URL-encoded json text, an object, or undecodable text. */
  encoding: 'json' | 'url-encoded' | 'object' | 'undecodable';
  /** The text as recorded, when it was text and could not be decoded. */
  raw?: string;
}

export function decodePolicy(value: unknown): DecodedPolicy | null {
  if (value == null) return null;
  if (typeof value === 'object') return { document: value, encoding: 'object' };
  if (typeof value !== 'string') return { document: null, encoding: 'undecodable', raw: String(value) };
  const text = value.trim();
  try {
    return { document: JSON.parse(text), encoding: 'json' };
  } catch {
    /* try URL decoding */
  }
  for (const variant of [text, text.replace(/\+/g, ' ')]) {
    try {
      const decoded = decodeURIComponent(variant);
      return { document: JSON.parse(decoded), encoding: 'url-encoded' };
    } catch {
      /* next */
    }
  }
  return { document: null, encoding: 'undecodable', raw: value };
}

function list(v: unknown): string[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** AWS managed policies that grant, or let the holder grant itself, full control. */
export const ADMIN_MANAGED_POLICIES: ReadonlyMap<string, string> = new Map([
  ['arn:aws:iam::aws:policy/AdministratorAccess', 'AdministratorAccess grants every action on every resource'],
  ['arn:aws:iam::aws:policy/IAMFullAccess', 'IAMFullAccess lets the holder grant itself any permission'],
  ['arn:aws:iam::aws:policy/AWSOrganizationsFullAccess', 'AWSOrganizationsFullAccess controls the whole organization'],
]);

/** Managed policies that are powerful without being admin-equivalent. */
export const POWERFUL_MANAGED_POLICIES: ReadonlySet<string> = new Set(['arn:aws:iam::aws:policy/PowerUserAccess']);

const ESCALATION_ACTION = /^iam:((Attach|Put)(User|Role|Group)Policy|CreatePolicyVersion|SetDefaultPolicyVersion|UpdateAssumeRolePolicy|CreateAccessKey|CreateLoginProfile|UpdateLoginProfile)$/i;

/** Why a policy document is admin-equivalent (empty when it is not). */
export function adminReasons(doc: unknown): string[] {
  const out: string[] = [];
  for (const st of statements(doc)) {
    if (String(st.Effect ?? st.effect ?? '').toLowerCase() !== 'allow') continue;
    const resources = list(st.Resource ?? st.resource);
    const allResources = resources.includes('*');
    const actions = list(st.Action ?? st.action);
    if (allResources && actions.some((a) => a === '*' || a === '*:*')) out.push('Allow * on *');
    else if (allResources && actions.some((a) => a.toLowerCase() === 'iam:*')) out.push('Allow iam:* on * (can grant itself anything)');
    else if (allResources && (st.NotAction ?? st.notAction) !== undefined) out.push('Allow NotAction on * (everything but a few actions)');
    else if (allResources) {
      const esc = actions.filter((a) => ESCALATION_ACTION.test(a));
      if (esc.length) out.push(`Allow ${esc.join(', ')} on * (privilege escalation)`);
    }
  }
  return [...new Set(out)];
}

export interface TrustPrincipal {
  kind: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | 'Everyone';
  value: string;
  /** The account an AWS principal belongs to (account id, or from the ARN). */
  accountId: string | null;
}

/** Principals a trust policy allows to assume the role. */
function trustPrincipals(doc: unknown): TrustPrincipal[] {
  const out: TrustPrincipal[] = [];
  for (const st of statements(doc)) {
    if (String(st.Effect ?? '').toLowerCase() !== 'allow') continue;
    const p = st.Principal ?? st.principal;
    if (p === '*') {
      out.push({ kind: 'Everyone', value: '*', accountId: null });
      continue;
    }
    const o = asObj(p);
    if (!o) continue;
    for (const [k, v] of Object.entries(o)) {
      for (const value of list(v)) {
        if (k === 'AWS') {
          out.push({ kind: value === '*' ? 'Everyone' : 'AWS', value, accountId: /^\d{12}$/.test(value) ? value : accountOfArn(value) });
        } else if (k === 'Service' || k === 'Federated' || k === 'CanonicalUser') {
          out.push({ kind: k, value, accountId: k === 'Federated' ? accountOfArn(value) : null });
        }
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((p) => {
    const k = `${p.kind}|${p.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Principals outside `ownAccounts` (or everyone) that a trust policy lets in. */
export function externalPrincipals(doc: unknown, ownAccounts: ReadonlySet<string>): TrustPrincipal[] {
  return trustPrincipals(doc).filter((p) => p.kind === 'Everyone' || (p.kind === 'AWS' && p.accountId != null && !ownAccounts.has(p.accountId)));
}

/** A trust-policy change: the principals let in or out, and the statements compared by meaning (PolicyDiff). */
export interface TrustDiff extends PolicyDiff {
  addedPrincipals: string[];
  removedPrincipals: string[];
  /** Statements whose principals and actions stayed but whose Condition was dropped or changed (e.g. sts:ExternalId removed), as written. */
  changedConditions: Array<{ principal: unknown; before: unknown; after: unknown }>;
}

/** `Kind:value` labels of the principals a trust policy allows, normalised (an account id is its root ARN, `*` is Everyone). */
function principalLabels(doc: unknown): Set<string> {
  const out = new Set<string>();
  for (const st of normaliseStatements(doc)) {
    if (st.Effect !== 'Allow') continue;
    for (const [kind, values] of Object.entries(st.Principal ?? {})) {
      for (const v of values) out.add(kind === 'AWS' && v === '*' ? 'Everyone:*' : `${kind}:${kind === 'Service' ? v.toLowerCase() : v}`);
    }
  }
  return out;
}

export function diffTrust(previous: unknown, current: unknown): TrustDiff {
  const before = principalLabels(previous);
  const after = principalLabels(current);
  const d = diffPolicies(previous, current);
  return {
    addedPrincipals: [...after].filter((p) => !before.has(p)),
    removedPrincipals: [...before].filter((p) => !after.has(p)),
    ...d,
    changedConditions: d.changedStatements
      .filter((c) => c.changes.length > 0 && c.changes.every((x) => x.element === 'Condition'))
      .map((c) => ({ principal: rawStatement(c.before)?.Principal ?? c.before.Principal ?? null, before: rawStatement(c.before)?.Condition ?? null, after: rawStatement(c.after)?.Condition ?? null })),
  };
}
