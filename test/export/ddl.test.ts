// The DDL that registers an export: for each engine, every table of model/export-schema.ts with every column under
// its own name and the engine's type for it (the expectation is derived from the schema, not a copy of it), the
// events table partitioned by account/region/date (partition columns last, as the Hive connector wants), a LOCATION
// under the given --location, and the partition discovery statement. `export --ddl` needs no case.
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { DDL_ENGINES, DEFAULT_LOCATION, renderDdl, type DdlEngine } from '../../src/export/ddl.js';
import { EXPORT_EVENT_COLUMNS, EXPORT_TABLE_LAYOUT, PARTITION_COLUMNS, type ExportTableType } from '../../src/model/export-schema.js';

/** Each engine's spelling of each type (Athena: Hive DDL; Trino: Hive connector; Spark SQL). */
const TYPES: Record<DdlEngine, Record<ExportTableType, RegExp>> = {
  athena: { varchar: /^string$/, boolean: /^boolean$/, bigint: /^bigint$/, timestamp: /^timestamp$/, 'array(varchar)': /^array<string>$/ },
  trino: { varchar: /^varchar$/, boolean: /^boolean$/, bigint: /^bigint$/, timestamp: /^timestamp(\(3\))?$/, 'array(varchar)': /^array\(varchar\)$/ },
  spark: { varchar: /^STRING$/, boolean: /^BOOLEAN$/, bigint: /^BIGINT$/, timestamp: /^TIMESTAMP$/, 'array(varchar)': /^ARRAY<STRING>$/ },
};

/** The CREATE statement of `table` and its column list as [name, type] (identifier quotes removed). */
function createStatement(ddl: string, table: string): { text: string; columns: Array<[string, string]> } {
  const start = ddl.search(new RegExp(`CREATE (EXTERNAL )?TABLE IF NOT EXISTS (hive\\.default\\.)?${table} \\(`));
  expect(start, table).toBeGreaterThanOrEqual(0);
  const text = ddl.slice(start, ddl.indexOf(';', start) + 1);
  const body = text.slice(text.indexOf('(\n') + 2, text.indexOf('\n)'));
  const columns = body.split(',\n').map((l) => {
    const m = /^\s*[`"]([a-z0-9_]+)[`"] (.+)$/.exec(l);
    if (!m) throw new Error(`not a column line: ${l}`);
    return [m[1], m[2]] as [string, string];
  });
  return { text, columns };
}

describe('export DDL', () => {
  it.each(DDL_ENGINES)('%s: every table and column of the schema, with its type and partitions', (engine) => {
    const location = 's3://evidence-bucket/case-42/';
    const ddl = renderDdl(engine, { location });
    for (const t of EXPORT_TABLE_LAYOUT) {
      const { text, columns } = createStatement(ddl, t.table);
      // Athena declares partition columns apart (PARTITIONED BY); Trino and Spark list them last among the columns.
      const listed = engine === 'athena' ? t.columns : [...t.columns, ...t.partitions];
      expect(columns.map((c) => c[0])).toEqual(listed.map((c) => c.name));
      for (const [i, c] of listed.entries()) expect(columns[i][1], `${engine} ${t.table}.${c.name}`).toMatch(TYPES[engine][c.type]);
      expect(text).toContain(`'${location}${t.folder}/'`);
      if (t.partitions.length) {
        const names = PARTITION_COLUMNS.map((p) => p.name);
        if (engine === 'athena') expect(text).toContain(`PARTITIONED BY (${names.map((n) => `\`${n}\` string`).join(', ')})`);
        if (engine === 'trino') expect(text).toContain(`partitioned_by = ARRAY[${names.map((n) => `'${n}'`).join(', ')}]`);
        if (engine === 'spark') expect(text).toContain(`PARTITIONED BY (${names.map((n) => `\`${n}\``).join(', ')})`);
      }
    }
    const discover = engine === 'trino' ? `CALL hive.system.sync_partition_metadata('default', 'trailhound_events', 'ADD');` : 'MSCK REPAIR TABLE trailhound_events;';
    expect(ddl).toContain(discover);
    expect(ddl).not.toContain(DEFAULT_LOCATION);
  });

  it('names the events table\'s every column once', () => {
    const { columns } = createStatement(renderDdl('spark'), 'trailhound_events');
    expect(columns).toHaveLength(EXPORT_EVENT_COLUMNS.length + PARTITION_COLUMNS.length);
  });

  it('export --ddl prints it without a case; the location defaults to a marked placeholder', async () => {
    for (const engine of DDL_ENGINES) {
      const r = await runCliInProcess(['export', '--ddl', engine]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(renderDdl(engine));
      expect(r.stdout).toContain(`${DEFAULT_LOCATION}events/`);
      expect(r.stdout).toContain(`-- Replace ${DEFAULT_LOCATION}`);
    }
    const at = await runCliInProcess(['export', '--ddl', 'trino', '--location', 's3://b/p']);
    expect(at.stdout).toBe(renderDdl('trino', { location: 's3://b/p/' }));
    expect(at.stdout).toContain("external_location = 's3://b/p/events/'");
    const bad = await runCliInProcess(['export', '--ddl', 'presto']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/presto/);
  });
});
