// trailhound lookup-events --db case.db [aws cloudtrail lookup-events options]
// A drop-in for `aws cloudtrail lookup-events` over exported evidence: runbooks run verbatim with
// `aws cloudtrail` replaced by `trailhound` (plus --db). Differences: docs/lookup-events.md.

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { UsageError } from '../../model/errors.js';
import { dbOptions } from '../options.js';
import { readScope, readTimeRange, readTrust, readTz } from '../../index/filter-spec.js';
import { openCase } from '../../index/open.js';
import { caseCoverage } from '../../index/query-coverage.js';
import { describeCoverage } from '../../report/coverage.js';
import { isoUtc } from '../../model/time.js';
import { escapeControl } from '../../model/escape.js';
import { TRUST_LABELS } from '../../model/integrity.js';
import { LOOKUP_ATTRIBUTE_KEYS, parseLookupAttributes, type LookupAttribute } from '../../scenarios/lookup-attributes.js';
import { lookupEvents } from '../../scenarios/lookup-query.js';
import { awsLookupResponse } from '../../report/aws-cli-events.js';
import { compileQuery } from '../../report/aws-cli-query.js';
import { formatAwsOutput, type AwsOutput } from '../../report/aws-cli-format.js';

interface Args {
  db: string;
  'lookup-attributes'?: string[];
  'start-time'?: string;
  'end-time'?: string;
  'event-category'?: string;
  'max-results'?: number;
  'max-items'?: number;
  'starting-token'?: string;
  'page-size'?: number;
  paginate?: boolean;
  query?: string;
  output: string;
  region?: string;
  account?: string[];
  trust?: string[];
  'management-only': boolean;
  strict: boolean;
  tz: string;
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'lookup-events',
    describe: 'aws cloudtrail lookup-events over the case: same flags, same output (several --lookup-attributes mean AND)',
    builder: (y) =>
      y
        .options(dbOptions)
        .option('lookup-attributes', {
          type: 'string',
          array: true,
          requiresArg: true,
          describe: `AttributeKey=<key>,AttributeValue=<value> (or JSON), key one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}. AWS allows only one; here several may be given and all must match (AND)`,
        })
        .option('start-time', { type: 'string', requiresArg: true, describe: 'Events at or after this time, as aws-cli reads it: 2025-02-1T00:00:00Z, 2025-02-01, epoch seconds; also 36h, 7d' })
        .option('end-time', { type: 'string', requiresArg: true, describe: 'Events at or before this time (same formats; a bare date is its midnight, as in aws-cli)' })
        .option('region', { type: 'string', requiresArg: true, describe: 'Only events whose awsRegion is this (Event history is per region); without it, every region in the case' })
        .option('account', { type: 'string', array: true, requiresArg: true, describe: 'Only events recorded for these accounts (recipientAccountId). Not in aws-cli: Event history is per account, a case may hold several' })
        .option('trust', { type: 'string', array: true, requiresArg: true, describe: `Not in aws-cli: only events with this integrity label from trailhound verify (${TRUST_LABELS.join(', ')})` })
        .option('event-category', { type: 'string', choices: ['insight'], requiresArg: true, describe: 'insight: only Insights events (as aws-cli)' })
        .option('max-results', { type: 'number', requiresArg: true, describe: 'Return one page of this many events (1-50) and a NextToken, as aws-cli does (it turns auto-pagination off)' })
        .option('max-items', { type: 'number', requiresArg: true, describe: 'At most this many events; a NextToken follows when more match' })
        .option('starting-token', { type: 'string', requiresArg: true, describe: 'Continue from the NextToken of a previous --max-items run' })
        .option('query', { type: 'string', requiresArg: true, describe: 'JMESPath applied to the output, as aws-cli (`EC2` literals read as strings, like aws-cli)' })
        .option('output', { type: 'string', choices: ['json', 'text', 'table'], default: 'json', describe: 'aws-cli output format' })
        .option('management-only', { type: 'boolean', default: false, describe: "Only management events, Event history's scope (by default data events are included)" })
        .option('strict', { type: 'boolean', default: false, describe: "Only AWS's Event members: drop the extras SourceIPAddress, AwsRegion, ErrorCode, RecipientAccountId" })
        .option('tz', { type: 'string', default: 'UTC', describe: 'Zone for EventTime and for times written without a zone (aws-cli uses the machine zone)' })
        // aws-cli options accepted and ignored: nothing here talks to AWS.
        .option('profile', { type: 'string', requiresArg: true, describe: 'Ignored (no AWS access)' })
        .option('paginate', { type: 'boolean', default: true, describe: '--no-paginate: only the first page (50 events) and a NextToken, as aws-cli' })
        .option('color', { type: 'string', requiresArg: true, describe: 'Ignored' })
        .option('cli-read-timeout', { type: 'number', requiresArg: true, describe: 'Ignored' })
        .option('cli-connect-timeout', { type: 'number', requiresArg: true, describe: 'Ignored' })
        .option('cli-pager', { type: 'boolean', describe: 'Ignored (--no-cli-pager accepted)' })
        .option('page-size', { type: 'number', requiresArg: true, describe: 'Events per page (default 50), as aws-cli: --output text applies --query to each page' })
        .example(
          'trailhound lookup-events --db case.db --region us-east-1 --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=AKIAXXXXXXXXXXXXXXXX',
          'A key\'s activity, as the runbook writes it',
        )
        .example(
          "trailhound lookup-events --db case.db --lookup-attributes AttributeKey=ResourceName,AttributeValue=i-1234567890abcdef0 --query 'Events[*].{EventName:EventName,EventTime:EventTime,Username:Username}'",
          'Who touched an instance',
        ) as never,
    handler: (argv) => {
      const attributes: LookupAttribute[] = [];
      const queryFn = argv.query !== undefined ? wrap(() => compileQuery(argv.query!), '--query') : null;
      for (const raw of argv['lookup-attributes'] ?? []) attributes.push(...wrap(() => parseLookupAttributes(raw), '--lookup-attributes'));
      if (argv['max-results'] !== undefined && (!Number.isInteger(argv['max-results']) || argv['max-results'] < 1 || argv['max-results'] > 50)) {
        throw new UsageError(`--max-results: ${argv['max-results']} is out of range; AWS allows 1 to 50`);
      }
      if (argv['max-items'] !== undefined && (!Number.isInteger(argv['max-items']) || argv['max-items'] < 1)) {
        throw new UsageError(`--max-items: ${argv['max-items']} must be a whole number ≥ 1`);
      }
      if (argv['page-size'] !== undefined && (!Number.isInteger(argv['page-size']) || argv['page-size'] < 1)) {
        throw new UsageError(`--page-size: ${argv['page-size']} must be a whole number ≥ 1`);
      }
      // aws-cli turns auto-pagination off when --max-results (the operation's own limit) or --no-paginate is given:
      // one page, its NextToken printed, and --query applied once.
      const paginated = argv.paginate !== false && argv['max-results'] === undefined;
      if (!paginated) {
        const used = (['starting-token', 'page-size', 'max-items'] as const).filter((k) => argv[k] !== undefined).map((k) => `--${k}`);
        if (used.length) throw new UsageError(`Cannot specify --no-paginate along with pagination arguments: ${used.join(', ')} (aws-cli's rule: --max-results and --no-paginate turn pagination off)`);
      }
      const tz = readTz(argv.tz);
      const trust = readTrust(argv.trust);
      // aws-cli reads a bare date as its midnight, also for --end-time.
      const range = readTimeRange(argv, { dateEndIsEndOfDay: false });
      const db = openCase(argv.db, { readonly: true });
      try {
        const result = wrap(() =>
          lookupEvents(db, {
            attributes,
            startMs: range.startMs,
            endMs: range.endMs,
            region: argv.region ?? null,
            accounts: readScope({ account: argv.account }).accounts,
            managementOnly: argv['management-only'],
            insightOnly: argv['event-category'] === 'insight',
            maxItems: paginated ? (argv['max-items'] ?? null) : (argv['max-results'] ?? 50),
            startingToken: argv['starting-token'] ?? null,
            trust,
          }),
        );
        const output = awsLookupResponse(result, { strict: argv.strict, tz });
        // As aws-cli: json and table apply --query to the whole result, text to each page of --page-size (50) events;
        // tables are as wide as the terminal allows (80 when stdout is not one).
        // Text is written page by page: a --query failing on a later page leaves the earlier ones printed, as in aws-cli.
        const text = wrap(
          () =>
            formatAwsOutput(output, argv.output as AwsOutput, {
              query: queryFn,
              pageSize: argv['page-size'] ?? 50,
              paginated,
              terminalWidth: process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80,
              write: (chunk) => process.stdout.write(chunk),
            }),
          '--query',
        );
        process.stdout.write(text);
        if (result.contradictory) process.stderr.write(`trailhound: no event can match: ${escapeControl(result.contradictory)}\n`);
        if (result.otherRegions.size > 0) {
          const n = [...result.otherRegions.values()].reduce((a, b) => a + b, 0);
          const where = [...result.otherRegions].sort((a, b) => b[1] - a[1]).map(([r, c]) => `${r} (${c})`).join(', ');
          process.stderr.write(
            `trailhound: note: ${n} more matching event${n === 1 ? '' : 's'} in other regions: ${escapeControl(where)}. Event history is per region; ` +
              `run again with --region ${escapeControl([...result.otherRegions.keys()][0])}, or without --region for all. (IAM and other global services are recorded in us-east-1.)\n`,
          );
        }
        if (result.accounts.size > 1 && !(argv.account && argv.account.length)) {
          const list = [...result.accounts].sort((a, b) => b[1] - a[1]).map(([a, c]) => `${a} (${c})`).join(', ');
          process.stderr.write(
            `trailhound: note: the events returned come from ${result.accounts.size} accounts: ${escapeControl(list)}. Event history shows one account; add --account <id> to match it.\n`,
          );
        }
        if (output.Events.length === 0 && !result.contradictory) {
          process.stderr.write(`trailhound: no events match; ${escapeControl(describeCoverage(caseCoverage(db), isoUtc))}\n`);
        }
      } finally {
        db.close();
      }
      void ctx;
    },
  };
}

/**
 * Run a step that reads the value of `option`: a stack overflow (JSON or an expression nested tens of thousands
 * deep) is a usage error naming that option, never a fatal one. Input errors carry their exit code already.
 */
function wrap<T>(fn: () => T, option?: string): T {
  try {
    return fn();
  } catch (err) {
    if (option && err instanceof RangeError) throw new UsageError(`${option}: the value is nested too deeply to process (${err.message}); simplify it`);
    throw err;
  }
}
