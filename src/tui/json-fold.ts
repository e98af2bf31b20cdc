// Pretty-printed, foldable JSON for the event detail: each object or array can be folded to one line
// (`"requestParameters": {…} 4 keys`). Keys and values are written with JSON.stringify and safeJson, then
// escapeControl, so an event's attacker-controlled strings cannot reach the terminal as control sequences.

import { escapeControl, safeJson } from '../model/escape.js';

export interface JsonLine {
  text: string;
  /** The container this line opens, closes or sits in (JSON-pointer-like path, '' for the root). */
  container: string;
  /** The path of the value on this line. */
  path: string;
  /** Opens (or is) a container that can be folded. */
  foldable: boolean;
  folded: boolean;
  depth: number;
}

const enc = (v: unknown): string => escapeControl(safeJson(JSON.stringify(v) ?? 'null'));

const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);

function entries(v: Record<string, unknown> | unknown[]): Array<[string, unknown]> {
  return Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
}

/** Lines of the value as shown with the given containers folded. */
export function jsonLines(value: unknown, folded: ReadonlySet<string>): JsonLine[] {
  const out: JsonLine[] = [];
  const walk = (v: unknown, path: string, parent: string, depth: number, key: string | null, last: boolean): void => {
    const indent = '  '.repeat(depth);
    const label = key === null ? '' : `${enc(key)}: `;
    const comma = last ? '' : ',';
    if (!isContainer(v)) {
      out.push({ text: `${indent}${label}${enc(v)}${comma}`, container: parent, path, foldable: false, folded: false, depth });
      return;
    }
    const arr = Array.isArray(v);
    const kids = entries(v);
    if (folded.has(path)) {
      const n = kids.length;
      const what = arr ? `${n} item${n === 1 ? '' : 's'}` : `${n} key${n === 1 ? '' : 's'}`;
      out.push({ text: `${indent}${label}${arr ? '[…]' : '{…}'}${comma}  ${what}`, container: path, path, foldable: true, folded: true, depth });
      return;
    }
    out.push({ text: `${indent}${label}${arr ? '[' : '{'}`, container: path, path, foldable: true, folded: false, depth });
    kids.forEach(([k, x], i) => walk(x, `${path}/${k}`, path, depth + 1, arr ? null : k, i === kids.length - 1));
    out.push({ text: `${indent}${arr ? ']' : '}'}${comma}`, container: path, path, foldable: true, folded: false, depth });
  };
  walk(value, '', '', 0, null, true);
  return out;
}

function size(v: unknown): number {
  if (!isContainer(v)) return 1;
  return 2 + entries(v).reduce((n, [, x]) => n + size(x), 0);
}

/** Initial folds: big nested containers (request parameters, response elements...) start folded. */
export function defaultFolds(value: unknown): Set<string> {
  const folds = new Set<string>();
  const walk = (v: unknown, path: string, depth: number): void => {
    if (!isContainer(v)) return;
    const n = size(v);
    if ((depth === 1 && n > 24) || (depth >= 2 && n > 8)) {
      folds.add(path);
      return;
    }
    for (const [k, x] of entries(v)) walk(x, `${path}/${k}`, depth + 1);
  };
  walk(value, '', 0);
  return folds;
}

/** Every container path (to fold all). */
export function allContainers(value: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, path: string): void => {
    if (!isContainer(v)) return;
    if (path !== '') out.add(path);
    for (const [k, x] of entries(v)) walk(x, `${path}/${k}`);
  };
  walk(value, '');
  return out;
}
