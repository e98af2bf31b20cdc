// Option sets shared by every command that reads a case and lists events (sqlite-utils `output_options` style).
// Each set is typed data; commands spread the sets they need into `builder`, then call the readers below
// (readTimeRange, listOption, readScope) to turn raw argv values into checked values.

import type { Options } from 'yargs';
import { checkTimeZone, parseTime, TimeFormatError } from '../model/time.js';
import { UsageError } from './exit-codes.js';

/** --db: the case file. */
export const dbOptions = {
  db: { type: 'string', demandOption: true, describe: 'Case file to read (made by trailhound ingest)', requiresArg: true },
} as const satisfies Record<string, Options>;

export const EVENT_FORMATS = ['table', 'json', 'jsonl', 'csv', 'md'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

/** --format and --fields, for commands that list events (renderers in src/report/). */
export const formatOptions = {
  format: {
    type: 'string',
    choices: EVENT_FORMATS as unknown as string[],
    default: 'table',
    describe: 'Output format: table (fits the terminal), json, jsonl (one object a line), csv (spreadsheet-safe), md',
    requiresArg: true,
  },
  fields: {
    type: 'string',
    describe: 'Comma-separated columns to show, in order (see docs/output-formats.md for the names)',
    requiresArg: true,
  },
} as const satisfies Record<string, Options>;

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
    try {
      return parseTime(String(value), { now: options.now, tz, dateIsEndOfDay: end && (options.dateEndIsEndOfDay ?? true) });
    } catch (err) {
      if (err instanceof TimeFormatError) throw new UsageError(`--${name}: ${err.message}`);
      throw err;
    }
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
