// Rules → SQL, with the dialect as a seam. A predicate compiles to two WHERE expressions over the events of the
// dialect's table: `upper`, true for every event the rule may match, and `lower`, true only for events it surely
// matches. Where every test can be decided by the dialect the two are the same and no record is read; otherwise
// the engine reads the records of events in upper-but-not-lower and evaluates the rule on them (detect/run.ts).
//
// Each test's SQL must be two-valued (never NULL) so that NOT stays exact; the dialect guarantees that. The SQLite
// case dialect is case-dialect.ts; the Trino/Athena dialect (trino-dialect.ts) renders FieldTest.form instead, over
// the AWS-documented CloudTrail table or the Parquet export.

import type { FieldTest, Predicate } from './predicate.js';

/** SQL for one test: upper and lower bound (equal when exact). */
export interface TestSql {
  upper: string;
  lower: string;
}

export interface SqlDialect {
  /** SQL for a field test, or null when this dialect cannot decide it (the record will). */
  fieldTest(test: FieldTest): TestSql | null;
  /** How the dialect writes true and false (default `1` and `0`, SQLite's). */
  readonly booleans?: { true: string; false: string };
}

export interface CompiledSql extends TestSql {
  /** upper and lower are the same: the rule needs no record. */
  exact: boolean;
  /** Tests the dialect could not decide (shown by `rules show`). */
  undecided: number;
}

/** AND, OR and NOT over SQL texts, folding the dialect's constants. */
function connectives(TRUE: string, FALSE: string) {
  return {
    and(items: string[]): string {
      if (items.includes(FALSE)) return FALSE;
      const rest = items.filter((i) => i !== TRUE);
      if (!rest.length) return TRUE;
      return rest.length === 1 ? rest[0] : `(${rest.join(' AND ')})`;
    },
    or(items: string[]): string {
      if (items.includes(TRUE)) return TRUE;
      const rest = items.filter((i) => i !== FALSE);
      if (!rest.length) return FALSE;
      return rest.length === 1 ? rest[0] : `(${rest.join(' OR ')})`;
    },
    not(item: string): string {
      if (item === TRUE) return FALSE;
      if (item === FALSE) return TRUE;
      return `(NOT ${item})`;
    },
  };
}

/** Compiles a predicate to upper/lower SQL bounds in a dialect. */
export function compileSql(p: Predicate, dialect: SqlDialect): CompiledSql {
  const TRUE = dialect.booleans?.true ?? '1';
  const FALSE = dialect.booleans?.false ?? '0';
  const { and, or, not } = connectives(TRUE, FALSE);
  let undecided = 0;
  const walk = (n: Predicate): TestSql => {
    switch (n.kind) {
      case 'const':
        return n.value ? { upper: TRUE, lower: TRUE } : { upper: FALSE, lower: FALSE };
      case 'and': {
        const parts = n.items.map(walk);
        return { upper: and(parts.map((x) => x.upper)), lower: and(parts.map((x) => x.lower)) };
      }
      case 'or': {
        const parts = n.items.map(walk);
        return { upper: or(parts.map((x) => x.upper)), lower: or(parts.map((x) => x.lower)) };
      }
      case 'not': {
        const x = walk(n.item);
        return { upper: not(x.lower), lower: not(x.upper) };
      }
      case 'field': {
        const sql = dialect.fieldTest(n);
        if (sql) {
          if (sql.upper !== sql.lower) undecided++;
          return sql;
        }
        undecided++;
        return { upper: TRUE, lower: FALSE };
      }
      case 'record':
        undecided++;
        return { upper: TRUE, lower: FALSE };
    }
  };
  const { upper, lower } = walk(p);
  return { upper, lower, exact: upper === lower, undecided };
}
