// trailhound verify <evidence-path>... : offline CloudTrail digest-chain verification (docs/integrity.md).
// Exit: 0 everything in range proven; 3 integrity failure; 5 gaps in assurance; 1 fatal; 2 usage.

import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { UsageError } from '../../model/errors.js';
import { outputOptions, readOutput, scopeOptions, timeRangeOptions } from '../options.js';
import { listOption, readScope, readTimeRange, readTz } from '../../index/filter-spec.js';
import { renderDocument } from '../../report/record.js';
import { isoUtcSeconds, parseTime } from '../../model/time.js';
import { openCase } from '../../index/open.js';
import type { Db } from '../../index/open.js';
import type { IntegrityInputChoice } from '../../index/integrity-store.js';
import { chooseIntegrityInputs, ingestedRoots, loadKnownHashes, saveVerifyRun } from '../../index/integrity-store.js';
import { verify } from '../../integrity/verifier.js';
import { renderAwsCli, renderText } from '../../integrity/report.js';
import { renderJson } from '../../report/json.js';
import { escapeControl } from '../../model/escape.js';
import { VERSION } from '../../version.js';

interface Args {
  evidence?: string[];
  db?: string;
  'public-keys'?: string[];
  'digest-metadata'?: string[];
  bucket?: string;
  'start-time'?: string;
  'end-time'?: string;
  tz?: string;
  account?: string[];
  region?: string[];
  'expected-end'?: string;
  format?: string;
  json?: boolean;
  excel?: boolean;
  width?: number;
  'aws-cli-format': boolean;
  verbose: boolean;
  rehash: boolean;
  'check-files': boolean;
  'recorded-inputs': boolean;
  workers?: number;
}

/** One stderr line naming the recorded files used, or null when none. */
function recordedNote(recorded: IntegrityInputChoice['recorded']): string | null {
  const parts = [
    recorded.publicKeys.length ? `public keys ${recorded.publicKeys.join(', ')}` : null,
    recorded.digestMetadata.length ? `digest metadata ${recorded.digestMetadata.join(', ')}` : null,
  ].filter((p) => p !== null);
  if (parts.length === 0) return null;
  return escapeControl(`trailhound: using the inputs recorded at ingest (--no-recorded-inputs: do not): ${parts.join('; ')}`);
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'verify [evidence..]',
    describe: 'Verify CloudTrail digest chains offline from a bucket copy; label every log file and event proven / provisional / unverified',
    builder: (y) =>
      y
        .positional('evidence', { type: 'string', array: true, describe: 'Bucket copies: folders holding AWSLogs/… (or <bucket>/AWSLogs/…). With --db and none given: the roots ingested into the case' })
        .option('db', { type: 'string', requiresArg: true, describe: 'Case file: store the results and event trust labels, and reuse the hashes recorded at ingest' })
        .option('public-keys', { type: 'string', array: true, requiresArg: true, describe: 'Saved `aws cloudtrail list-public-keys` output; repeat per region. FILE, or REGION=FILE (the region is otherwise read from the file name)' })
        .option('digest-metadata', { type: 'string', array: true, requiresArg: true, describe: 'Saved digest signatures (S3 metadata): head-object JSON, a {Bucket,Key,Metadata} manifest (JSON/JSONL), header dumps, or a {"<key>": {"signature": …}} map; FILE or DIR, repeatable' })
        .option('recorded-inputs', {
          type: 'boolean',
          default: true,
          describe: 'With --db and no --public-keys (--digest-metadata): use the key lists (digest metadata) ingested into the case, if their bytes are unchanged; --no-recorded-inputs: do not',
        })
        .option('bucket', { type: 'string', requiresArg: true, describe: 'Bucket name of the evidence folders (each is the top of that bucket); default: learned from the digests' })
        .options({
          ...timeRangeOptions,
          'start-time': { ...timeRangeOptions['start-time'], describe: 'Report digests whose window ends at or after this time, and logs delivered from then (same formats as search)' },
          'end-time': { ...timeRangeOptions['end-time'], describe: 'Report digests whose window starts at or before this time, and logs delivered until then' },
        })
        .options({
          account: { ...scopeOptions.account, describe: 'Only the chains of these account IDs (the member account for organization trails); repeat or comma-separate' },
          region: { ...scopeOptions.region, describe: 'Only the chains of these delivering regions; repeat or comma-separate' },
        })
        .option('expected-end', { type: 'string', requiresArg: true, describe: 'When the newest digest should end (collection time): a chain ending more than 1 h earlier is tail_uncovered' })
        .options({
          ...outputOptions,
          format: { ...outputOptions.format, describe: 'table (default): the text report; json: the full report (docs/integrity.md#json); jsonl: the same on one line; csv, md: the summary as key,value rows' },
        })
        .option('aws-cli-format', { type: 'boolean', default: false, describe: "Lines as `aws cloudtrail validate-logs` prints them, for the statuses it has" })
        .option('verbose', { type: 'boolean', default: false, describe: 'With --aws-cli-format: also print the valid files' })
        .option('rehash', { type: 'boolean', default: false, describe: 'With --db: decompress and hash every log again instead of reusing the hashes recorded at ingest' })
        .option('check-files', { type: 'boolean', default: false, describe: 'With --db: reuse a recorded hash only when the file bytes still have the SHA-256 recorded at ingest (reads every file; default: same size)' })
        .option('workers', { type: 'number', requiresArg: true, describe: 'Hash worker threads (default: one per core; 0: in-process)' })
        .example('$0 verify ./evidence/my-trail-bucket --public-keys us-east-1=keys.json --digest-metadata heads.json', 'Verify a bucket copy')
        .example('$0 verify ./evidence --db case.db --public-keys keys-us-east-1.json', 'Store results and trust labels in the case')
        .example('$0 verify --db case.db', 'Verify the ingested evidence with the key lists and digest metadata ingested with it') as never,
    handler: async (argv) => {
      const started = new Date();
      const out = readOutput(argv);
      if (out.format !== 'table' && argv['aws-cli-format']) throw new UsageError(`${argv.json ? '--json' : `--format ${out.format}`} and --aws-cli-format cannot be combined: choose one output format`);
      const range = readTimeRange(argv);
      if (range.startMs !== null && range.endMs !== null && range.startMs > range.endMs) {
        throw new UsageError('--start-time must be before --end-time');
      }
      const scope = readScope(argv);
      let expectedEnd: number | null = null;
      if (argv['expected-end'] !== undefined) {
        expectedEnd = parseTime(String(argv['expected-end']), { tz: readTz(argv.tz), option: '--expected-end' });
      }
      if (argv.workers !== undefined && (!Number.isInteger(argv.workers) || argv.workers < 0 || argv.workers > 64)) {
        throw new UsageError('--workers: give a whole number from 0 to 64');
      }
      if ((argv.rehash || argv['check-files']) && !argv.db) throw new UsageError(`--${argv.rehash ? 'rehash' : 'check-files'} needs --db (without a case every file is hashed anyway)`);
      if (!argv['recorded-inputs'] && !argv.db) throw new UsageError('--no-recorded-inputs needs --db (without a case nothing was recorded)');
      let evidence = listOption(argv.evidence);
      let db: Db | null = null;
      try {
        if (argv.db) {
          if (!fs.existsSync(argv.db)) throw new UsageError(`--db: case file ${argv.db} does not exist; create it with trailhound ingest, or verify without --db`);
          db = openCase(argv.db);
          if (evidence.length === 0) evidence = ingestedRoots(db);
        }
        if (evidence.length === 0) {
          throw new UsageError('name at least one evidence folder (a bucket copy holding AWSLogs/…), or give --db with a case that has ingested one');
        }
        const known = db && !argv.rehash ? loadKnownHashes(db) : null;
        const inputs = chooseIntegrityInputs(db, { publicKeys: listOption(argv['public-keys']), digestMetadata: listOption(argv['digest-metadata']) }, argv['recorded-inputs']);
        const note = recordedNote(inputs.recorded);
        if (note) process.stderr.write(`${note}\n`);
        const report = await verify({
          evidence,
          bucket: argv.bucket ?? null,
          publicKeys: inputs.publicKeys,
          digestMetadata: inputs.digestMetadata,
          inputWarnings: inputs.warnings,
          startTime: range.startMs,
          endTime: range.endMs,
          expectedEnd,
          accounts: scope.accounts,
          regions: scope.regions,
          workers: argv.workers,
          knownHashes: known ? (p) => known.get(p) : undefined,
          checkFileBytes: argv['check-files'],
          now: started,
          toolVersion: VERSION,
        });
        for (const w of report.warnings) process.stderr.write(`trailhound: warning: ${escapeControl(w.file)}: ${escapeControl(w.message)}\n`);
        if (db) {
          const runId = saveVerifyRun(db, report, { args: process.argv.slice(2), toolVersion: VERSION, startedAt: isoUtcSeconds(started.getTime()) });
          process.stderr.write(`trailhound: stored verify run ${runId} in ${escapeControl(String(argv.db))}\n`);
        }
        if (out.format === 'json') process.stdout.write(renderJson(report));
        else if (out.format !== 'table') process.stdout.write(renderDocument(report, out.format, { excel: out.excel, rows: { summary: report.summary, trustNotice: report.trustNotice } }));
        else if (argv['aws-cli-format']) {
          const { stdout, stderr } = renderAwsCli(report, { verbose: argv.verbose });
          process.stderr.write(stderr);
          process.stdout.write(stdout);
        } else process.stdout.write(renderText(report));
        ctx.exitCode = report.summary.exitCode;
      } finally {
        db?.close();
      }
    },
  };
}
