// The one form every rule language compiles to: a boolean tree over tests of a CloudTrail record.
// Sigma (sigma/) and CloudWatch filter patterns (cloudwatch/) each parse their syntax into this tree with
// their own matching semantics inside the tests; the engine then evaluates it two ways:
//  - over the full record (`evaluate`), always exact;
//  - in SQL over the case's indexed columns (compile-sql.ts), where a test says how its answer follows from one
//    column's value (`scalar`). Tests without that, or whose answer the column cannot decide, make the SQL an upper
//    bound and the engine reads the record for the remaining candidates.
// `form` is the declarative description a SQL dialect without our dictionary trick (Trino/Athena over the
// AWS-documented CloudTrail table) renders from; the SQLite case never needs it to be complete.

export type Predicate = AndNode | OrNode | NotNode | ConstNode | FieldTest | RecordTest;

export interface AndNode {
  kind: 'and';
  items: Predicate[];
}

export interface OrNode {
  kind: 'or';
  items: Predicate[];
}

export interface NotNode {
  kind: 'not';
  item: Predicate;
}

export interface ConstNode {
  kind: 'const';
  value: boolean;
}

/**
 * The value of one field as an indexed column holds it: the record's string (or boolean for readOnly and
 * managementEvent), or null when the field is missing or JSON null.
 */
export type ColumnValue = string | boolean | null;

/** A test of one field of the record. */
export interface FieldTest {
  kind: 'field';
  /**
   * The field as a dotted CloudTrail path (`userIdentity.type`, `requestParameters.bucketName`); a CloudWatch
   * array index is written `[0]` (`arrayKey[0]`). Only whole-field names map to columns.
   */
  field: string;
  /** The exact answer over the whole record. */
  test(record: Record<string, unknown>): boolean;
  /**
   * The answer from the field's column value, when the field is a top-level string/boolean in CloudTrail: true or
   * false when the value decides it, undefined when it cannot (e.g. CloudWatch's `!=` on null vs missing). Absent
   * when the test needs more than the field's scalar value (objects, arrays, numbers compared as numbers).
   */
  scalar?: (value: ColumnValue) => boolean | undefined;
  /** Declarative form for other SQL dialects (optional; see the file comment). */
  form?: TestForm;
  /** Human-readable form for lint output and `rules show` (`eventName = StopLogging`). */
  describe: string;
}

/** A test that needs the whole record (keywords, field references between two fields). */
export interface RecordTest {
  kind: 'record';
  test(record: Record<string, unknown>): boolean;
  describe: string;
}

/**
 * What a field test checks, declaratively. `values` are alternatives (OR) unless `all` is set. Wildcard values use
 * `*` and `?` as Sigma writes them, after unescaping into `pattern` pieces.
 */
export type TestForm =
  | { op: 'equals'; values: string[]; caseInsensitive: boolean; all?: boolean }
  | { op: 'wildcard'; patterns: WildcardPattern[]; caseInsensitive: boolean; all?: boolean }
  | { op: 'regex'; patterns: string[]; flags: string; all?: boolean }
  | { op: 'cidr'; ranges: string[] }
  | { op: 'null' }
  | { op: 'exists'; value: boolean }
  | { op: 'compare'; cmp: '<' | '<=' | '>' | '>=' | '=' | '!='; value: number }
  /**
   * The inner test's answer negated where the field has a value; `onMissing` where it has none (Sigma `|neq`: true;
   * CloudWatch `!=`: false).
   */
  | { op: 'not'; form: TestForm; onMissing: boolean };

/** A wildcard pattern as pieces: literal text and `*` (any run) / `?` (one character). */
export type WildcardPattern = Array<string | { any: 'many' | 'one' }>;

/** Evaluates a predicate over a whole record: the reference semantics. */
export function evaluate(p: Predicate, record: Record<string, unknown>): boolean {
  switch (p.kind) {
    case 'and':
      return p.items.every((i) => evaluate(i, record));
    case 'or':
      return p.items.some((i) => evaluate(i, record));
    case 'not':
      return !evaluate(p.item, record);
    case 'const':
      return p.value;
    case 'field':
    case 'record':
      return p.test(record);
  }
}

/** Every field name the predicate reads (for lint: fields CloudTrail never writes). */
export function fieldsOf(p: Predicate, out: Set<string> = new Set()): Set<string> {
  switch (p.kind) {
    case 'and':
    case 'or':
      for (const i of p.items) fieldsOf(i, out);
      break;
    case 'not':
      fieldsOf(p.item, out);
      break;
    case 'field':
      out.add(p.field);
      break;
    default:
      break;
  }
  return out;
}

/** Human-readable form of the whole tree. */
export function describe(p: Predicate): string {
  switch (p.kind) {
    case 'and':
      return p.items.length ? p.items.map((i) => wrap(i)).join(' and ') : 'true';
    case 'or':
      return p.items.length ? p.items.map((i) => wrap(i)).join(' or ') : 'false';
    case 'not':
      return `not ${wrap(p.item)}`;
    case 'const':
      return String(p.value);
    default:
      return p.describe;
  }
}

function wrap(p: Predicate): string {
  return p.kind === 'and' || p.kind === 'or' ? `(${describe(p)})` : describe(p);
}
