// trailhound sql --db case.db "SELECT …" [--param NAME=VALUE]... [--format table|json|jsonl|csv|md]
// Analysts' own SQL over the case, read-only: the readable views (events_v, event_resources_v), the tables, and
// event_json(event_id) for the original record (docs/case-format.md#querying-the-case-with-sql).

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { dbOptions, outputOptions, readOutput, readParams } from '../options.js';
import { openSqlSession } from '../../index/user-sql.js';
import { renderRows } from '../../report/rows.js';

interface Args {
  db: string;
  query: string;
  param?: string[];
  format?: string;
  json?: boolean;
  excel?: boolean;
  width?: number;
}

/** --param NAME=VALUE: a value that reads as a number binds as one (SQLite compares numbers and text apart). */
function bindValues(list: readonly string[] | undefined): Record<string, unknown> {
  const raw = readParams(list, 'NAME=VALUE (the statement names it :NAME)');
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, /^-?\d+(\.\d+)?$/.test(v) && Number.isFinite(Number(v)) ? Number(v) : v]));
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'sql <query>',
    describe: 'Run your own read-only SQL over the case: views events_v and event_resources_v, and event_json(event_id) for the original record',
    builder: (y) =>
      y
        .positional('query', { type: 'string', describe: 'One SQL statement that returns rows (SELECT, WITH … SELECT)' })
        .options(dbOptions)
        .option('param', { type: 'string', array: true, requiresArg: true, describe: 'NAME=VALUE for a :NAME in the statement (repeat for more)' })
        .options(outputOptions)
        .example(`trailhound sql --db case.db "SELECT event_time, event_name, username FROM events_v WHERE event_id = '<uuid>'"`, 'One event by its eventID')
        .example(
          `trailhound sql --db case.db "SELECT json_extract(event_json(event_id), '$.requestParameters.bucketName') AS bucket, count(*) n FROM events_v WHERE event_source = 's3.amazonaws.com' GROUP BY 1 ORDER BY n DESC"`,
          'Fields of the original record',
        ) as never,
    handler: (argv) => {
      const out = readOutput(argv);
      const params = bindValues(argv.param);
      const session = openSqlSession(argv.db);
      try {
        const result = session.run(argv.query, params);
        process.stdout.write(renderRows(result.columns, result.rows, { format: out.format, width: out.width, excel: out.excel }));
      } finally {
        session.close();
      }
      void ctx;
    },
  };
}
