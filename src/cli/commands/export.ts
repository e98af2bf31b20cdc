// trailhound export --db case.db --format parquet --out DIR [--force] [--no-records] [--location URI] [--json]
// trailhound export --ddl athena|trino|spark [--location URI]        (prints the DDL; no case needed)
// The case as Parquet tables for Athena, Trino and Spark (docs/export.md).

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { openCase } from '../../index/open.js';
import { exportCase } from '../../export/run.js';
import { DDL_ENGINES, renderDdl, type DdlEngine } from '../../export/ddl.js';
import type { ExportManifest } from '../../export/manifest.js';
import { refuseEvidenceTarget } from '../../triage/output-file.js';
import { UsageError } from '../../model/errors.js';
import { renderJson } from '../../report/json.js';

interface Args {
  db?: string;
  format: string;
  out?: string;
  force: boolean;
  records: boolean;
  ddl?: string;
  location?: string;
  json?: boolean;
  quiet?: boolean;
}

/** What --json prints: the manifest without its file list, with the folder and the totals. */
export function manifestSummary(m: ExportManifest, out: string): Record<string, unknown> {
  const { files, ...rest } = m;
  return { out, ...rest, fileCount: files.length, bytes: files.reduce((s, f) => s + f.bytes, 0) };
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'export',
    describe: 'Write the case as Parquet tables (events partitioned by account/region/date, findings, sources) with the DDL for Athena, Trino and Spark',
    builder: (y) =>
      y
        .option('db', { type: 'string', requiresArg: true, describe: 'Case file to export (opened read-only)' })
        .option('format', { type: 'string', choices: ['parquet'], default: 'parquet', describe: 'File format (parquet)' })
        .option('out', { type: 'string', requiresArg: true, describe: 'Folder to write: new or empty (written as DIR.partial beside it, then moved into place)' })
        .option('force', { type: 'boolean', default: false, describe: 'Write into a folder holding an earlier export: replaces only what export writes (events/, findings/, finding_events/, sources/, ddl/, export.json)' })
        .option('records', { type: 'boolean', default: true, describe: 'Export the original record JSON (--no-records: leave the record column NULL, e.g. when a --no-embed case\'s evidence is gone)' })
        .option('ddl', { type: 'string', choices: [...DDL_ENGINES], requiresArg: true, describe: 'Print the DDL that registers an export in this engine, and exit (no case needed)' })
        .option('location', { type: 'string', requiresArg: true, describe: 'Where the export will be for the engine (s3://bucket/prefix/); default the placeholder s3://YOUR-BUCKET/trailhound-export/' })
        .option('json', { type: 'boolean', describe: 'Print the manifest summary as JSON (docs/export.md#manifest)' })
        .option('quiet', { type: 'boolean', describe: 'No progress on stderr' })
        .example('trailhound export --db case.db --format parquet --out case-parquet', 'Parquet tables, DDL in case-parquet/ddl/')
        .example('trailhound export --ddl athena --location s3://my-bucket/case-parquet/', 'The Athena DDL for an export copied there') as never,
    handler: async (argv) => {
      if (argv.ddl !== undefined) {
        process.stdout.write(renderDdl(argv.ddl as DdlEngine, { location: argv.location }));
        return;
      }
      if (!argv.db) throw new UsageError('--db: name the case file to export, e.g. --db case.db (or give --ddl athena|trino|spark to print the DDL only)');
      if (!argv.out) throw new UsageError('--out: name the folder to write the export into, e.g. --out case-parquet');
      const db = openCase(argv.db, { readonly: true });
      try {
        refuseEvidenceTarget(db, argv.out, 'the export');
        const tty = process.stderr.isTTY === true && argv.quiet !== true;
        const m = await exportCase(db, {
          caseFile: argv.db,
          out: argv.out,
          force: argv.force,
          records: argv.records,
          location: argv.location,
          progress: tty ? (n, total) => process.stderr.write(`\rexport: ${n} / ${total} events`) : undefined,
        });
        if (tty) process.stderr.write('\n');
        const summary = manifestSummary(m, argv.out);
        if (argv.json) {
          process.stdout.write(renderJson(summary));
        } else {
          const t = m.tables;
          process.stdout.write(
            `${argv.out}: ${t.events.rows} events in ${t.events.files} Parquet files (account/region/date partitions), ${t.findings.rows} findings, ` +
              `${t.finding_events.rows} finding events, ${t.sources.rows} sources; ${summary.fileCount as number} files, ${mb(summary.bytes as number)}` +
              `${m.records ? '' : ' (without records: --no-records)'}\n` +
              `DDL: ${argv.out}/ddl/athena.sql, trino.sql, spark.sql (set the location with --location); manifest: ${argv.out}/export.json\n`,
          );
        }
      } finally {
        db.close();
      }
      void ctx;
    },
  };
}
