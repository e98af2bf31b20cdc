// Trino/Athena as a rule dialect (compile-sql.ts's seam): each field test's declarative form (predicate.ts TestForm)
// rendered with Trino's functions over one target table (model/sql-targets.ts) — the AWS-documented CloudTrail table
// or the Parquet export. Only exact renderings are made: a test without a form, on a field the table cannot name, or
// with a regular expression whose meaning could differ between JavaScript and Trino is left undecided, and the rule
// then does not translate (sql-for.ts says why). Every rendering is two-valued (COALESCE … FALSE) so NOT stays exact.
//
// Trino functions used (https://trino.io/docs/current/functions.html): lower, LIKE … ESCAPE, regexp_like,
// json_extract_scalar, TRY_CAST, contains(network, ipaddress), coalesce. docs/scale.md lists the DuckDB shim.

import { fieldSql, trinoString, ODD_FIELDS_SQL, type SqlTarget } from '../model/sql-targets.js';
import type { SqlDialect, TestSql } from './compile-sql.js';
import type { FieldTest, TestForm, WildcardPattern } from './predicate.js';
import { parseCidr } from './sigma/match.js';

export class TrinoDialect implements SqlDialect {
  readonly booleans = { true: 'TRUE', false: 'FALSE' };
  /** Why tests could not be rendered: `test — reason`. */
  readonly untranslated: string[] = [];

  constructor(readonly target: SqlTarget) {}

  fieldTest(test: FieldTest): TestSql | null {
    const r = renderFieldTest(this.target, test);
    if ('reason' in r) {
      this.untranslated.push(`${test.describe}: ${r.reason}`);
      return null;
    }
    return { upper: r.sql, lower: r.sql };
  }
}

/** One field test as a Trino boolean expression over the target's table aliased `e`, or why not. */
export function renderFieldTest(target: SqlTarget, test: FieldTest): { sql: string } | { reason: string } {
  if (!test.form) return { reason: 'no SQL form (|neq, mixed value kinds, CloudWatch != / NOT EXISTS / IS tests)' };
  const at = fieldSql(target, test.field);
  if ('reason' in at) return at;
  const form = test.form;
  if (at.crossesArray && form.op !== 'exists') return { reason: `"${at.crossesArray}" is an array in CloudTrail records: the rule tests each element, json_extract_scalar sees none` };
  const present = at.present;
  const render = (x: string) => renderForm(form, x, present);
  if (!at.fromRecord) return render(at.expr);
  // Parquet: the typed column stores "" as NULL and, on odd_fields rows, may not say what the record says.
  const fromRecord = render(at.fromRecord);
  if ('reason' in fromRecord) return fromRecord;
  const onNull = test.scalar?.(null);
  if (onNull === undefined || onNull !== test.scalar?.('')) return fromRecord;
  const fromColumn = render(at.expr);
  if ('reason' in fromColumn) return fromColumn;
  return { sql: `(CASE WHEN ${ODD_FIELDS_SQL} THEN ${fromRecord.sql} ELSE ${fromColumn.sql} END)` };
}

const coalesce = (sql: string) => `COALESCE(${sql}, FALSE)`;

function combine(parts: string[], all: boolean | undefined): string {
  if (parts.length === 1) return parts[0];
  return `(${parts.join(all ? ' AND ' : ' OR ')})`;
}

/** A form over a varchar expression `x` (NULL: no scalar there); `present`: the key is there. */
function renderForm(form: TestForm, x: string, present: string): { sql: string } | { reason: string } {
  switch (form.op) {
    case 'not': {
      if (form.form.op === 'not' || form.form.op === 'exists' || form.form.op === 'null') return { reason: 'a negated presence test has no exact SQL form' };
      const inner = renderForm(form.form, x, present);
      if ('reason' in inner) return inner;
      // The inner rendering is FALSE where there is no value: the negation is TRUE there unless onMissing says not.
      return { sql: form.onMissing ? `(NOT ${inner.sql})` : `(${x} IS NOT NULL AND NOT ${inner.sql})` };
    }
    case 'equals': {
      const subject = form.caseInsensitive ? `lower(${x})` : x;
      const values = [...new Set(form.values.map((v) => (form.caseInsensitive ? v.toLowerCase() : v)))];
      if (form.all && values.length > 1) return { sql: coalesce(combine(values.map((v) => `${subject} = ${trinoString(v)}`), true)) };
      return { sql: coalesce(values.length === 1 ? `${subject} = ${trinoString(values[0])}` : `${subject} IN (${values.map(trinoString).join(', ')})`) };
    }
    case 'wildcard': {
      const subject = form.caseInsensitive ? `lower(${x})` : x;
      const parts = form.patterns.map((p) => {
        const like = likePattern(p, form.caseInsensitive);
        return like === '%' ? `${x} IS NOT NULL` : `${subject} LIKE ${trinoString(like)} ESCAPE '\\'`;
      });
      return { sql: coalesce(combine(parts, form.all)) };
    }
    case 'regex': {
      const prefix = inlineFlags(form.flags);
      if (prefix === null) return { reason: `regular expression flags "${form.flags}" have no Trino equivalent` };
      for (const p of form.patterns) {
        const why = regexDifference(p);
        if (why) return { reason: `regular expression /${p}/ ${why}` };
      }
      return { sql: coalesce(combine(form.patterns.map((p) => `regexp_like(${x}, ${trinoString(prefix + p)})`), form.all)) };
    }
    case 'cidr': {
      const parts: string[] = [];
      for (const range of form.ranges) {
        const r = parseCidr(range);
        if (!r) return { reason: `"${range}" is not a CIDR range` };
        parts.push(`contains(${trinoString(`${r.address}/${r.prefix}`)}, TRY_CAST(${x} AS IPADDRESS))`);
      }
      return { sql: coalesce(combine(parts, false)) };
    }
    case 'null':
      return { sql: `(${x} IS NULL)` };
    case 'exists':
      return { sql: form.value ? present : `(NOT ${present})` };
    case 'compare': {
      if (!Number.isFinite(form.value)) return { reason: `${form.value} is not a finite number` };
      const op = form.cmp === '!=' ? '<>' : form.cmp;
      return { sql: coalesce(`TRY_CAST(${x} AS DOUBLE) ${op} ${numberLiteral(form.value)}`) };
    }
  }
}

/** A double literal Trino reads as the same number. */
function numberLiteral(n: number): string {
  const text = String(n);
  return /[eE]/.test(text) || text.includes('.') ? text : `${text}.0`;
}

/** A Sigma wildcard pattern as a LIKE pattern with `\` as the escape character. */
export function likePattern(pattern: WildcardPattern, lower: boolean): string {
  return pattern
    .map((p) => {
      if (typeof p !== 'string') return p.any === 'many' ? '%' : '_';
      const text = lower ? p.toLowerCase() : p;
      return text.replace(/[\\%_]/g, (c) => `\\${c}`);
    })
    .join('');
}

function inlineFlags(flags: string): string | null {
  let out = '';
  for (const f of flags) {
    if (f === 'i' || f === 'm' || f === 's') out += f;
    else if (f !== 'u' && f !== 'g') return null;
  }
  return out ? `(?${out})` : '';
}

/**
 * Why a JavaScript pattern might not mean the same to Trino (Joni or RE2J) and DuckDB (RE2), or null. Only the
 * common core translates: literals, classes, `\d \w \s \b`, quantifiers, groups, alternation, anchors.
 */
export function regexDifference(source: string): string | null {
  if (/\(\?/.test(source)) return 'uses a (?…) group (lookaround, named or inline-flag group): engines differ';
  if (/\\[1-9]|\\k</.test(source)) return 'uses a back-reference (RE2 has none)';
  if (/\\[pPuxc0]/.test(source)) return 'uses a \\p, \\u, \\x, \\c or \\0 escape (spelled differently per engine)';
  if (/\[\^?\]/.test(source)) return 'uses an empty character class (JavaScript-only)';
  return null;
}
