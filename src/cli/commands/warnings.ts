// trailhound warnings --db case.db [--severity warning|error] [--code CODE]... [--file GLOB]... [--run N] [--limit N]
//                    [--format table|json|jsonl|csv|md] [--summary]
// The warnings ingest stored in the case (what it could not read, or read with a caveat), with a summary by code.

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { UsageError } from '../../model/errors.js';
import { dbOptions, effectiveLimit, limitOption, outputOptions, readOutput } from '../options.js';
import { listOption } from '../../index/filter-spec.js';
import { openCase } from '../../index/open.js';
import { countWarnings, listWarnings, summarizeWarnings, type WarningFilter } from '../../index/warnings.js';
import { renderWarnings, renderWarningSummary } from '../../report/warnings.js';
import { escapeControl } from '../../model/escape.js';
import type { WarningSeverity } from '../../model/types.js';

interface Args {
  db: string;
  severity?: WarningSeverity;
  code?: string[];
  file?: string[];
  run?: number;
  limit?: number;
  format?: string;
  json?: boolean;
  excel?: boolean;
  summary: boolean;
  width?: number;
}

/** --limit's default for a table or md on a terminal (exports are not capped). */
const WARNINGS_DEFAULT_LIMIT = 1000;

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'warnings',
    describe: 'List the warnings ingest stored in the case (empty files, key-path mismatches, skipped records...), with counts per code',
    builder: (y) =>
      y
        .options(dbOptions)
        .option('severity', { type: 'string', choices: ['warning', 'error'], requiresArg: true, describe: 'Only this severity (error: a record or the rest of a file was skipped)' })
        .option('code', { type: 'string', array: true, requiresArg: true, describe: 'Only these codes, e.g. empty_file (repeat or comma-separate; docs/ingest.md lists them)' })
        .option('file', { type: 'string', array: true, requiresArg: true, describe: 'Only files matching this glob (* matches any text, / included; case-sensitive; repeat for OR)' })
        .option('run', { type: 'number', requiresArg: true, describe: 'Only warnings of this ingest run (runId in ingest --json)' })
        .option('limit', limitOption(WARNINGS_DEFAULT_LIMIT, 'warnings listed; the summary counts all'))
        .options({ ...outputOptions, format: { ...outputOptions.format, describe: 'Output format: table (with a summary by code; default), json, jsonl (one object a line), csv, md' } })
        .option('summary', { type: 'boolean', default: false, describe: 'Only the counts per code (in the chosen format)' })
        .example('trailhound warnings --db case.db', 'Every warning, then counts per code')
        .example('trailhound warnings --db case.db --code empty_file --format csv > empty.csv', 'The empty files, as CSV')
        .example("trailhound warnings --db case.db --severity error --file 'AWSLogs/111122223333/*'", 'What was skipped in one account') as never,
    handler: (argv) => {
      const out = readOutput(argv);
      const limit = effectiveLimit(argv.limit, WARNINGS_DEFAULT_LIMIT, out);
      if (argv.run !== undefined && (!Number.isInteger(argv.run) || argv.run < 1)) throw new UsageError(`--run: "${argv.run}" is not an ingest run number (1, 2, ...; runId in ingest --json)`);
      const filter: WarningFilter = {
        severity: argv.severity,
        codes: listOption(argv.code),
        files: (argv.file ?? []).map(String).filter((f) => f !== ''),
        runId: argv.run,
      };
      const db = openCase(argv.db, { readonly: true });
      try {
        const summary = summarizeWarnings(db, filter);
        const total = summary.reduce((n, s) => n + s.count, 0);
        const width = out.width;
        if (argv.summary) {
          if (total > 0 || out.format !== 'table') process.stdout.write(renderWarningSummary(summary, { format: out.format, width, total, excel: out.excel }));
        } else {
          const list = listWarnings(db, filter, { limit });
          if (total > 0 || out.format !== 'table') {
            process.stdout.write(renderWarnings(list.rows, { format: out.format, width, total, truncated: list.truncated, summary, excel: out.excel, truncatedAt: limit }));
          }
          if (list.truncated) process.stderr.write(`trailhound: showing the first ${list.rows.length} of ${total} matching warnings (raise --limit, or --limit 0 for all)\n`);
        }
        if (total === 0) {
          const all = countWarnings(db);
          const codes = summarizeWarnings(db).map((s) => s.code).filter((c, i, a) => a.indexOf(c) === i);
          process.stderr.write(
            all === 0
              ? 'trailhound: the case holds no warnings\n'
              : `trailhound: no warnings match; the case holds ${all} (codes: ${escapeControl(codes.join(', '))})\n`,
          );
        }
      } finally {
        db.close();
      }
      void ctx;
    },
  };
}
