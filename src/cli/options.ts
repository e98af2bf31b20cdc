// Option sets shared by every command that reads a case and lists events (sqlite-utils `output_options` style).
// Each set is typed data; commands spread the sets they need into `builder`, then call the readers below
// (readTimeRange, listOption, readScope) to turn raw argv values into checked values.

import type { Options } from 'yargs';
import { checkTimeZone, parseTime } from '../model/time.js';
import { UsageError } from '../model/errors.js';

/** --db: the case file. */
export const dbOptions = {
  db: { type: 'string', demandOption: true, describe: 'Case file to read (made by trailhound ingest)', requiresArg: true },
} as const satisfies Record<string, Options>;

/** The one output vocabulary of every command that prints data (docs/output-formats.md is the contract). */
export const OUTPUT_FORMATS = ['table', 'json', 'jsonl', 'csv', 'md'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** Kept for the commands that list events (same list). */
export const EVENT_FORMATS = OUTPUT_FORMATS;
export type EventFormat = OutputFormat;

/**
 * --format / --json / --excel / --width: the output options every data-printing command shares (sqlite-utils
 * `output_options`). `--json` is an alias of `--format json`. No yargs default for --format, so readOutput can tell
 * a format given from the default (table). Read them with readOutput().
 */
export const outputOptions = {
  format: {
    type: 'string',
    choices: OUTPUT_FORMATS as unknown as string[],
    describe: 'Output format: table (people; default), json, jsonl (one object a line), csv (spreadsheet-safe), md (docs/output-formats.md)',
    requiresArg: true,
  },
  json: { type: 'boolean', describe: 'Same as --format json' },
  excel: { type: 'boolean', describe: 'With --format csv: start with a UTF-8 byte-order mark (and CRLF line ends) so Excel opens it as UTF-8' },
  width: { type: 'number', requiresArg: true, describe: 'Table width (default: the terminal width; no limit when not a terminal)' },
} as const satisfies Record<string, Options>;

/** outputOptions plus --fields, for commands that list events. */
export const formatOptions = {
  ...outputOptions,
  fields: {
    type: 'string',
    describe: 'Comma-separated columns, in order: field names or aliases, or requestParameters[.path], responseElements[.path], additionalEventData[.path] (docs/output-formats.md#fields)',
    requiresArg: true,
  },
} as const satisfies Record<string, Options>;

/** The output options as checked values. */
export interface OutputChoice {
  format: OutputFormat;
  /** CSV with a BOM (--excel). */
  excel: boolean;
  /** Table width: --width, else the terminal's, else 0 (no limit). */
  width: number;
  /** stdout is a terminal. */
  tty: boolean;
}

/**
 * Read --format/--json/--excel/--width. `extraAliases` maps a command's legacy format names (show's `text`) to the
 * shared ones.
 */
export function readOutput(
  argv: { format?: unknown; json?: unknown; excel?: unknown; width?: unknown },
  extraAliases: Record<string, OutputFormat> = {},
): OutputChoice {
  let format: OutputFormat = 'table';
  if (argv.format !== undefined && argv.format !== null) {
    const raw = String(Array.isArray(argv.format) ? argv.format[argv.format.length - 1] : argv.format);
    const f = (OUTPUT_FORMATS as readonly string[]).includes(raw) ? (raw as OutputFormat) : extraAliases[raw];
    if (!f) throw new UsageError(`--format: unknown format "${raw}"; allowed: ${OUTPUT_FORMATS.join(', ')}`);
    format = f;
  }
  if (argv.json === true) {
    if (argv.format !== undefined && argv.format !== null && format !== 'json') throw new UsageError(`--json means --format json; it cannot be combined with --format ${format}`);
    format = 'json';
  }
  const excel = argv.excel === true;
  if (excel && format !== 'csv') throw new UsageError('--excel applies to CSV only: add --format csv');
  const tty = process.stdout.isTTY === true;
  let width = 0;
  if (argv.width !== undefined && argv.width !== null) {
    const w = Number(argv.width);
    if (!Number.isInteger(w) || w < 0) throw new UsageError(`--width: "${String(argv.width)}" is not a whole number ≥ 0 (0: no limit)`);
    width = w;
  } else if (tty) width = process.stdout.columns ?? 0;
  return { format, excel, width, tty };
}

/**
 * --limit for exports. `given` is the user's --limit (undefined when not given). The default cap applies only to
 * what a person reads on a terminal (table or md with stdout a TTY); anything piped or written to a file, and
 * json/jsonl/csv always, is exported whole unless --limit is given. Returns null for "all".
 */
export function effectiveLimit(given: unknown, defaultLimit: number, out: OutputChoice): number | null {
  if (given === undefined || given === null) {
    return out.tty && (out.format === 'table' || out.format === 'md') ? defaultLimit : null;
  }
  const n = Number(Array.isArray(given) ? given[given.length - 1] : given);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--limit: "${String(given)}" is not a whole number ≥ 0 (0 means all)`);
  return n === 0 ? null : n;
}

/** --limit with its documented default (for describe). */
export function limitOption(defaultLimit: number, what: string): Options {
  return {
    type: 'number',
    requiresArg: true,
    describe: `At most this many ${what} (0: all). Default: ${defaultLimit} for a table or md on a terminal; everything when piped, written to a file, or as json/jsonl/csv`,
  };
}

/** --start-time / --end-time / --tz. */
export const timeRangeOptions = {
  'start-time': {
    type: 'string',
    describe: 'Only events at or after this time: ISO 8601 (2025-02-01T00:00:00Z), a date (2025-02-01), epoch seconds, or relative (36h, 7d)',
    requiresArg: true,
  },
  'end-time': {
    type: 'string',
    describe: 'Only events at or before this time (same formats; a bare date means the end of that day)',
    requiresArg: true,
  },
  tz: {
    type: 'string',
    default: 'UTC',
    describe: 'Zone for times written without one, and for times shown in tables: UTC, local, an IANA name (Asia/Seoul) or +09:00',
    requiresArg: true,
  },
} as const satisfies Record<string, Options>;

/** --account / --region: repeatable or comma-separated. */
export const scopeOptions = {
  account: { type: 'string', array: true, describe: 'Only events recorded for these account IDs (recipientAccountId); repeat or comma-separate', requiresArg: true },
  region: { type: 'string', array: true, describe: 'Only events in these regions (awsRegion); repeat or comma-separate', requiresArg: true },
} as const satisfies Record<string, Options>;

export interface TimeRange {
  /** Inclusive lower bound, ms since epoch, or null. */
  startMs: number | null;
  /** Inclusive upper bound, ms since epoch, or null. */
  endMs: number | null;
}

/** Read --start-time/--end-time (and --tz) into a checked range. */
export function readTimeRange(
  argv: { 'start-time'?: unknown; 'end-time'?: unknown; tz?: unknown },
  options: { now?: number; dateEndIsEndOfDay?: boolean } = {},
): TimeRange {
  const tz = readTz(argv.tz);
  const one = (name: 'start-time' | 'end-time', end: boolean): number | null => {
    const raw = argv[name];
    if (raw === undefined || raw === null) return null;
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    return parseTime(String(value), { now: options.now, tz, dateIsEndOfDay: end && (options.dateEndIsEndOfDay ?? true), option: `--${name}` });
  };
  const startMs = one('start-time', false);
  const endMs = one('end-time', true);
  if (startMs !== null && endMs !== null && endMs < startMs) {
    throw new UsageError(
      `--end-time (${new Date(endMs).toISOString()}) is before --start-time (${new Date(startMs).toISOString()}); swap them or widen the range`,
    );
  }
  return { startMs, endMs };
}

export function readTz(raw: unknown): string {
  const tz = raw === undefined || raw === null ? 'UTC' : String(raw);
  const problem = checkTimeZone(tz);
  if (problem) throw new UsageError(`--tz: ${problem}`);
  return tz;
}

/** A repeatable, comma-separated option as a de-duplicated list of non-empty trimmed strings. */
export function listOption(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === false) return [];
  const values = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const v of values) {
    for (const part of String(v).split(',')) {
      const t = part.trim();
      if (t && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

/** --account / --region values, checked. */
export function readScope(argv: { account?: unknown; region?: unknown }): { accounts: string[]; regions: string[] } {
  const accounts = listOption(argv.account);
  for (const a of accounts) {
    if (!/^\d{12}$/.test(a)) throw new UsageError(`--account: "${a}" is not a 12-digit AWS account ID`);
  }
  return { accounts, regions: listOption(argv.region) };
}
