// trailhound ingest <path>... --db case.db

import type { CommandModule } from 'yargs';
import cliProgress from 'cli-progress';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../../model/errors.js';
import { runIngest, DEFAULTS, type IngestProgress } from '../../ingest/run.js';
import { escapeControl } from '../../model/escape.js';
import { renderDocument } from '../../report/record.js';
import { outputOptions, readOutput } from '../options.js';
import { openCase } from '../../index/open.js';
import { summarizeWarnings } from '../../index/warnings.js';
import { warningCodeLines } from '../../report/warnings.js';

interface Args {
  paths: string[];
  db: string;
  format?: string;
  json?: boolean;
  excel?: boolean;
  width?: number;
  quiet: boolean;
  embed: boolean;
  workers?: number;
  'max-decompressed': number;
  'stream-threshold': number;
}

function parseSize(v: unknown, name: string): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(String(v).trim());
  if (!m) throw new UsageError(`--${name} must be a size such as 512MiB, 4GiB or a number of bytes (got ${JSON.stringify(v)})`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * mult);
}

/** The warnings of this run that were not printed one by one (severity warning): one line per code. */
function printWarningCodes(dbPath: string, runId: number): void {
  let lines: string[];
  try {
    const db = openCase(dbPath, { readonly: true });
    try {
      lines = warningCodeLines(summarizeWarnings(db, { runId, severity: 'warning' }), dbPath);
    } finally {
      db.close();
    }
  } catch (err) {
    lines = [`warning: could not read this run's warnings back (${escapeControl((err as Error).message)}); list them: trailhound warnings --db <case>`];
  }
  for (const l of lines) process.stderr.write(`${l}\n`);
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'ingest <paths..>',
    describe: 'Read CloudTrail evidence (bucket copies, digests, lookup-events JSON, console CSV/JSON, NDJSON) into a case file',
    builder: (y) =>
      y
        .positional('paths', { type: 'string', array: true, demandOption: true, default: undefined, defaultDescription: '', describe: 'Evidence files or directories (read-only; never modified)' })
        .option('db', { type: 'string', demandOption: true, describe: 'Case file to create or add to' })
        .options({
          ...outputOptions,
          format: { ...outputOptions.format, describe: 'The ingest summary on stdout: json (docs/json-output.md#ingest), jsonl (one line), csv or md (key,value rows); table (default): a human summary on stderr' },
        })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress display, no problem lines and no per-code warning lines' })
        .option('embed', { type: 'boolean', default: true, describe: 'Keep the evidence bytes inside the case (--no-embed for very large cases)' })
        .option('workers', { type: 'number', describe: 'Parser threads (default: 2, or the number of cores if fewer; 0 = parse on the main thread)' })
        .option('max-decompressed', { type: 'string', default: '8GiB', describe: 'Cap on the decompressed size of one file (defuses gzip bombs)' })
        .option('stream-threshold', { type: 'string', default: '64MiB', describe: 'Files larger than this on disk are streamed in bounded memory' })
        .example('trailhound ingest ./evidence --db case.db', 'Ingest a bucket copy and exports')
        .epilog('Exit codes: 0 everything ingested; 4 finished but files or records were skipped (each listed); 1 fatal; 2 usage.') as never,
    handler: async (argv) => {
      const out = readOutput(argv);
      const maxDecompressed = parseSize(argv['max-decompressed'] ?? DEFAULTS.maxDecompressed, 'max-decompressed');
      const streamThreshold = parseSize(argv['stream-threshold'] ?? DEFAULTS.streamThreshold, 'stream-threshold');
      if (argv.workers !== undefined && (!Number.isInteger(argv.workers) || argv.workers < 0)) throw new UsageError('--workers must be a whole number ≥ 0');
      const showProgress = !argv.quiet && process.stderr.isTTY === true;
      let bar: cliProgress.SingleBar | null = null;
      const update = (p: IngestProgress): void => {
        if (!showProgress) return;
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { format: ' {bar} {value}/{total} files | {events} events | {mbps} MB/s | ETA {eta_formatted}', stream: process.stderr, hideCursor: true, etaBuffer: 50 },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.filesTotal, 0, { events: 0, mbps: '0.0' });
        }
        const secs = Math.max(0.001, p.elapsedMs / 1000);
        bar.update(p.filesDone, { events: p.eventsAdded, mbps: (p.bytesDone / 1e6 / secs).toFixed(1) });
      };
      const summary = await runIngest({
        dbPath: argv.db,
        paths: argv.paths,
        workers: argv.workers,
        embed: argv.embed,
        maxDecompressed,
        streamThreshold,
        onProgress: update,
        onProblem: (p) => {
          if (argv.quiet || p.severity !== 'error') return;
          (bar as cliProgress.SingleBar | null)?.stop();
          bar = null;
          const where = p.recordIndex !== null ? `${p.file} [record ${p.recordIndex}]` : p.file;
          process.stderr.write(`[!] ${escapeControl(where)}: ${escapeControl(p.message)}\n`);
        },
      });
      (bar as cliProgress.SingleBar | null)?.stop();
      if (!argv.quiet && summary.warnings > 0) printWarningCodes(argv.db, summary.runId);
      if (out.format !== 'table') {
        process.stdout.write(renderDocument(summary, out.format, { excel: out.excel }));
      } else if (!argv.quiet) {
        if (summary.discardedBuild) process.stderr.write(`note: ${escapeControl(summary.discardedBuild)}, left by an interrupted first ingest, was discarded; this run built the case anew\n`);
        const kinds = Object.entries(summary.files.byKind).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
        process.stderr.write(
          `ingested ${summary.files.total} files (${kinds}; ${summary.files.alreadyInCase} already in the case) in ${summary.seconds.toFixed(1)} s: ` +
            `${summary.eventsAdded} new events, ${summary.duplicateOccurrences} duplicate deliveries, ${summary.conflicts} conflicts, ${summary.warnings} warnings → ${argv.db}\n`,
        );
        if (!summary.complete) process.stderr.write(`incomplete: ${summary.files.skipped} files skipped, ${summary.files.failed} failed, ${summary.recordsSkipped} records skipped (listed above)\n`);
      }
      ctx.exitCode = summary.complete ? EXIT.ok : EXIT.incomplete;
    },
  };
}
