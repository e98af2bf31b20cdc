// The SQLite case as a SQL dialect for rules (compile-sql.ts). A test on a field the case stores as a
// dictionary-coded column (eventName, eventSource, errorCode, userIdentity.arn, …) is decided once per distinct
// value of that column with the test's own matcher — the rule language's exact semantics, case folding and
// wildcards included — and becomes `column IN (ids)`. So SQL never re-implements Sigma or CloudWatch matching,
// and the indexes on those columns find the candidates.

import { PATH_COLUMNS } from '../model/event-columns.js';
import { columnsValidFrom, distinctColumnValues, dropTempSets, tempIdSet } from '../index/detections.js';
import type { Db } from '../index/open.js';
import type { SqlDialect, TestSql } from './compile-sql.js';
import type { FieldTest } from './predicate.js';

/** Record paths stored as string columns (model/event-columns.ts PATH_COLUMNS). */
export const FIELD_COLUMNS = PATH_COLUMNS;

/** Lists longer than this go into a TEMP table. */
const MAX_INLINE = 500;

export class CaseDialect implements SqlDialect {
  private readonly values = new Map<string, Array<{ id: number; value: string }>>();
  private readonly temp: string[] = [];
  private readonly validFrom: Map<string, number>;

  /** Events with id > fromRow, plus `rows`, are the ones the SQL will be run on. */
  constructor(
    private readonly db: Db,
    private readonly fromRow: number,
    private readonly rows: readonly number[],
    /** Few rows to look at: refer to columns as `+e.col` so SQLite scans the row-id range instead of an index. */
    private readonly preferRange = false,
  ) {
    this.validFrom = columnsValidFrom(db);
  }

  private valuesOf(column: string): Array<{ id: number; value: string }> {
    let v = this.values.get(column);
    if (!v) this.values.set(column, (v = distinctColumnValues(this.db, column, this.fromRow, this.rows)));
    return v;
  }

  fieldTest(test: FieldTest): TestSql | null {
    const column = FIELD_COLUMNS.get(test.field);
    if (!column || !test.scalar) return null;
    const values = this.valuesOf(column);
    const yes: number[] = [];
    const maybe: number[] = [];
    for (const v of values) {
      const r = test.scalar(v.value);
      if (r === true) yes.push(v.id);
      else if (r === undefined) maybe.push(v.id);
    }
    // NULL in the column: the field was missing, JSON null, or "" (the extractor stores "" as NULL). Decided only
    // when the test answers all three alike.
    const onNull = test.scalar(null);
    const onEmpty = test.scalar('');
    const nullAnswer = onNull === onEmpty ? onNull : undefined;
    const col = `${this.preferRange ? '+' : ''}e.${column}`;
    const upper = this.or(this.inSet(col, [...yes, ...maybe], values.length), nullAnswer !== false ? `${col} IS NULL` : '0');
    const lower = this.or(this.inSet(col, yes, values.length), nullAnswer === true ? `${col} IS NULL` : '0');
    // Rows older than the column know nothing of it: the record decides there.
    const from = this.validFrom.get(column) ?? 0;
    if (from > 1 && from > this.fromRow) return { upper: `(e.id < ${from} OR ${upper})`, lower: `(e.id >= ${from} AND ${lower})` };
    return { upper, lower };
  }

  private or(a: string, b: string): string {
    if (a === '0') return b;
    if (b === '0') return a;
    return `(${a} OR ${b})`;
  }

  /** `col` is one of ids (never NULL as SQL: NOT must stay exact). */
  private inSet(col: string, ids: number[], total: number): string {
    if (!ids.length) return '0';
    if (ids.length === total) return `${col} IS NOT NULL`;
    if (ids.length <= MAX_INLINE) return `(${col} IS NOT NULL AND ${col} IN (${ids.join(',')}))`;
    const name = tempIdSet(this.db, ids);
    this.temp.push(name);
    return `(${col} IS NOT NULL AND ${col} IN temp.${name})`;
  }

  /** Drop the TEMP tables made for long lists. */
  close(): void {
    dropTempSets(this.db, this.temp);
    this.temp.length = 0;
  }
}
