// IAM policy documents as CloudTrail records them (JSON text, URL-encoded JSON text, or already objects): decoding,
// admin-equivalence, trust-policy principals and diffs. Pure.

import { accountOfArn } from './credentials.js';
import { asObj } from './record.js';

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

export function statements(doc: unknown): Record<string, unknown>[] {
  const s = asObj(doc)?.Statement ?? asObj(doc)?.statement;
  if (Array.isArray(s)) return s.map(asObj).filter((x): x is Record<string, unknown> => !!x);
  const one = asObj(s);
  return one ? [one] : [];
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

export interface TrustDiff {
  addedPrincipals: string[];
  removedPrincipals: string[];
  addedStatements: unknown[];
  removedStatements: unknown[];
  /** Statements whose principals and actions stayed but whose Condition was dropped or changed (e.g. sts:ExternalId removed). */
  changedConditions: Array<{ principal: unknown; before: unknown; after: unknown }>;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function diffTrust(previous: unknown, current: unknown): TrustDiff {
  const label = (p: TrustPrincipal) => `${p.kind}:${p.value}`;
  const before = new Set(trustPrincipals(previous).map(label));
  const after = new Set(trustPrincipals(current).map(label));
  const sb = new Map(statements(previous).map((s) => [canonical(s), s]));
  const sa = new Map(statements(current).map((s) => [canonical(s), s]));
  return {
    addedPrincipals: [...after].filter((p) => !before.has(p)),
    removedPrincipals: [...before].filter((p) => !after.has(p)),
    addedStatements: [...sa].filter(([k]) => !sb.has(k)).map(([, s]) => s),
    removedStatements: [...sb].filter(([k]) => !sa.has(k)).map(([, s]) => s),
    changedConditions: changedConditions([...sb].filter(([k]) => !sa.has(k)).map(([, s]) => s), [...sa].filter(([k]) => !sb.has(k)).map(([, s]) => s)),
  };
}

function changedConditions(removed: Record<string, unknown>[], added: Record<string, unknown>[]): TrustDiff['changedConditions'] {
  const out: TrustDiff['changedConditions'] = [];
  const shape = (st: Record<string, unknown>) => canonical([st.Effect, st.Principal, st.Action, st.NotAction]);
  for (const r of removed) {
    const match = added.find((a) => shape(a) === shape(r));
    if (match && canonical(match.Condition ?? null) !== canonical(r.Condition ?? null)) {
      out.push({ principal: r.Principal ?? null, before: r.Condition ?? null, after: match.Condition ?? null });
    }
  }
  return out;
}
