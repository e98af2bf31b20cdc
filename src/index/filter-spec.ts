// The event-filter language, specified once: every filter `search` takes (and the TUI's filter bar, and any command
// with the same filters) as typed data — its option name, the bar's short aliases, how its values are read, its help
// text and its docs row — and the one reader from option values to an EventFilter. The CLI turns the table into yargs
// options (cli/options.ts), the TUI into its bar's keys and help (tui/filter-text.ts), docs/search.md's table is
// checked against it (test/index/filter-spec.test.ts). Bad values are usage errors naming the option.

import { checkTimeZone, parseTime } from '../model/time.js';
import { UsageError } from '../model/errors.js';
import { TRUST_LABELS, type TrustLabel } from '../model/integrity.js';
import { checkIpSpec, EVENT_CATEGORIES, type EventCategoryName, type EventFilter } from './search.js';

/** How an option takes its values. */
export type FilterValueKind =
  /** Repeatable, comma-separated: any of them (OR). */
  | 'list'
  /** One value from `choices` (the last one given wins). */
  | 'choice'
  /** One time (the last one given wins). */
  | 'time'
  /** A list that may also be given alone (`--error`). */
  | 'optional-list';

export interface FilterOption {
  /** The option (`--event-name`) and the bar's key (`event-name:`). */
  name: string;
  /** Short keys the filter bar also accepts (`name:`). */
  aliases: readonly string[];
  kind: FilterValueKind;
  choices?: readonly string[];
  /** Help text (yargs `describe`, the TUI's help). */
  describe: string;
  /** What it matches (docs/search.md's table). */
  matches: string;
  /** The index that serves it (docs/search.md's table). */
  index: string;
  /** A value to show in help. */
  example: string;
  /** Only the filter bar has it (no CLI option). */
  barOnly?: boolean;
}

const list = (name: string, aliases: string[], describe: string, matches: string, index: string, example: string): FilterOption => ({ name, aliases, kind: 'list', describe, matches, index, example });

/** Every filter, in the order help lists them. */
export const FILTER_OPTIONS: readonly FilterOption[] = [
  list('event-name', ['name', 'event'], 'eventName, e.g. StopInstances (repeat or comma-separate for OR)', '`eventName`, ignoring case (`runinstances` finds `RunInstances`)', 'events_name (event_name, event_time)', 'StopInstances'),
  list('event-source', ['source', 'service'], 'eventSource, e.g. iam.amazonaws.com', '`eventSource`, ignoring case; a bare service name means `<name>.amazonaws.com` (`ec2`)', 'events_source', 'iam.amazonaws.com'),
  list('user', [], 'Event history "User name": IAM user name, role session name, root...', 'Event history\'s "User name" (IAM user name, role session name, `root`, …)', 'events_username', 'alice'),
  list('access-key', ['key'], 'userIdentity.accessKeyId (AKIA... / ASIA...)', '`userIdentity.accessKeyId`', 'events_key', 'AKIAIOSFODNN7EXAMPLE'),
  list('event-id', ['id'], 'eventID', '`eventID`', 'events_event_id', '0c6f1e0b-9a0c-4c59-8a6a-3b1e7c2d9f10'),
  list('resource-type', ['type'], 'Resource type as Event history shows it, e.g. AWS::EC2::Instance (docs/resources.md)', 'a resource of that type (docs/resources.md)', 'resources_type', 'AWS::EC2::Instance'),
  list('resource-name', ['resource'], 'Resource name, e.g. i-1234567890abcdef0, a bucket, a user name, an ARN', 'a resource of that name (instance id, bucket, user name, ARN…)', 'resources_name', 'i-1234567890abcdef0'),
  { name: 'read-only', aliases: [], kind: 'choice', choices: ['true', 'false'], describe: 'Only read-only (true) or only mutating (false) calls', matches: '`readOnly`', index: 'none (checked while walking another index)', example: 'false' },
  list('source-ip', ['ip'], 'sourceIPAddress: an address, a CIDR block (203.0.113.0/24), or a service name', '`sourceIPAddress`: an address, a CIDR block (`203.0.113.0/24`, IPv6 too), or a service name', 'events_ip', '203.0.113.0/24'),
  list('principal-arn', ['principal'], 'userIdentity.arn or its session issuer ARN; * and ? are wildcards', '`userIdentity.arn` **or** the session issuer\'s ARN (so a role ARN finds its sessions); `*` and `?` are wildcards', 'events_arn, events_issuer', 'arn:aws:iam::*:role/admin'),
  list('user-agent', ['ua'], 'Case-insensitive substring of userAgent', '`userAgent` containing S (case-insensitive)', 'events_ua', 'python-requests'),
  { name: 'error', aliases: [], kind: 'optional-list', describe: 'Failed calls: --error alone or --error any for all, or error codes (AccessDenied)', matches: 'failed calls: alone or `any` for every `errorCode`, else those codes', index: 'events_error', example: 'AccessDenied' },
  list('category', [], `Event category: ${EVENT_CATEGORIES.join(', ')}`, '`management`, `data` or `insight` (`eventCategory`, derived for old records)', 'none', 'data'),
  list('text', [], 'Case-insensitive substring anywhere in the event JSON (reads every candidate event: slow on big cases)', 'S anywhere in the event\'s JSON (case-insensitive)', '**full scan** of the candidates\' bodies', 'ConsoleLogin'),
  list('trust', [], `Integrity label from the latest trailhound verify: ${TRUST_LABELS.join(', ')}`, 'integrity label from the latest `trailhound verify`: `proven`, `provisional`, `unverified`', 'none', 'proven'),
  { name: 'start-time', aliases: ['start', 'from'], kind: 'time', describe: 'Only events at or after this time: ISO 8601 (2025-02-01T00:00:00Z), a date (2025-02-01), epoch seconds, or relative (36h, 7d)', matches: '`eventTime` ≥ T (inclusive)', index: 'rides on the chosen index', example: '2025-02-01' },
  { name: 'end-time', aliases: ['end', 'to'], kind: 'time', describe: 'Only events at or before this time (same formats; a bare date means the end of that day)', matches: '`eventTime` ≤ T (inclusive; a bare date means the end of that day)', index: 'rides on the chosen index', example: '2025-02-02' },
  list('account', [], 'Only events recorded for these account IDs (recipientAccountId); repeat or comma-separate', '`recipientAccountId` (12 digits)', 'events_account', '123456789012'),
  list('region', [], 'Only events in these regions (awsRegion); repeat or comma-separate', '`awsRegion`', 'events_region', 'us-east-1'),
  list('request-id', ['request'], 'requestID: every event of one API call (an organization trail and an account trail both record it)', '`requestID`', 'events_request', '6c1bb7ab-5e0a-4e3f-9d2c-1f2e3d4c5b6a'),
];

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

/** A checked --tz. */
export function readTz(raw: unknown): string {
  const tz = raw === undefined || raw === null ? 'UTC' : String(raw);
  const problem = checkTimeZone(tz);
  if (problem) throw new UsageError(`--tz: ${problem}`);
  return tz;
}

export interface TimeRange {
  /** Inclusive lower bound, ms since epoch, or null. */
  startMs: number | null;
  /** Inclusive upper bound, ms since epoch, or null. */
  endMs: number | null;
}

/** --start-time/--end-time (and --tz) as a checked range. */
export function readTimeRange(
  values: { 'start-time'?: unknown; 'end-time'?: unknown; tz?: unknown },
  options: { now?: number; dateEndIsEndOfDay?: boolean } = {},
): TimeRange {
  const tz = readTz(values.tz);
  const one = (name: 'start-time' | 'end-time', end: boolean): number | null => {
    const raw = values[name];
    if (raw === undefined || raw === null) return null;
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    return parseTime(String(value), { now: options.now, tz, dateIsEndOfDay: end && (options.dateEndIsEndOfDay ?? true), option: `--${name}` });
  };
  const startMs = one('start-time', false);
  const endMs = one('end-time', true);
  if (startMs !== null && endMs !== null && endMs < startMs) {
    throw new UsageError(`--end-time (${new Date(endMs).toISOString()}) is before --start-time (${new Date(startMs).toISOString()}); swap them or widen the range`);
  }
  return { startMs, endMs };
}

/** --account / --region values, checked. */
export function readScope(values: { account?: unknown; region?: unknown }): { accounts: string[]; regions: string[] } {
  const accounts = listOption(values.account);
  for (const a of accounts) {
    if (!/^\d{12}$/.test(a)) throw new UsageError(`--account: "${a}" is not a 12-digit AWS account ID`);
  }
  return { accounts, regions: listOption(values.region) };
}

/** Option values by option name, as yargs or the filter bar give them (a string, a list, or true for a bare flag). */
export type FilterValues = Readonly<Record<string, unknown>>;

/**
 * The EventFilter of a set of option values (`search`'s matching: names and sources ignoring case). `now` is the
 * clock relative times count back from; `tz` (in values) the zone of times written without one.
 */
export function readFilter(values: FilterValues, options: { now?: number } = {}): EventFilter {
  const range = readTimeRange(values, { now: options.now });
  const scope = readScope(values);
  const f: EventFilter = {
    eventNames: listOption(values['event-name']),
    eventSources: listOption(values['event-source']),
    users: listOption(values.user),
    accessKeys: listOption(values['access-key']),
    eventIds: listOption(values['event-id']),
    requestIds: listOption(values['request-id']),
    resourceTypes: listOption(values['resource-type']),
    resourceNames: listOption(values['resource-name']),
    sourceIps: listOption(values['source-ip']),
    regions: scope.regions,
    accounts: scope.accounts,
    principalArns: listOption(values['principal-arn']),
    userAgents: listOption(values['user-agent']),
    text: listOption(values.text),
    startMs: range.startMs,
    endMs: range.endMs,
    foldCase: true,
  };
  for (const ip of f.sourceIps ?? []) {
    const problem = checkIpSpec(ip);
    if (problem) throw new UsageError(`--source-ip: ${problem}; give an address, a CIDR block such as 203.0.113.0/24, or a service name`);
  }
  const ro = values['read-only'];
  if (ro !== undefined && ro !== null) {
    const v = String(Array.isArray(ro) ? ro[ro.length - 1] : ro);
    if (v !== 'true' && v !== 'false') throw new UsageError(`--read-only: "${v}" is not true or false`);
    f.readOnly = v === 'true';
  }
  const err = values.error;
  if (err !== undefined && err !== null && err !== false) {
    const codes = err === true ? [] : listOption((Array.isArray(err) ? err : [err]).filter((e) => e !== ''));
    f.errors = codes.length === 0 || codes.some((c) => c.toLowerCase() === 'any') ? 'any' : codes;
  }
  const cats = listOption(values.category).map((c) => c.toLowerCase());
  for (const c of cats) {
    if (!EVENT_CATEGORIES.includes(c as EventCategoryName)) throw new UsageError(`--category: unknown category "${c}"; allowed: ${EVENT_CATEGORIES.join(', ')}`);
  }
  if (cats.length) f.categories = cats as EventCategoryName[];
  const trust = readTrust(values.trust);
  if (trust.length) f.trust = trust;
  return f;
}

/** --trust labels, checked. */
export function readTrust(raw: unknown): TrustLabel[] {
  const trust = listOption(raw).map((t) => t.toLowerCase());
  for (const t of trust) {
    if (!TRUST_LABELS.includes(t as TrustLabel)) throw new UsageError(`--trust: unknown label "${t}"; allowed: ${TRUST_LABELS.join(', ')}`);
  }
  return trust as TrustLabel[];
}
