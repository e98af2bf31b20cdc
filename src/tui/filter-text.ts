// The filter bar's language: `key:value` terms with the option names of `trailhound search` (event-name:StopInstances
// access-key:AKIA… start-time:2024-02-17), a few short aliases (ip:, name:, key:), and bare values whose kind is
// obvious (AKIA…, i-…, 203.0.113.7, arn:…). Keys, aliases and the reader come from the filter specification
// (index/filter-spec.ts), so the bar and the command accept exactly the same values.

import type { EventFilter } from '../index/search.js';
import { FILTER_OPTIONS, readFilter } from '../index/filter-spec.js';

/** Filter keys: every filter of the specification. */
export const FILTER_KEYS: readonly string[] = FILTER_OPTIONS.map((o) => o.name);

/** Keys that take one value (the last one given wins). */
const SINGLE = new Set(FILTER_OPTIONS.filter((o) => o.kind === 'choice' || o.kind === 'time').map((o) => o.name));

export const FILTER_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(FILTER_OPTIONS.flatMap((o) => o.aliases.map((a) => [a, o.name])));

export interface FilterTerm {
  key: string;
  value: string;
}

export interface ParsedFilterText {
  terms: FilterTerm[];
  /** What is wrong with the text, or null. */
  error: string | null;
}

/** The filter a bare value most likely means, or null when it is not obvious. */
export function guessKey(value: string): string | null {
  if (/^A(KIA|SIA|IDA|ROA|GPA)[A-Z0-9]{12,}$/.test(value)) return 'access-key';
  if (/^arn:/.test(value)) return 'principal-arn';
  if (/^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/.test(value) || (/^[0-9a-f:]+(\/\d{1,3})?$/i.test(value) && value.includes('::'))) return 'source-ip';
  if (/^(i|sg|vol|ami|snap|vpc|subnet|eni|igw|rtb|acl|lt)-[0-9a-f]{8,17}$/.test(value)) return 'resource-name';
  if (/^\d{12}$/.test(value)) return 'account';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return 'event-id';
  if (/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(value)) return 'region';
  if (/^[a-z0-9-]+\.amazonaws\.com$/.test(value)) return 'event-source';
  if (/^[A-Z][A-Za-z0-9]+$/.test(value)) return 'event-name';
  return null;
}

function tokenize(text: string): { tokens: string[]; error: string | null } {
  const tokens: string[] = [];
  let cur = '';
  let inQuote = false;
  let has = false;
  for (const ch of text) {
    if (ch === '"') {
      inQuote = !inQuote;
      has = true;
      continue;
    }
    if (!inQuote && /\s/.test(ch)) {
      if (has) tokens.push(cur);
      cur = '';
      has = false;
      continue;
    }
    cur += ch;
    has = true;
  }
  if (inQuote) return { tokens, error: 'a quote is not closed' };
  if (has) tokens.push(cur);
  return { tokens, error: null };
}

/** Parse the bar's text into terms; unknown keys and unclear bare values are errors naming the allowed keys. */
export function parseFilterText(text: string): ParsedFilterText {
  const { tokens, error } = tokenize(text);
  if (error) return { terms: [], error };
  const terms: FilterTerm[] = [];
  for (const tok of tokens) {
    const m = /^([a-z][a-z-]*)[:=](.*)$/i.exec(tok);
    if (m && !tok.startsWith('arn:')) {
      const raw = m[1].toLowerCase();
      const key = FILTER_ALIASES[raw] ?? raw;
      if (!FILTER_KEYS.includes(key)) return { terms, error: `unknown filter "${raw}"; filters: ${FILTER_KEYS.join(', ')}` };
      terms.push({ key, value: m[2] });
      continue;
    }
    const key = guessKey(tok);
    if (!key) return { terms, error: `which filter is "${tok}"? write key:value, e.g. event-name:${tok} or text:${tok}` };
    terms.push({ key, value: tok });
  }
  return { terms, error: null };
}

function quote(v: string): string {
  return v === '' || /[\s"]/.test(v) ? `"${v.replace(/"/g, '')}"` : v;
}

/** Terms back to text (what the bar shows when editing). */
export function formatTerms(terms: readonly FilterTerm[]): string {
  return terms.map((t) => `${t.key}:${quote(t.value)}`).join(' ');
}

/** Replace every term of these keys with the given ones (e.g. a new time window). */
export function replaceTerms(terms: readonly FilterTerm[], keys: readonly string[], add: readonly FilterTerm[]): FilterTerm[] {
  return [...terms.filter((t) => !keys.includes(t.key)), ...add];
}

/** Complete the key being typed at the end of the text (Tab in the bar): the completed text, or null. */
export function completeKey(text: string): string | null {
  const m = /(^|\s)([a-z-]+)$/i.exec(text);
  if (!m) return null;
  const part = m[2].toLowerCase();
  const hits = [...FILTER_KEYS, ...Object.keys(FILTER_ALIASES)].filter((k) => k.startsWith(part));
  if (hits.length === 0) return null;
  let common = hits[0];
  for (const h of hits) while (!h.startsWith(common)) common = common.slice(0, -1);
  const done = hits.length === 1 ? `${hits[0]}:` : common;
  if (done.length <= part.length) return null;
  return text.slice(0, text.length - part.length) + done;
}

/** Keys matching what is being typed (shown under the bar). */
export function keyHints(text: string): string[] {
  const m = /(^|\s)([a-z-]*)$/i.exec(text);
  const part = (m?.[2] ?? '').toLowerCase();
  return FILTER_KEYS.filter((k) => k.startsWith(part));
}

export interface FilterContext {
  tz: string;
  /** "Now" for relative times (7d, 36h). */
  now?: number;
}

/**
 * Terms to the EventFilter `search` would build from the same options. Throws an Error with the option named
 * (`--source-ip: …`) for bad values.
 */
export function termsToFilter(terms: readonly FilterTerm[], ctx: FilterContext): EventFilter {
  const values: Record<string, unknown> = { tz: ctx.tz };
  for (const t of terms) {
    if (SINGLE.has(t.key)) {
      if (t.key === 'read-only' && t.value !== 'true' && t.value !== 'false') throw new Error(`read-only: "${t.value}" is not true or false`);
      values[t.key] = t.value;
      continue;
    }
    const prev = (values[t.key] as string[] | undefined) ?? [];
    values[t.key] = [...prev, t.value];
  }
  return readFilter(values, { now: ctx.now });
}
