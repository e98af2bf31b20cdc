// Tolerant readers for CloudTrail record bodies. Request and response shapes vary by API version and SDK
// (lower/upper camel case, `{items: [...]}` wrappers or bare arrays, numbers written as strings), so every
// investigation reads bodies through these helpers and never assumes a shape.

export type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

/** A field by name, ignoring case (CloudTrail mixes `GroupId` and `groupId`). */
export function pick(o: unknown, ...names: string[]): unknown {
  const obj = asObj(o);
  if (!obj) return undefined;
  for (const n of names) if (n in obj) return obj[n];
  const lower = names.map((n) => n.toLowerCase());
  for (const [k, v] of Object.entries(obj)) if (lower.includes(k.toLowerCase())) return v;
  return undefined;
}

/** Follow a path of field names (case-insensitive). */
export function path(o: unknown, ...names: string[]): unknown {
  let cur: unknown = o;
  for (const n of names) {
    cur = pick(cur, n);
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function str(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** The list inside `{items: [...]}`, `{item: ...}`, a bare array, or a single object. */
export function items(v: unknown): unknown[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v;
  const o = asObj(v);
  if (!o) return [];
  const inner = pick(o, 'items', 'item', 'member');
  if (inner !== undefined) return Array.isArray(inner) ? inner : inner == null ? [] : [inner];
  return Object.keys(o).length === 0 ? [] : [o];
}

export function requestParameters(rec: Obj | null | undefined): Obj | null {
  return asObj(rec?.requestParameters);
}

export function responseElements(rec: Obj | null | undefined): Obj | null {
  return asObj(rec?.responseElements);
}
