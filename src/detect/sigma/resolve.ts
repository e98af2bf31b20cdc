// Where a Sigma field name points in a CloudTrail record, and the values it compares against there
// (detections spec §3.5 items 12–15 and 17):
//  - a dotted name first tries a literal top-level key with the dots in it, then walks nested objects;
//  - stepping into an array visits every element, and a final array offers each element;
//  - an object offers its compact JSON text plus every scalar below it;
//  - strings are themselves, numbers their JSON text, booleans `true`/`false`; null and missing offer nothing.

/** What one field of one record offers a Sigma item. */
export interface Resolved {
  /** The key exists somewhere the path leads (its value may be null): what `|exists` checks. */
  present: boolean;
  /** The texts the item's values are matched against; empty when the field is missing or null. */
  candidates: string[];
  /** The candidates lowercased, once (see lowered). */
  lower?: string[];
}

export const NOTHING: Resolved = Object.freeze({ present: false, candidates: [], lower: [] }) as Resolved;

/** The candidates lowercased (case-insensitive matching, item 10), computed once per Resolved. */
export function lowered(r: Resolved): string[] {
  return (r.lower ??= r.candidates.map((c) => c.toLowerCase()));
}

/** Compiles a field name once into a reader of records. */
export function fieldReader(field: string): (record: Record<string, unknown>) => Resolved {
  const segments = field.split('.');
  if (segments.length === 1) {
    return (record) => {
      if (!Object.hasOwn(record, field)) return NOTHING;
      const value = record[field];
      return typeof value === 'string' ? { present: true, candidates: [value] } : offer([value]);
    };
  }
  return (record) => {
    if (Object.hasOwn(record, field)) return offer([record[field]]);
    return offer(walk(record, segments));
  };
}

/** Every scalar of a record and its compact JSON: what a keyword (a value without a field) is matched against. */
export function recordCandidates(record: Record<string, unknown>): string[] {
  return candidatesOf(record);
}

/** The nodes a path leads to (nulls included; missing steps dropped). */
function walk(root: unknown, segments: string[]): unknown[] {
  let nodes: unknown[] = [root];
  for (const key of segments) {
    const next: unknown[] = [];
    for (const node of nodes) step(node, key, next);
    if (!next.length) return next;
    nodes = next;
  }
  return nodes;
}

function step(node: unknown, key: string, out: unknown[]): void {
  if (Array.isArray(node)) {
    for (const element of node) step(element, key, out);
  } else if (node !== null && typeof node === 'object' && Object.hasOwn(node, key)) {
    out.push((node as Record<string, unknown>)[key]);
  }
}

function offer(nodes: unknown[]): Resolved {
  if (!nodes.length) return NOTHING;
  const candidates: string[] = [];
  for (const node of nodes) {
    if (Array.isArray(node)) for (const element of flatten(node)) candidatesOf(element, candidates);
    else candidatesOf(node, candidates);
  }
  return { present: true, candidates };
}

function flatten(array: unknown[], out: unknown[] = []): unknown[] {
  for (const element of array) {
    if (Array.isArray(element)) flatten(element, out);
    else out.push(element);
  }
  return out;
}

/** A node's candidate texts: a scalar's text, or an object's JSON plus every scalar below it. */
function candidatesOf(node: unknown, out: string[] = []): string[] {
  if (node === null || node === undefined) return out;
  if (typeof node === 'object') {
    if (!Array.isArray(node)) out.push(JSON.stringify(node));
    descendantScalars(node, out);
    return out;
  }
  out.push(scalarText(node));
  return out;
}

function descendantScalars(node: object, out: string[]): void {
  for (const value of Array.isArray(node) ? node : Object.values(node)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'object') descendantScalars(value, out);
    else out.push(scalarText(value));
  }
}

/** A scalar as text: strings as they are, numbers as their shortest JSON text, booleans as `true`/`false`. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? JSON.stringify(value) : String(value);
}
