// `aws cloudtrail lookup-events`, emulated over a case: the same attributes, the same output objects (AWS's
// member names, types and order), JMESPath --query with aws-cli's legacy literal rule, and aws-cli's json/text/table
// output formats. Differences from AWS are deliberate and documented in docs/lookup-events.md.

import { compile, search, tokenize, type JSONValue } from '@jmespath-community/jmespath';
import type { Db } from '../index/open.js';
import { readEventBodies } from '../index/bodies.js';
import { countByRegion, searchEvents, type EventFilter, type EventRow } from '../index/search.js';
import { isoInZone } from '../model/time.js';
import { escapeControl, quoteInput } from '../model/escape.js';
import { renderJson } from '../report/json.js';
import { MAX_NATURAL_WIDTH } from '../report/table.js';
import { displayWidth, padToWidth } from '../report/width.js';

export const LOOKUP_ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export interface LookupAttribute {
  key: LookupAttributeKey;
  value: string;
}

/** A problem with the arguments; the CLI turns it into a usage error. */
export class LookupArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LookupArgumentError';
  }
}

const KEY_BY_LOWER = new Map(LOOKUP_ATTRIBUTE_KEYS.map((k) => [k.toLowerCase(), k]));

function attributeKey(raw: string): LookupAttributeKey {
  const k = KEY_BY_LOWER.get(raw.trim().toLowerCase());
  if (!k) throw new LookupArgumentError(`unknown AttributeKey ${quoteInput(raw)}; allowed keys: ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}`);
  return k;
}

/** Why JSON.parse refused a value (a stack overflow on very deep nesting is said as such). */
function jsonProblem(err: unknown): string {
  if (err instanceof RangeError) return 'it is nested too deeply';
  return err instanceof Error ? err.message : String(err);
}

/** A short description of a JSON item for a message (never re-serialises a deep or huge value). */
function describeJsonItem(item: unknown): string {
  if (item === null) return 'null';
  if (Array.isArray(item)) return `a list of ${item.length} item${item.length === 1 ? '' : 's'}`;
  if (typeof item === 'object') {
    const keys = Object.keys(item as object);
    return keys.length ? `an object with ${keys.slice(0, 5).map((k) => quoteInput(k, 40)).join(', ')}${keys.length > 5 ? ', …' : ''}` : 'an empty object';
  }
  return typeof item === 'string' ? `the string ${quoteInput(item)}` : `${typeof item} ${quoteInput(String(item))}`;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

/**
 * Parse one --lookup-attributes value as aws-cli does: shorthand `AttributeKey=K,AttributeValue=V` (either order,
 * values may be quoted to hold commas) or JSON (`{"AttributeKey":..,"AttributeValue":..}` or a list of them).
 */
export function parseLookupAttributes(raw: string): LookupAttribute[] {
  const text = raw.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new LookupArgumentError(`--lookup-attributes: invalid JSON ${quoteInput(text)}: ${jsonProblem(err)}`);
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.map((item: unknown) => {
      if (!item || typeof item !== 'object' || typeof (item as Record<string, unknown>).AttributeKey !== 'string' || typeof (item as Record<string, unknown>).AttributeValue !== 'string') {
        throw new LookupArgumentError(
          `--lookup-attributes: each JSON item needs string members AttributeKey and AttributeValue, got ${describeJsonItem(item)}; ` +
            'write {"AttributeKey":"<key>","AttributeValue":"<value>"} or a list of them',
        );
      }
      const o = item as { AttributeKey: string; AttributeValue: string };
      return { key: attributeKey(o.AttributeKey), value: o.AttributeValue };
    });
  }
  const m =
    /^AttributeKey\s*=\s*("[^"]*"|'[^']*'|[^,]*)\s*,\s*AttributeValue\s*=\s*(.*)$/i.exec(text) ??
    null;
  const r = m ? null : /^AttributeValue\s*=\s*("[^"]*"|'[^']*'|[^,]*)\s*,\s*AttributeKey\s*=\s*(.*)$/i.exec(text);
  if (!m && !r) {
    throw new LookupArgumentError(
      `--lookup-attributes: cannot read ${quoteInput(raw)}; write AttributeKey=<key>,AttributeValue=<value> with <key> one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}`,
    );
  }
  const key = m ? m[1] : r![2];
  const value = m ? m[2] : r![1];
  return [{ key: attributeKey(unquote(key)), value: unquote(value) }];
}

export interface LookupRequest {
  attributes: LookupAttribute[];
  startMs: number | null;
  endMs: number | null;
  /** --region: Event history is per region. null: every region in the case. */
  region: string | null;
  /** --account (not in aws-cli: Event history is per account; a case may hold several). */
  accounts?: string[];
  /** --management-only: Event history's scope (no data or insight events). */
  managementOnly: boolean;
  /** --event-category insight: only Insights events. */
  insightOnly?: boolean;
  /** --max-items: at most this many events, then a NextToken. */
  maxItems: number | null;
  /** --starting-token from a previous NextToken. */
  startingToken: string | null;
  /** --strict: AWS's members only (no SourceIPAddress, AwsRegion, ErrorCode, RecipientAccountId). */
  strict: boolean;
  /** Zone for EventTime (aws-cli prints the local zone of the machine; we default to UTC). */
  tz: string;
  /** Extra SQL (trust labels). */
  extraSql?: EventFilter['extraSql'];
}

export interface LookupResult {
  /** The response object (before --query). */
  output: { Events: Record<string, JSONValue>[]; NextToken?: string };
  /** Matches in other regions when --region was given: region → count. */
  otherRegions: Map<string, number>;
  /** Accounts (recipientAccountId) of the events returned: account → count. */
  accounts: Map<string, number>;
  /** The filter that was run (for messages). */
  filter: EventFilter;
  /** Event rows in output order. */
  rows: EventRow[];
  /** An attribute was repeated with different values on a single-valued key: nothing can match. */
  contradictory: string | null;
}

export function lookupFilter(req: LookupRequest): { filter: EventFilter; contradictory: string | null } {
  const f: EventFilter = { startMs: req.startMs, endMs: req.endMs, extraSql: req.extraSql };
  let contradictory: string | null = null;
  const single = (key: LookupAttributeKey, target: 'eventIds' | 'eventNames' | 'users' | 'eventSources' | 'accessKeys', value: string): void => {
    const cur = f[target];
    if (cur && cur.length > 0 && cur[0] !== value) contradictory = `${key} cannot be both "${cur[0]}" and "${value}"`;
    f[target] = [value];
  };
  const resources: { names?: string[]; types?: string[] }[] = [];
  for (const a of req.attributes) {
    switch (a.key) {
      case 'EventId':
        single(a.key, 'eventIds', a.value);
        break;
      case 'EventName':
        single(a.key, 'eventNames', a.value);
        break;
      case 'Username':
        single(a.key, 'users', a.value);
        break;
      case 'EventSource':
        single(a.key, 'eventSources', a.value);
        break;
      case 'AccessKeyId':
        single(a.key, 'accessKeys', a.value);
        break;
      case 'ReadOnly': {
        const v = a.value.trim().toLowerCase();
        if (v !== 'true' && v !== 'false') throw new LookupArgumentError(`AttributeKey=ReadOnly needs AttributeValue true or false, got "${a.value}"`);
        if (f.readOnly !== undefined && f.readOnly !== (v === 'true')) contradictory = 'ReadOnly cannot be both true and false';
        f.readOnly = v === 'true';
        break;
      }
      case 'ResourceType':
        resources.push({ types: [a.value] });
        break;
      case 'ResourceName':
        resources.push({ names: [a.value] });
        break;
    }
  }
  if (resources.length) f.resourceGroups = resources;
  if (req.region !== null) f.regions = [req.region];
  if (req.accounts && req.accounts.length) f.accounts = req.accounts;
  if (req.managementOnly) f.categories = ['management'];
  if (req.insightOnly) f.categories = ['insight'];
  if (req.insightOnly && req.managementOnly) contradictory = '--management-only and --event-category insight exclude each other';
  return { filter: f, contradictory };
}

function decodeToken(token: string): number {
  try {
    const o = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof o.offset === 'number' && Number.isInteger(o.offset) && o.offset >= 0) return o.offset;
  } catch {
    /* fall through */
  }
  throw new LookupArgumentError(`--starting-token: ${quoteInput(token)} is not a NextToken printed by trailhound lookup-events`);
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

/** Run a lookup and build AWS's response object. */
export function lookupEvents(db: Db, req: LookupRequest): LookupResult {
  const { filter, contradictory } = lookupFilter(req);
  const offset = req.startingToken ? decodeToken(req.startingToken) : 0;
  const otherRegions = new Map<string, number>();
  if (contradictory) return { output: { Events: [] }, otherRegions, accounts: new Map(), filter, rows: [], contradictory };

  const limit = req.maxItems === null ? null : offset + req.maxItems;
  const result = searchEvents(db, filter, { limit, order: 'newest' });
  const rows = result.rows.slice(offset);
  // CloudTrailEvent is read lazily: a --query that never looks at it never touches the evidence bytes. On first
  // use, every body of the result is read in evidence order (source file, record), so each file is decompressed once.
  let bodies: Map<number, { json: string }> | null = null;
  const bodyOf = (id: number): string | null => {
    if (!bodies) {
      const order = [...rows].sort((a, b) => a.sourceId - b.sourceId || a.recordIndex - b.recordIndex).map((r) => r.id);
      bodies = readEventBodies(db, order);
    }
    return bodies.get(id)?.json ?? null;
  };
  const events = rows.map((r) => toAwsEvent(r, () => bodyOf(r.id), req));
  const output: LookupResult['output'] = { Events: events };
  if (result.truncated && limit !== null) output.NextToken = encodeToken(limit);

  if (req.region !== null) {
    const { regions: _drop, ...rest } = filter;
    void _drop;
    for (const [region, n] of countByRegion(db, rest)) if (region !== req.region && n > 0) otherRegions.set(region, n);
  }
  const accounts = new Map<string, number>();
  for (const r of rows) accounts.set(r.recipientAccountId ?? '(none)', (accounts.get(r.recipientAccountId ?? '(none)') ?? 0) + 1);
  return { output, otherRegions, accounts, filter, rows, contradictory: null };
}

/** One event as AWS returns it: Event members in the API's order, absent members omitted, then the extras. */
export function toAwsEvent(r: EventRow, body: string | null | (() => string | null), opts: { strict: boolean; tz: string }): Record<string, JSONValue> {
  const e: Record<string, JSONValue> = {};
  const put = (k: string, v: JSONValue | null | undefined): void => {
    if (v !== null && v !== undefined) e[k] = v;
  };
  put('EventId', r.eventId);
  put('EventName', r.eventName);
  put('ReadOnly', r.readOnly === null ? null : r.readOnly ? 'true' : 'false');
  put('AccessKeyId', r.accessKeyId);
  put('EventTime', awsTime(r.eventTime, opts.tz));
  put('EventSource', r.eventSource);
  put('Username', r.username);
  e.Resources = r.resources.map((x) => ({ ResourceType: x.type, ResourceName: x.name }));
  const compact = (json: string | null): string | null => (json === null ? null : json.includes('\n') ? JSON.stringify(JSON.parse(json)) : json);
  if (typeof body === 'function') {
    let cached: string | null | undefined;
    Object.defineProperty(e, 'CloudTrailEvent', {
      enumerable: true,
      configurable: true,
      get: () => (cached === undefined ? (cached = compact(body())) : cached),
    });
  } else {
    put('CloudTrailEvent', compact(body));
  }
  if (!opts.strict) {
    put('SourceIPAddress', r.sourceIPAddress);
    put('AwsRegion', r.awsRegion);
    put('ErrorCode', r.errorCode);
    put('RecipientAccountId', r.recipientAccountId);
  }
  return e;
}

/** aws-cli prints timestamps with Python's isoformat(): `2025-02-01T10:00:00+00:00`. */
export function awsTime(ms: number | null, tz: string): string | null {
  const iso = isoInZone(ms, tz === 'UTC' || tz === 'utc' ? '+00:00' : tz);
  return iso;
}

// ---------------------------------------------------------------------------------------------------------------
// JMESPath (--query)

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

/**
 * aws-cli uses jmespath.py, which still reads a backtick literal that is not valid JSON (`EC2`) as a string, as
 * older JMESPath did. The seed relies on it. Rewrite such literals to JSON strings; returns the new expression and,
 * for each of its characters, the index in the original.
 */
export function legacyLiterals(expr: string): { text: string; map: number[] } {
  let text = '';
  const map: number[] = [];
  const emit = (s: string, at: number): void => {
    for (let k = 0; k < s.length; k++) {
      text += s[k];
      map.push(at);
    }
  };
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== ch) j += expr[j] === '\\' ? 2 : 1;
      for (let k = i; k <= Math.min(j, expr.length - 1); k++) emit(expr[k], k);
      i = j + 1;
      continue;
    }
    if (ch === '`') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== '`') j += expr[j] === '\\' ? 2 : 1;
      if (j >= expr.length) {
        for (let k = i; k < expr.length; k++) emit(expr[k], k);
        break;
      }
      const lexeme = expr.slice(i + 1, j).replace(/\\`/g, '`');
      let replacement: string | null = null;
      try {
        JSON.parse(lexeme);
      } catch {
        try {
          const v = JSON.parse(`"${lexeme.trimStart()}"`) as string;
          replacement = `\`${JSON.stringify(v).replace(/`/g, '\\`')}\``;
        } catch {
          replacement = null;
        }
      }
      if (replacement === null) for (let k = i; k <= j; k++) emit(expr[k], k);
      else emit(replacement, i);
      i = j + 1;
      continue;
    }
    emit(ch, i);
    i++;
  }
  return { text, map };
}

/** Compile a --query expression; throws QueryError saying where it is wrong. */
export function compileQuery(expr: string): (data: JSONValue) => JSONValue {
  const { text, map } = legacyLiterals(expr);
  try {
    compile(text);
  } catch (err) {
    const pos = errorPosition(text);
    const at = pos >= text.length ? expr.length : (map[pos] ?? expr.length);
    const caret = `${' '.repeat(displayWidth(escapeControl(expr.slice(0, at))))}^`;
    throw new QueryError(
      `invalid JMESPath expression at character ${at + 1}: ${(err as Error).message}\n  ${escapeControl(expr)}\n  ${caret}`,
    );
  }
  return (data: JSONValue) => {
    try {
      return search(data, text);
    } catch (err) {
      throw new QueryError(`JMESPath expression failed: ${(err as Error).message}`);
    }
  };
}

/** Where an expression stops being a valid beginning of one (0-based). */
function errorPosition(text: string): number {
  let tokens: { start: number }[];
  try {
    tokens = tokenize(text) as unknown as { start: number }[];
  } catch {
    // Lexer error: the first character after the longest prefix that still tokenizes.
    for (let l = text.length - 1; l >= 0; l--) {
      try {
        tokenize(text.slice(0, l));
        let p = l;
        while (p < text.length && text[p] === ' ') p++;
        return p;
      } catch {
        /* keep shortening */
      }
    }
    return 0;
  }
  const starts = tokens.map((t) => t.start).filter((s) => typeof s === 'number' && s < text.length);
  // Parse ever longer prefixes: the first whose error is not "ran out of input" ends at the culprit token.
  for (let k = 1; k <= starts.length; k++) {
    const end = k < starts.length ? starts[k] : text.length;
    try {
      compile(text.slice(0, end));
    } catch (err) {
      const msg = (err as Error).message;
      if (!/EOF|end of (input|expression)/i.test(msg)) return starts[k - 1];
    }
  }
  return text.length;
}

// ---------------------------------------------------------------------------------------------------------------
// aws-cli output formats

export type AwsOutput = 'json' | 'text' | 'table';

/** aws-cli's json: 4-space indentation, non-ASCII kept, terminal-unsafe characters escaped. */
export function formatAwsJson(value: JSONValue): string {
  return renderJson(value, 4);
}

const pyStr = (v: JSONValue): string => {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return escapeControl(String(v));
};
const isScalar = (v: JSONValue): boolean => v === null || typeof v !== 'object';

/** aws-cli's text formatter (awscli/text.py), ported. */
export function formatAwsText(value: JSONValue): string {
  const out: string[] = [];
  const fmt = (item: JSONValue, identifier: string | null, scalarKeys: string[] | null): void => {
    if (Array.isArray(item)) fmtList(item, identifier);
    else if (item !== null && typeof item === 'object') fmtDict(scalarKeys, item as Record<string, JSONValue>, identifier);
    else out.push(pyStr(item));
  };
  const fmtScalarList = (els: JSONValue[], identifier: string | null): void => {
    if (identifier !== null) for (const e of els) out.push(`${identifier.toUpperCase()}\t${pyStr(e)}`);
    else out.push(els.map(pyStr).join('\t'));
  };
  const fmtList = (item: JSONValue[], identifier: string | null): void => {
    if (item.length === 0) return;
    if (item.some((el) => el !== null && typeof el === 'object' && !Array.isArray(el))) {
      const keys = new Set<string>();
      for (const el of item) if (el && typeof el === 'object' && !Array.isArray(el)) for (const [k, v] of Object.entries(el)) if (isScalar(v)) keys.add(k);
      const all = [...keys].sort();
      for (const el of item) fmt(el, identifier, all);
    } else if (item.some((el) => Array.isArray(el))) {
      const scalars = item.filter(isScalar);
      if (scalars.length) fmtScalarList(scalars, identifier);
      for (const el of item.filter((x) => !isScalar(x))) fmt(el, identifier, null);
    } else fmtScalarList(item, identifier);
  };
  const fmtDict = (scalarKeys: string[] | null, item: Record<string, JSONValue>, identifier: string | null): void => {
    const scalars: string[] = [];
    const nonScalars: [string, JSONValue][] = [];
    if (scalarKeys === null) {
      for (const k of Object.keys(item).sort()) {
        if (isScalar(item[k])) scalars.push(pyStr(item[k]));
        else nonScalars.push([k, item[k]]);
      }
    } else {
      for (const k of scalarKeys) scalars.push(k in item ? pyStr(item[k]) : '');
      for (const k of Object.keys(item).filter((x) => !scalarKeys.includes(x)).sort()) nonScalars.push([k, item[k]]);
    }
    if (scalars.length) {
      if (identifier !== null) scalars.unshift(identifier.toUpperCase());
      out.push(scalars.join('\t'));
    }
    for (const [k, v] of nonScalars) fmt(v, k, null);
  };
  fmt(value, null, null);
  return out.length ? `${out.join('\n')}\n` : '';
}

/** aws-cli's table output (simplified: same sections, titles, headers and nesting bars; no colour). */
export function formatAwsTable(value: JSONValue, title = 'LookupEvents'): string {
  type Line = { kind: 'title' | 'cells'; depth: number; cells?: string[]; text?: string; group?: number; header?: boolean };
  const lines: Line[] = [];
  let group = 0;
  const section = (name: string, v: JSONValue, depth: number): void => {
    lines.push({ kind: 'title', depth, text: name });
    if (Array.isArray(v)) {
      const dicts = v.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as Record<string, JSONValue>[];
      if (dicts.length) {
        const keys = [...new Set(dicts.flatMap((d) => Object.keys(d).filter((k) => isScalar(d[k]))))].sort();
        const g = ++group;
        if (keys.length) {
          lines.push({ kind: 'cells', depth, cells: keys, group: g, header: true });
          for (const d of dicts) lines.push({ kind: 'cells', depth, cells: keys.map((k) => (k in d ? pyStr(d[k]) : '')), group: g });
        }
        for (const d of dicts) for (const k of Object.keys(d).sort()) if (!isScalar(d[k])) section(k, d[k], depth + 1);
      }
      const scalars = v.filter(isScalar);
      const g = ++group;
      for (const s of scalars) lines.push({ kind: 'cells', depth, cells: [pyStr(s)], group: g });
      for (const x of v) if (Array.isArray(x)) section(name, x, depth + 1);
    } else if (v !== null && typeof v === 'object') {
      const g = ++group;
      for (const k of Object.keys(v).sort()) if (isScalar(v[k])) lines.push({ kind: 'cells', depth, cells: [k, pyStr(v[k])], group: g });
      for (const k of Object.keys(v).sort()) if (!isScalar(v[k])) section(k, v[k], depth + 1);
    } else {
      lines.push({ kind: 'cells', depth, cells: [pyStr(v)], group: ++group });
    }
  };
  section(title, value, 0);
  // Column widths per group; total width is the widest line.
  const groupWidths = new Map<number, number[]>();
  for (const l of lines) {
    if (l.kind !== 'cells') continue;
    const w = groupWidths.get(l.group!) ?? [];
    // A value wider than MAX_NATURAL_WIDTH pushes out its own line only (as in renderTable): every line of the
    // table is padded to the widest, so one 1 MB user agent must not make every line 1 MB.
    l.cells!.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, Math.min(displayWidth(c), MAX_NATURAL_WIDTH) + 4)));
    groupWidths.set(l.group!, w);
  }
  let inner = 0;
  for (const l of lines) {
    const pad = 2 * (l.depth + 1);
    if (l.kind === 'title') inner = Math.max(inner, Math.min(displayWidth(escapeControl(l.text!)), MAX_NATURAL_WIDTH) + 4 + pad);
    if (l.kind === 'cells') {
      const w = groupWidths.get(l.group!)!;
      inner = Math.max(inner, w.reduce((a, b) => a + b, 0) + w.length - 1 + pad);
    }
  }
  const out: string[] = [];
  out.push('-'.repeat(inner));
  for (const l of lines) {
    const bars = '|'.repeat(l.depth + 1);
    const width = inner - 2 * (l.depth + 1);
    if (l.kind === 'title') {
      const t = escapeControl(l.text!);
      const left = Math.max(0, Math.floor((width - displayWidth(t)) / 2));
      out.push(`${bars}${' '.repeat(left)}${t}${' '.repeat(Math.max(0, width - left - displayWidth(t)))}${bars.split('').reverse().join('')}`);
      out.push(`${'|'.repeat(l.depth)}+${'-'.repeat(width)}+${'|'.repeat(l.depth)}`);
      continue;
    }
    const w = [...groupWidths.get(l.group!)!];
    const used = w.reduce((a, b) => a + b, 0) + w.length - 1;
    w[w.length - 1] += width - used;
    const cells = l.cells!.map((c, i) => padToWidth(`  ${c}`, w[i]));
    out.push(`${bars}${cells.join('|')}${bars}`);
    if (l.header) out.push(`${'|'.repeat(l.depth)}+${w.map((x) => '-'.repeat(x)).join('+')}+${'|'.repeat(l.depth)}`);
  }
  return `${out.join('\n')}\n`;
}
