// The one place trailhound opens DuckDB (the Parquet writer, and the reader the tests and the bench check the files
// with): an in-memory database that never reaches the network. Extensions are neither installed nor loaded on
// demand (parquet and json are linked into @duckdb/node-api), memory is capped and spills go to a folder we choose.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckOptions {
  /** DuckDB's memory_limit (default 512MB): past it, DuckDB spills to `tempDir`. */
  memoryLimit?: string;
  /** Where DuckDB may spill (default: none, memory only). */
  tempDir?: string;
  /** Worker threads (default 2). */
  threads?: number;
}

export interface Duck {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

/** Settings that keep DuckDB offline and bounded: every open goes through them. */
export function duckSettings(options: DuckOptions = {}): Record<string, string> {
  return {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    memory_limit: options.memoryLimit ?? '512MB',
    threads: String(options.threads ?? 2),
    preserve_insertion_order: 'true',
    ...(options.tempDir ? { temp_directory: options.tempDir } : {}),
  };
}

/** An in-memory DuckDB with the offline settings. */
export async function openDuck(options: DuckOptions = {}): Promise<Duck> {
  const instance = await DuckDBInstance.create(':memory:', duckSettings(options));
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
