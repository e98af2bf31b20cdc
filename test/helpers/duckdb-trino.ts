// DuckDB connections for the engine-parity tests, with the Trino shim of bench/duckdb-trino.ts loaded.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { TRINO_SHIM } from '../../bench/duckdb-trino.js';

export { cloudTrailTableSql } from '../../bench/duckdb-trino.js';

export async function duckdb(): Promise<{ c: DuckDBConnection; close: () => void }> {
  const inst = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const c = await inst.connect();
  for (const s of TRINO_SHIM) await c.run(s);
  return { c, close: () => { c.closeSync(); inst.closeSync(); } };
}

export async function rows(c: DuckDBConnection, sql: string): Promise<Array<Record<string, unknown>>> {
  const r = await c.runAndReadAll(sql);
  return r.getRowObjectsJS() as Array<Record<string, unknown>>;
}

