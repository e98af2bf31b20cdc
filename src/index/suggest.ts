// "Did you mean": the closest of a set of known values to what was typed. Used for filter values that the case
// does not hold (search: the case's own event names, sources, user names, regions) and for unknown options.
// Pure except for caseValues, which reads a column's distinct values with a skip-scan of its index.

import type { Db } from './open.js';
import { distinctColumnIds, expandEventSource } from './search.js';
import { resolveStrings } from './strings.js';

/** Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions), stopping above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2: number[] = new Array<number>(m + 1).fill(0);
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur: number[] = new Array<number>(m + 1).fill(0);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}

/**
 * Up to `limit` known values closest to `input`, best first: the same text in another case, then edit distance
 * ≤ 2 (case-insensitive), then values that start with or contain what was typed (3 characters or more).
 */
export function closestValues(input: string, known: Iterable<string>, limit = 5): string[] {
  const low = input.toLowerCase();
  const scored: { v: string; score: number }[] = [];
  for (const v of known) {
    if (v === input) continue;
    const l = v.toLowerCase();
    let score: number;
    if (l === low) score = 0;
    else {
      const d = editDistance(low, l, 2);
      if (d <= 2) score = d;
      else if (low.length >= 3 && l.startsWith(low)) score = 3;
      else if (low.length >= 3 && (l.includes(low) || low.includes(l))) score = 4;
      else continue;
    }
    scored.push({ v, score });
  }
  scored.sort((x, y) => x.score - y.score || Math.abs(x.v.length - input.length) - Math.abs(y.v.length - input.length) || (x.v < y.v ? -1 : x.v > y.v ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.v);
}

/** Columns whose distinct values can be suggested: (events column, its index, extra condition for a partial index). */
const SUGGEST_COLUMNS = {
  'event-name': { column: 'event_name', index: 'events_name', noun: 'event names' },
  'event-source': { column: 'event_source', index: 'events_source', noun: 'event sources' },
  user: { column: 'username', index: 'events_username', noun: 'user names' },
  region: { column: 'aws_region', index: 'events_region', noun: 'regions' },
} as const;
export type SuggestOption = keyof typeof SUGGEST_COLUMNS;

/** The case's distinct values of one suggestable option (resolved strings). */
export function caseValues(db: Db, option: SuggestOption): string[] {
  const { column, index } = SUGGEST_COLUMNS[option];
  const ids = distinctColumnIds(db, column, index);
  const str = resolveStrings(db, ids);
  const out: string[] = [];
  for (const id of ids) {
    const v = str.get(id);
    if (v !== undefined) out.push(v);
  }
  return out;
}

export interface FilterSuggestion {
  option: SuggestOption;
  /** The value given that the case does not hold. */
  given: string;
  /** The case's closest values, best first (may be empty). */
  closest: string[];
}

/**
 * For each given value of these options that matches nothing in the case (under the same rules as the search:
 * event names and sources case-insensitively), the case's closest values.
 */
export function suggestFilterValues(
  db: Db,
  given: Partial<Record<SuggestOption, readonly string[]>>,
  matches: (option: SuggestOption, value: string, known: readonly string[]) => boolean,
): FilterSuggestion[] {
  const out: FilterSuggestion[] = [];
  for (const option of Object.keys(SUGGEST_COLUMNS) as SuggestOption[]) {
    const values = given[option];
    if (!values || values.length === 0) continue;
    const known = caseValues(db, option);
    for (const v of values) {
      if (matches(option, v, known)) continue;
      // A bare service name is compared as the source it stands for (ec3 → ec3.amazonaws.com ≈ ec2.amazonaws.com).
      out.push({ option, given: v, closest: closestValues(option === 'event-source' ? expandEventSource(v) : v, known) });
    }
  }
  return out;
}

/** `did you mean --event-name RunInstances? (the case's event names closest to "runinstance")`, or null. */
export function describeSuggestion(s: FilterSuggestion): string | null {
  if (s.closest.length === 0) return null;
  const q = (v: string): string => (/^[A-Za-z0-9@._:/+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);
  const first = `--${s.option} ${q(s.closest[0])}`;
  const rest = s.closest.slice(1).map(q);
  const more = rest.length ? ` (or ${rest.join(', ')})` : '';
  return `did you mean ${first}${more}? (the case's ${SUGGEST_COLUMNS[s.option].noun} closest to "${s.given}")`;
}
