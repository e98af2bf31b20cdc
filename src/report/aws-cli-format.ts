// aws-cli v2's output formats (awscli/formatter.py, awscli/table.py, awscli/text.py of aws-cli 2.9.19), ported so
// that `trailhound lookup-events --output json|text|table` prints, byte for byte, what aws-cli prints for the same
// events and flags (test/cli/aws-parity.test.ts runs the real aws-cli against a loopback stand-in to prove it).
//
// Deliberate differences, for hostile evidence only: text from the evidence goes through escapeControl (aws-cli
// prints control characters raw), and a table whose exact layout would be enormous (one huge cell widens every line)
// is laid out with cells capped at MAX_NATURAL_WIDTH, an over-wide cell pushing out only its own line.

import type { JSONValue } from '@jmespath-community/jmespath';
import { escapeControl } from '../model/escape.js';
import { renderJson } from './json.js';
import { awsTextLength } from './aws-cli-width.js';
import { AwsFormatError } from '../model/errors.js';

export type AwsOutput = 'json' | 'text' | 'table';
/** A compiled --query (src/report/aws-cli-query.ts). */
export type AwsQuery = (data: JSONValue) => JSONValue;

/** The paginated response as botocore's build_full_result gives it: every event, then the resume token. */
export interface AwsResponse {
  Events: JSONValue[];
  NextToken?: string;
}

export interface AwsFormatOptions {
  query?: AwsQuery | null;
  /** Events per page (AWS's MaxResults: 50 unless --max-results/--page-size): text applies --query to each page. */
  pageSize?: number;
  /** aws-cli reads the terminal's width, 80 when stdout is not a terminal; wider tables turn one-row sections vertical. */
  terminalWidth?: number;
  /** The table's title: the operation name. */
  title?: string;
  /**
   * false: one page, as aws-cli prints it with --max-results or --no-paginate (no auto-pagination): text then applies
   * --query once, to the whole response, NextToken included. Default true.
   */
  paginated?: boolean;
  /**
   * Text only: write each page as soon as it is formatted, as aws-cli streams text, so that a --query failing on a
   * later page (or on {"NextToken": …}) leaves the earlier pages printed, as in aws-cli. formatAwsOutput then returns ''.
   */
  write?: (chunk: string) => void;
}

/** Past this many characters a table is laid out with capped cells (see the header comment). */
const TABLE_EXACT_LIMIT = 8 * 1024 * 1024;
/** A cell wider than this does not widen its column when the exact layout is too large. */
const TABLE_CELL_CAP = 512;

/** Format a lookup-events response as aws-cli does for `--output`. */
export function formatAwsOutput(response: AwsResponse, output: AwsOutput, opts: AwsFormatOptions = {}): string {
  const query = opts.query ?? null;
  if (output === 'text' && opts.paginated === false) {
    const full = fullResult(response);
    return formatAwsText(query ? query(full) : full);
  }
  if (output === 'text') {
    const size = Math.max(1, opts.pageSize ?? 50);
    let out = '';
    const emit = (chunk: string): void => {
      if (opts.write) opts.write(chunk);
      else out += chunk;
    };
    // botocore yields the first page even when it is empty.
    for (let i = 0; i === 0 || i < response.Events.length; i += size) {
      const page: JSONValue = { Events: response.Events.slice(i, i + size) };
      emit(formatAwsText(query ? query(page) : page));
    }
    if (response.NextToken !== undefined) {
      const tail: JSONValue = { NextToken: { NextToken: response.NextToken } };
      emit(formatAwsText(query ? query(tail) : tail));
    }
    return out;
  }
  const full = fullResult(response);
  const value = query ? query(full) : full;
  if (output === 'table') return formatAwsTable(value, opts.title ?? 'LookupEvents', opts.terminalWidth ?? 80);
  return formatAwsJson(value);
}

function fullResult(response: AwsResponse): JSONValue {
  const r: Record<string, JSONValue> = { Events: response.Events };
  if (response.NextToken !== undefined) r.NextToken = response.NextToken;
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// Python's str() of a JSON value (six.text_type)

const isDict = (v: JSONValue): v is Record<string, JSONValue> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: JSONValue): boolean => v === null || typeof v !== 'object';
/** Python compares str by code point; JS's default sort by UTF-16 unit. */
const byCodePoint = (a: string, b: string): number => {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
};

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n)) return BigInt(n).toString();
  const a = Math.abs(n);
  if (a >= 1e16 || a < 1e-4) {
    const [m, e] = n.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

function pyReprString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\' || ch === q) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0)) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}

function pyRepr(v: JSONValue): string {
  if (typeof v === 'string') return pyReprString(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isDict(v)) return `{${Object.entries(v).map(([k, x]) => `${pyReprString(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return pyStr(v);
}

function pyStr(v: JSONValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** A value as printed: str(), with terminal-unsafe characters escaped. */
const cell = (v: JSONValue): string => escapeControl(pyStr(v));

/** Python's truthiness of a JSON value. */
const truthy = (v: JSONValue): boolean =>
  !(v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (isDict(v) && Object.keys(v).length === 0));

// ---------------------------------------------------------------------------------------------------------------
// json (JSONFormatter)

/** aws-cli's json: 4-space indentation, non-ASCII kept, terminal-unsafe characters escaped; `{}` prints nothing. */
export function formatAwsJson(value: JSONValue): string {
  if (isDict(value) && Object.keys(value).length === 0) return '';
  return renderJson(value, 4);
}

// ---------------------------------------------------------------------------------------------------------------
// text (awscli/text.py)

/** aws-cli's text formatter for one (already queried) value. */
function formatAwsText(value: JSONValue): string {
  const out: string[] = [];
  const fmt = (item: JSONValue, identifier: string | null, scalarKeys: string[] | null): void => {
    if (isDict(item)) fmtDict(scalarKeys, item, identifier);
    else if (Array.isArray(item)) fmtList(item, identifier);
    else out.push(cell(item));
  };
  const fmtScalarList = (els: JSONValue[], identifier: string | null): void => {
    if (identifier !== null) for (const e of els) out.push(`${escapeControl(identifier.toUpperCase())}\t${cell(e)}`);
    else out.push(els.map(cell).join('\t'));
  };
  const fmtList = (item: JSONValue[], identifier: string | null): void => {
    if (item.length === 0) return;
    if (item.some(isDict)) {
      const keys = new Set<string>();
      for (const el of item) {
        if (!isDict(el)) throw new AwsFormatError(`'${Array.isArray(el) ? 'list' : typeof el}' object has no attribute 'items'`);
        for (const [k, v] of Object.entries(el)) if (isScalar(v)) keys.add(k);
      }
      const all = [...keys].sort(byCodePoint);
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
      for (const k of Object.keys(item).sort(byCodePoint)) {
        if (isScalar(item[k])) scalars.push(cell(item[k]));
        else nonScalars.push([k, item[k]]);
      }
    } else {
      for (const k of scalarKeys) scalars.push(Object.hasOwn(item, k) ? cell(item[k]) : '');
      const known = new Set(scalarKeys);
      for (const k of Object.keys(item).filter((x) => !known.has(x)).sort(byCodePoint)) nonScalars.push([k, item[k]]);
    }
    if (scalars.length) {
      if (identifier !== null) scalars.unshift(escapeControl(identifier.toUpperCase()));
      out.push(scalars.join('\t'));
    }
    for (const [k, v] of nonScalars) fmt(v, k, null);
  };
  fmt(value, null, null);
  return out.length ? `${out.join('\n')}\n` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// table (TableFormatter + awscli/table.py MultiTable, without colours)

class Section {
  /** null: a section opened with no title (Python's None, whose str() is 'None' for the width). */
  title: string | null = '';
  headers: string[] = [];
  rows: string[][] = [];
  indent = 0;
  private numCols: number | null = null;
  /** Column widths, exact and capped (for the fallback layout). */
  maxWidths: number[] = [];
  cappedWidths: number[] = [];

  addHeader(headers: string[]): void {
    this.updateMaxWidths(headers);
    if (this.numCols === null) this.numCols = headers.length;
    this.headers = headers;
  }

  addRow(row: string[]): void {
    if (this.numCols === null) this.numCols = row.length;
    if (row.length !== this.numCols) throw new AwsFormatError(`Row should have ${this.numCols} elements, instead it has ${row.length}`);
    this.rows.push(row);
    this.updateMaxWidths(row);
  }

  private updateMaxWidths(row: string[]): void {
    const lengths = row.map((c) => awsTextLength(c));
    if (this.maxWidths.length === 0) {
      this.maxWidths = lengths;
      this.cappedWidths = lengths.map((l) => Math.min(l, TABLE_CELL_CAP));
    } else {
      // zip(): only as many columns as both have.
      lengths.forEach((l, i) => {
        if (i >= this.maxWidths.length) return;
        this.maxWidths[i] = Math.max(l, this.maxWidths[i]);
        this.cappedWidths[i] = Math.max(Math.min(l, TABLE_CELL_CAP), this.cappedWidths[i]);
      });
    }
  }

  widths(capped: boolean): number[] {
    return capped ? this.cappedWidths : this.maxWidths;
  }

  titleLength(capped: boolean): number {
    const l = awsTextLength(this.title ?? 'None');
    return capped ? Math.min(l, TABLE_CELL_CAP) : l;
  }

  /** calculate_column_widths(padding, max_width): scaled so that they sum to max_width. */
  columnWidths(padding: number, maxWidth: number, capped: boolean): number[] {
    const unscaled = this.widths(capped).map((w) => w + padding);
    if (unscaled.length === 0) return unscaled;
    const scale = maxWidth / unscaled.reduce((a, b) => a + b, 0);
    const scaled = unscaled.map((w) => pyRound(scale * w));
    let off = scaled.reduce((a, b) => a + b, 0) - maxWidth;
    while (off !== 0) {
      const order = scaled.map((_, i) => i);
      if (off < 0) order.reverse();
      for (const i of order) {
        if (off > 0) {
          scaled[i] -= 1;
          off -= 1;
        } else {
          scaled[i] += 1;
          off += 1;
        }
        if (off === 0) break;
      }
    }
    return scaled;
  }

  totalWidth(capped: boolean): number {
    const total = this.widths(capped).reduce((a, w) => a + w + 4, 0) + 2 + 2 * this.indent;
    return Math.max(this.titleLength(capped) + 2 + 2 * this.indent, total);
  }
}

/** Python's round(): halves to even. */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

class TableBuilder {
  sections: Section[] = [];
  private current: Section | null = null;

  private newSection(title: string | null, indent: number): void {
    this.current = new Section();
    this.current.title = title === null ? null : escapeControl(title);
    this.current.indent = indent;
    this.sections.push(this.current);
  }

  private section(): Section {
    // MultiTable(initial_section=False): adding to no section fails in aws-cli too.
    if (!this.current) throw new AwsFormatError("'NoneType' object has no attribute 'add_row'");
    return this.current;
  }

  build(title: string | null, value: JSONValue, indent = 0): boolean {
    if (!truthy(value)) return false;
    if (title !== null) this.newSection(title, indent);
    if (Array.isArray(value)) {
      if (isDict(value[0])) this.subTableFromList(value, indent, title);
      else {
        for (const item of value) {
          if (isScalar(item)) this.section().addRow([cell(item)]);
          else if (isDict(item)) this.section().addRow(Object.keys(item).map(escapeControl));
          else if ((item as JSONValue[]).every(isScalar)) this.section().addRow((item as JSONValue[]).map(cell));
          else this.build(null, item);
        }
      }
    }
    if (isDict(value)) this.subTableFromDict(value, indent);
    return true;
  }

  private subTableFromDict(d: Record<string, JSONValue>, indent: number): void {
    const [headers, more] = groupScalarKeys(d);
    if (headers.length === 1) this.section().addRow([escapeControl(headers[0]), cell(d[headers[0]])]);
    else if (headers.length) {
      this.section().addHeader(headers.map(escapeControl));
      this.section().addRow(headers.map((k) => cell(d[k])));
    }
    for (const k of more) this.build(k, d[k], indent + 1);
  }

  private subTableFromList(list: JSONValue[], indent: number, title: string | null): void {
    const headers = new Set<string>();
    const more = new Set<string>();
    for (const item of list) {
      if (!isDict(item)) throw new AwsFormatError(`a list that starts with an object holds ${item === null ? 'None' : Array.isArray(item) ? 'a list' : typeof item}; aws-cli cannot tabulate it`);
      const [h, m] = groupScalarKeys(item);
      h.forEach((k) => headers.add(k));
      m.forEach((k) => more.add(k));
    }
    const hs = [...headers].sort(byCodePoint);
    const ms = [...more].sort(byCodePoint);
    this.section().addHeader(hs.map(escapeControl));
    let first = true;
    for (const el of list as Record<string, JSONValue>[]) {
      if (!first && ms.length) {
        this.newSection(title, indent);
        this.section().addHeader(hs.map(escapeControl));
      }
      first = false;
      this.section().addRow(hs.map((k) => (Object.hasOwn(el, k) ? cell(el[k]) : '')));
      for (const k of ms) if (Object.hasOwn(el, k)) this.build(k, el[k], indent + 1);
    }
  }
}

function groupScalarKeys(d: Record<string, JSONValue>): [string[], string[]] {
  const headers: string[] = [];
  const more: string[] = [];
  for (const k of Object.keys(d)) (isScalar(d[k]) ? headers : more).push(k);
  return [headers.sort(byCodePoint), more.sort(byCodePoint)];
}

/** Any section with a single row (and headers) becomes header | value rows. */
function convertToVertical(sections: Section[]): Section[] {
  return sections.map((s) => {
    if (s.rows.length !== 1 || s.headers.length === 0) return s;
    const n = new Section();
    n.title = s.title;
    n.indent = s.indent;
    const row = s.rows[0];
    for (let i = 0; i < Math.min(s.headers.length, row.length); i++) n.addRow([s.headers[i], row[i]]);
    return n;
  });
}

const repeat = (ch: string, n: number): string => (n > 0 ? ch.repeat(n) : '');

function centerText(text: string, length: number, left: string, right: string): string {
  const textLength = awsTextLength(text);
  const charStart = Math.floor(length / 2) - Math.floor(textLength / 2) - 1;
  const soFar = left.length + charStart + textLength;
  return `${left}${repeat(' ', charStart)}${text}${repeat(' ', length - right.length - soFar)}${right}`;
}

function alignLeft(text: string, length: number, left: string, right: string): string {
  const textLength = awsTextLength(text);
  const padding = length - (textLength + 2 + left.length + right.length) >= 0 ? 2 : 0;
  return `${left}${repeat(' ', padding)}${text}${repeat(' ', length - (left.length + padding + textLength) - right.length)}${right}`;
}

function lineBreak(widths: number[]): string {
  return widths.map((w, i) => (i === 0 ? `+${repeat('-', w - 2)}+` : `${repeat('-', w - 1)}+`)).join('');
}

function render(sections: Section[], terminalWidth: number, capped: boolean): string[] {
  const maxOf = (ss: Section[]): number => ss.reduce((m, s) => Math.max(m, s.totalWidth(capped)), 0);
  let maxWidth = maxOf(sections);
  if (maxWidth > terminalWidth) {
    sections = convertToVertical(sections);
    maxWidth = maxOf(sections);
  }
  const out: string[] = [repeat('-', maxWidth)];
  for (const s of sections) {
    const bars = '|'.repeat(s.indent);
    const write = (line: string): void => {
      out.push(`${bars}${line}${bars}`);
    };
    const width = maxWidth - s.indent * 2;
    if (s.title) {
      write(centerText(s.title, width, '|', '|'));
      if (!s.headers.length && !s.rows.length) write(`+${repeat('-', width - 2)}+`);
    }
    if (s.headers.length) {
      const widths = s.columnWidths(4, width, capped);
      write(lineBreak(widths));
      let line = '';
      for (let i = 0; i < Math.min(widths.length, s.headers.length); i++) line += centerText(s.headers[i], widths[i], i === 0 ? '|' : '', '|');
      write(line);
    }
    if (s.rows.length) {
      const widths = s.columnWidths(4, width, capped);
      if (!widths.length) continue;
      write(lineBreak(widths));
      for (const row of s.rows) {
        let line = '';
        for (let i = 0; i < Math.min(widths.length, row.length); i++) line += alignLeft(row[i], widths[i], i === 0 ? '|' : '', '|');
        write(line);
      }
      write(lineBreak(widths));
    }
  }
  return out;
}

/**
 * aws-cli's table for one (already queried) value: sections titled by key, centred headers, rows left-aligned,
 * nested lists and objects as indented sub-tables; nothing for a falsy value (null, 0, "", [], {}).
 */
export function formatAwsTable(value: JSONValue, title = 'LookupEvents', terminalWidth = 80): string {
  const b = new TableBuilder();
  if (!b.build(title, value)) return '';
  // Exact layout unless it would be enormous: the widest line times the number of lines.
  const exactWidth = b.sections.reduce((m, s) => Math.max(m, s.totalWidth(false)), 0);
  const lineCount = b.sections.reduce((n, s) => n + s.rows.length + 4, 1);
  const capped = exactWidth * lineCount > TABLE_EXACT_LIMIT && exactWidth > TABLE_CELL_CAP * 4;
  return `${render(b.sections, terminalWidth, capped).join('\n')}\n`;
}
