// trailhound search --db case.db [filters] [--format table|json|jsonl|csv|md] [--fields ...] [--limit N] [--order newest|oldest]
// Console-style Event history filters, all combinable: AND across filters, OR within a repeated or comma-separated one.

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { UsageError } from '../../model/errors.js';
import { dbOptions, effectiveLimit, filterOptions, formatOptions, limitOption, readOutput, scopeOptions, timeRangeOptions } from '../options.js';
import { FILTER_OPTIONS, listOption, readFilter, readTimeRange, readTz } from '../../index/filter-spec.js';
import { openCase } from '../../index/open.js';
import { searchEvents, type EventFilter } from '../../index/search.js';
import { caseCoverage } from '../../index/query-coverage.js';
import { describeCoverage } from '../../report/coverage.js';
import { isoUtc } from '../../model/time.js';
import { renderEvents, unknownFields, needsBodies, EVENT_FIELD_NAMES, FIELD_ALIASES } from '../../report/events.js';
import { readEventBody } from '../../index/bodies.js';
import { escapeControl } from '../../model/escape.js';
import { trustForEvents } from '../../index/trust.js';
import type { Db } from '../../index/open.js';
import { expandEventSource } from '../../index/search.js';
import { describeSuggestion, suggestFilterValues, type SuggestOption } from '../../index/suggest.js';

/** --limit's default for a table or md on a terminal (exports are not capped). */
const SEARCH_DEFAULT_LIMIT = 200;

/** search's filter options: the filter specification's, but for time range and scope (shared with other commands). */
export const searchFilterOptions = filterOptions(FILTER_OPTIONS.map((o) => o.name).filter((n) => !['start-time', 'end-time', 'account', 'region'].includes(n)));

interface Args {
  db: string;
  format?: string;
  json?: boolean;
  excel?: boolean;
  fields?: string;
  limit?: number;
  order: 'newest' | 'oldest';
  width?: number;
  tz: string;
  'start-time'?: string;
  'end-time'?: string;
  account?: string[];
  region?: string[];
  'event-name'?: string[];
  'event-source'?: string[];
  user?: string[];
  'access-key'?: string[];
  'event-id'?: string[];
  'request-id'?: string[];
  'resource-type'?: string[];
  'resource-name'?: string[];
  'read-only'?: string;
  'source-ip'?: string[];
  'principal-arn'?: string[];
  'user-agent'?: string[];
  error?: string[];
  category?: string[];
  text?: string[];
  trust?: string[];
  'relative-to'?: 'now' | 'case-end';
}

/** Turn search options into a filter (the filter specification's reader). */
export function readSearchFilter(argv: Partial<Args>, now?: number): EventFilter {
  return readFilter(argv, { now });
}

/** Whether --start-time or --end-time is relative (7d, 36h, now): its value depends on the clock. */
function relativeTimeGiven(argv: Partial<Args>): boolean {
  const a = readTimeRange(argv, { now: 0 });
  const b = readTimeRange(argv, { now: 1e12 });
  return a.startMs !== b.startMs || a.endMs !== b.endMs;
}

/** The latest event time in the case (what --relative-to case-end counts from), or null for an empty case. */
function caseEnd(db: Db): number | null {
  return db.prepare('SELECT max(event_time) FROM events').pluck().get() as number | null;
}

/**
 * What to say when nothing matched: the closest values the case holds for names it does not (event names and
 * sources ignoring case), a note when a relative time counted from a clock the case ends long before, then coverage.
 */
function noMatchLines(db: Db, argv: Partial<Args>, filter: EventFilter, now: number): string[] {
  const given: Partial<Record<SuggestOption, string[]>> = {
    'event-name': filter.eventNames,
    'event-source': filter.eventSources,
    user: filter.users,
    region: filter.regions,
  };
  const lower = (xs: readonly string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));
  const suggestions = suggestFilterValues(db, given, (option, value, known) => {
    if (option === 'event-name') return lower(known).has(value.toLowerCase());
    if (option === 'event-source') {
      const k = lower(known);
      return k.has(value.toLowerCase()) || k.has(expandEventSource(value).toLowerCase());
    }
    return known.includes(value);
  });
  const hints = suggestions.map(describeSuggestion).filter((x): x is string => x !== null);
  const coverage = describeCoverage(caseCoverage(db), isoUtc);
  const lines = hints.length ? [`no events match; ${hints[0]}`, ...hints.slice(1), coverage] : [`no events match; ${coverage}`];
  if ((argv['relative-to'] ?? 'now') === 'now' && relativeTimeGiven(argv)) {
    const end = caseEnd(db);
    const first = db.prepare('SELECT min(event_time) FROM events').pluck().get() as number | null;
    if (end !== null) {
      const which = ['start-time', 'end-time'].filter((k) => argv[k as 'start-time'] !== undefined && relativeTimeGiven({ [k]: argv[k as 'start-time'], tz: argv.tz })).map((k) => `--${k} ${String(argv[k as 'start-time'])}`);
      lines.push(
        `note: ${which.join(' and ')} counts back from this machine's clock (${isoUtc(Math.floor(now / 1000) * 1000)}), but the case's events run from ${isoUtc(first)} to ${isoUtc(end)}; ` +
          `to count back from the case's last event, add --relative-to case-end`,
      );
    }
  }
  return lines;
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'search',
    describe: 'Find events with Event history filters, all combinable (AND across filters, OR within one); newest first',
    builder: (y) =>
      y
        .options(dbOptions)
        .options(searchFilterOptions)
        .options(timeRangeOptions)
        .options(scopeOptions)
        .options(formatOptions)
        .option('limit', limitOption(SEARCH_DEFAULT_LIMIT, 'events'))
        .option('order', { type: 'string', choices: ['newest', 'oldest'], default: 'newest', describe: 'Newest first (like the console) or oldest first' })
        .option('relative-to', { type: 'string', choices: ['now', 'case-end'], default: 'now', requiresArg: true, describe: "What relative times (7d, 36h, now) count back from: this machine's clock, or the case's last event" })
        .example('trailhound search --db case.db --access-key AKIAXXXXXXXXXXXXXXXX --start-time 7d', 'What a key did in the last week')
        .example('trailhound search --db case.db --event-name StopInstances,TerminateInstances --resource-name i-1234567890abcdef0', 'Who stopped an instance')
        .example('trailhound search --db case.db --event-source iam.amazonaws.com --error --format csv > iam-failures.csv', 'Failed IAM calls as CSV (every match: exports are not capped)')
        .example('trailhound search --db case.db --event-name PutBucketPolicy --fields eventTime,eventId,requestParameters.bucketName,requestParameters.policy --format csv --excel > policies.csv', 'Request parameters as columns, for Excel') as never,
    handler: (argv) => {
      const now = Date.now();
      let filter = readSearchFilter(argv, now);
      const tz = readTz(argv.tz);
      const out = readOutput(argv);
      const fields = argv.fields ? listOption(argv.fields) : undefined;
      if (fields) {
        const bad = unknownFields(fields, [{ name: 'trust', header: 'Trust', values: new Map() }]);
        if (bad.length) {
          throw new UsageError(
            `--fields: unknown field ${bad.map((b) => `"${b}"`).join(', ')}; known fields: ${[...EVENT_FIELD_NAMES, 'trust'].join(', ')}; ` +
              `aliases: ${Object.entries(FIELD_ALIASES).map(([a, c]) => `${a} (${c})`).join(', ')}; or requestParameters[.path], responseElements[.path], additionalEventData[.path]`,
          );
        }
      }
      const limit = effectiveLimit(argv.limit, SEARCH_DEFAULT_LIMIT, out);
      const db = openCase(argv.db, { readonly: true });
      try {
        if (argv['relative-to'] === 'case-end') filter = readSearchFilter(argv, caseEnd(db) ?? now);
        const result = searchEvents(db, filter, { limit, order: argv.order });
        const trust = trustForEvents(db, result.rows.map((r) => r.id));
        const extra = [{ name: 'trust', header: 'Trust', values: trust }];
        const bodyOf = needsBodies(fields) ? (r: { id: number }) => readEventBody(db, r.id)?.record ?? null : undefined;
        if (result.rows.length > 0 || out.format !== 'table') {
          process.stdout.write(
            renderEvents(result.rows, {
              format: out.format,
              fields,
              width: out.width,
              tz,
              extra,
              meta: { truncated: result.truncated },
              bodyOf,
              excel: out.excel,
              truncatedAt: result.truncated && limit !== null ? limit : null,
            }),
          );
        }
        if (result.rows.length === 0) {
          for (const line of noMatchLines(db, argv, filter, now)) process.stderr.write(`trailhound: ${escapeControl(line)}\n`);
        } else if (result.truncated) {
          process.stderr.write(`trailhound: showing the first ${result.rows.length} matching events; more match (raise --limit, or --limit 0 for all)\n`);
        }
      } finally {
        db.close();
      }
      void ctx;
    },
  };
}
