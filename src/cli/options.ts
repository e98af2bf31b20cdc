// Option sets shared by every command that reads a case and lists events (sqlite-utils `output_options` style).
// Each set is typed data; commands spread the sets they need into `builder`, then call the readers below
// (readTimeRange, listOption, readScope) to turn raw argv values into checked values.

import type { Options } from 'yargs';
import { FILTER_OPTIONS } from '../index/filter-spec.js';
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

/** Filters of the filter specification (index/filter-spec.ts) as yargs options, in the order given. */
export function filterOptions<N extends string>(names: readonly N[]): Record<N, Options> {
  const out = {} as Record<N, Options>;
  for (const name of names) {
    const o = FILTER_OPTIONS.find((x) => x.name === name);
    if (!o) throw new Error(`no filter ${name} in FILTER_OPTIONS`);
    if (o.kind === 'list') out[name] = { type: 'string', array: true, requiresArg: true, describe: o.describe };
    else if (o.kind === 'optional-list') out[name] = { type: 'string', array: true, describe: o.describe };
    else if (o.kind === 'choice') out[name] = { type: 'string', choices: [...(o.choices ?? [])], requiresArg: true, describe: o.describe };
    else out[name] = { type: 'string', requiresArg: true, describe: o.describe };
  }
  return out;
}

/** --start-time / --end-time / --tz. */
export const timeRangeOptions = {
  ...filterOptions(['start-time', 'end-time'] as const),
  tz: {
    type: 'string',
    default: 'UTC',
    describe: 'Zone for times written without one, and for times shown in tables: UTC, local, an IANA name (Asia/Seoul) or +09:00',
    requiresArg: true,
  },
} as const satisfies Record<string, Options>;

/** --account / --region: repeatable or comma-separated. */
export const scopeOptions = filterOptions(['account', 'region'] as const);

/** Repeated `--param name=value` options as a map (split at the first `=`); `form` names the expected form in errors. */
export function readParams(list: readonly string[] | undefined, form = 'name=value'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param: "${p}" is not ${form}`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}
