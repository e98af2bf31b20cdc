// IAM policy documents (trust and permission) compared by what they mean, not how they are written. Pure.
//
// Normalisation of a statement:
// - element names in their canonical case (`effect` → `Effect`); `Sid` is a label and never part of the comparison
//   (`Sid: ""` and no Sid are the same; a renamed Sid alone is no change);
// - `Action`/`NotAction`/`Resource`/`NotResource`, principal values and condition values: a single value and a
//   one-element list are the same; order and duplicates do not count;
// - action names compared without case (`sts:assumerole` = `sts:AssumeRole`), as IAM does; so are service principals
//   and condition keys (`aws:sourceip` = `aws:SourceIp`); they keep their first spelling for display; condition values
//   `true` and `"true"` are the same;
// - `Principal: "*"` = `{"AWS": "*"}`; an account id `123456789012` = `arn:aws:iam::123456789012:root`;
// - object key order does not count.
// Two documents are identical when their `Version` and their sets of normalised statements are equal. Otherwise the
// diff pairs what was removed with what was added where the statements are recognisably the same one (same Sid, or
// equal apart from one element family) and says which elements changed; the rest is added or removed.

import { asObj } from './record.js';

/** The statements of a policy document (`Statement` as a list or a single object). */
export function statements(doc: unknown): Record<string, unknown>[] {
  const s = asObj(doc)?.Statement ?? asObj(doc)?.statement;
  if (Array.isArray(s)) return s.map(asObj).filter((x): x is Record<string, unknown> => !!x);
  const one = asObj(s);
  return one ? [one] : [];
}

/** A statement in canonical form: sorted lists, canonical element names, no empty Sid. */
export interface NormalStatement {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, string[]>;
  NotPrincipal?: Record<string, string[]>;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

type Element = Exclude<keyof NormalStatement, 'Sid'>;
const ELEMENTS: readonly Element[] = ['Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

export interface ElementChange {
  element: Element;
  before: unknown;
  after: unknown;
  /** For list elements (actions, resources, principals): the values added and removed. */
  added?: string[];
  removed?: string[];
}

export interface ChangedStatement {
  before: NormalStatement;
  after: NormalStatement;
  changes: ElementChange[];
}

export interface PolicyDiff {
  /** Same Version and the same statements once normalised: the update changed nothing. */
  identical: boolean;
  /** `{before, after}` when the Version changed, else null. */
  versionChanged: { before: string | null; after: string | null } | null;
  addedStatements: NormalStatement[];
  removedStatements: NormalStatement[];
  changedStatements: ChangedStatement[];
}

function field(st: Record<string, unknown>, name: string): unknown {
  if (name in st) return st[name];
  const lower = name.toLowerCase();
  const k = Object.keys(st).find((x) => x.toLowerCase() === lower);
  return k === undefined ? undefined : st[k];
}

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/**
 * A value or list of values as a list without duplicates, sorted; `fold` says what counts as the same value (the first
 * spelling is kept), `rewrite` turns a value into its canonical form.
 */
function valueList(v: unknown, fold: (s: string) => string = (s) => s, rewrite: (s: string) => string = (s) => s): string[] {
  const raw = (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(scalar).filter((x): x is string => x != null);
  const seen = new Map<string, string>();
  for (const s of raw.map(rewrite)) if (!seen.has(fold(s))) seen.set(fold(s), s);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

const lower = (s: string) => s.toLowerCase();

function principal(v: unknown): Record<string, string[]> | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === '*') return { AWS: ['*'] };
  const o = asObj(v);
  if (!o) return { AWS: valueList(v) };
  const out: Record<string, string[]> = {};
  for (const [k, raw] of Object.entries(o)) {
    const kind = ['AWS', 'Service', 'Federated', 'CanonicalUser'].find((x) => x.toLowerCase() === k.toLowerCase()) ?? k;
    const rewrite = kind === 'AWS' ? (s: string) => (/^\d{12}$/.test(s) ? `arn:aws:iam::${s}:root` : s) : (s: string) => s;
    const vals = valueList(raw, kind === 'Service' ? lower : (s) => s, rewrite);
    if (vals.length) out[kind] = vals;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function condition(v: unknown): Record<string, Record<string, string[]>> | undefined {
  const o = asObj(v);
  if (!o) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const op of Object.keys(o).sort()) {
    const block = asObj(o[op]);
    if (!block) continue;
    const keys: Record<string, string[]> = {};
    for (const k of Object.keys(block).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) {
      const same = Object.keys(keys).find((x) => x.toLowerCase() === k.toLowerCase()) ?? k;
      keys[same] = valueList([...(keys[same] ?? []), ...valueList(block[k])]);
    }
    out[op] = keys;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The raw statement each normalised one was made from (for messages quoting the evidence). */
const RAW = new WeakMap<NormalStatement, Record<string, unknown>>();

export function rawStatement(st: NormalStatement): Record<string, unknown> | undefined {
  return RAW.get(st);
}

export function normaliseStatement(st: Record<string, unknown>): NormalStatement {
  const effect = scalar(field(st, 'Effect')) ?? '';
  const out: NormalStatement = { Effect: effect.toLowerCase() === 'allow' ? 'Allow' : effect.toLowerCase() === 'deny' ? 'Deny' : effect };
  const sid = scalar(field(st, 'Sid'));
  if (sid) out.Sid = sid;
  const p = principal(field(st, 'Principal'));
  if (p) out.Principal = p;
  const np = principal(field(st, 'NotPrincipal'));
  if (np) out.NotPrincipal = np;
  for (const k of ['Action', 'NotAction'] as const) {
    const v = field(st, k);
    if (v !== undefined) out[k] = valueList(v, lower);
  }
  for (const k of ['Resource', 'NotResource'] as const) {
    const v = field(st, k);
    if (v !== undefined) out[k] = valueList(v);
  }
  const c = condition(field(st, 'Condition'));
  if (c) out.Condition = c;
  RAW.set(out, st);
  return out;
}

/** A statement element as compared: actions, service principals and condition keys in lower case. */
function compared(st: NormalStatement, e: Element): unknown {
  const v = st[e];
  if (v === undefined) return null;
  if (e === 'Action' || e === 'NotAction') return (v as string[]).map(lower).sort();
  if (e === 'Principal' || e === 'NotPrincipal') {
    const p = v as Record<string, string[]>;
    return p.Service ? { ...p, Service: p.Service.map(lower).sort() } : p;
  }
  if (e === 'Condition') {
    const c = v as Record<string, Record<string, string[]>>;
    return Object.fromEntries(Object.entries(c).map(([op, keys]) => [op, Object.fromEntries(Object.entries(keys).map(([k, vals]) => [lower(k), vals]))]));
  }
  return v;
}

/** Canonical text of a JSON value: object keys sorted. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** The comparison key of a normalised statement: everything but the Sid. */
export function statementKey(st: NormalStatement): string {
  return canonical(ELEMENTS.map((e) => compared(st, e)));
}

/** A document's statements, normalised, without semantic duplicates. */
export function normaliseStatements(doc: unknown): NormalStatement[] {
  const seen = new Map<string, NormalStatement>();
  for (const st of statements(doc)) {
    const n = normaliseStatement(st);
    if (!seen.has(statementKey(n))) seen.set(statementKey(n), n);
  }
  return [...seen.values()];
}

function flat(v: unknown): string[] | null {
  if (Array.isArray(v)) return v.map(String);
  const o = asObj(v);
  if (!o) return null;
  return Object.entries(o).flatMap(([k, vals]) => (Array.isArray(vals) ? vals.map((x) => `${k}:${String(x)}`) : []));
}

function elementChanges(a: NormalStatement, b: NormalStatement): ElementChange[] {
  const out: ElementChange[] = [];
  for (const e of ELEMENTS) {
    if (canonical(compared(a, e)) === canonical(compared(b, e))) continue;
    const change: ElementChange = { element: e, before: a[e] ?? null, after: b[e] ?? null };
    const fa = flat(a[e] ?? []);
    const fb = flat(b[e] ?? []);
    if (e !== 'Condition' && fa && fb) {
      const fold = (x: string) => (e === 'Action' || e === 'NotAction' || x.startsWith('Service:') ? lower(x) : x);
      const has = (list: string[], x: string) => list.some((y) => fold(y) === fold(x));
      change.added = fb.filter((x) => !has(fa, x));
      change.removed = fa.filter((x) => !has(fb, x));
    }
    out.push(change);
  }
  return out;
}

/** Which element families two statements differ in: 'what' (Action/Resource), 'who' (Principal), 'when' (Condition). */
function differsOnlyIn(a: NormalStatement, b: NormalStatement): boolean {
  const families: Element[][] = [['Condition'], ['Action', 'NotAction'], ['Resource', 'NotResource'], ['Principal', 'NotPrincipal']];
  const changed = elementChanges(a, b).map((c) => c.element);
  return changed.length > 0 && !changed.includes('Effect') && families.some((f) => changed.every((c) => f.includes(c)));
}

function version(doc: unknown): string | null {
  return scalar(asObj(doc)?.Version ?? asObj(doc)?.version) ?? null;
}

/** Compare two policy documents (decoded JSON) by meaning. */
export function diffPolicies(previous: unknown, current: unknown): PolicyDiff {
  const before = normaliseStatements(previous);
  const after = normaliseStatements(current);
  const afterKeys = new Set(after.map(statementKey));
  const beforeKeys = new Set(before.map(statementKey));
  const removed = before.filter((s) => !afterKeys.has(statementKey(s)));
  const added = after.filter((s) => !beforeKeys.has(statementKey(s)));
  const changedStatements: ChangedStatement[] = [];
  // Pair a removed statement with an added one: first by a shared Sid, then when they differ in one element family.
  for (const pairBy of [(r: NormalStatement, a: NormalStatement) => !!r.Sid && r.Sid === a.Sid, differsOnlyIn]) {
    for (const r of [...removed]) {
      const a = added.find((x) => pairBy(r, x));
      if (!a) continue;
      removed.splice(removed.indexOf(r), 1);
      added.splice(added.indexOf(a), 1);
      changedStatements.push({ before: r, after: a, changes: elementChanges(r, a) });
    }
  }
  const vb = version(previous);
  const va = version(current);
  const versionChanged = vb !== va ? { before: vb, after: va } : null;
  return {
    identical: !versionChanged && removed.length === 0 && added.length === 0 && changedStatements.length === 0,
    versionChanged,
    addedStatements: added,
    removedStatements: removed,
    changedStatements,
  };
}

/** One line for tables: `no change`, or the statements added, removed and changed (with the elements that changed). */
export function diffSummary(d: PolicyDiff): string {
  if (d.identical) return 'no change';
  const n = (k: number, what: string) => (k ? `${k} statement${k === 1 ? '' : 's'} ${what}` : '');
  const parts = [
    n(d.addedStatements.length, 'added'),
    n(d.removedStatements.length, 'removed'),
    d.changedStatements.length ? `${n(d.changedStatements.length, 'changed')} (${[...new Set(d.changedStatements.flatMap((c) => c.changes.map((x) => x.element)))].join(', ')})` : '',
    d.versionChanged ? `Version ${d.versionChanged.before ?? '(none)'} → ${d.versionChanged.after ?? '(none)'}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}
