// trailhound investigate <access-key|instance|security-group|iam|console-logins|list|run> --db case.db [...]
// Each investigation answers a whole question in one command: a table for people (--format table|md) and the
// documented JSON for scripts (--format json; docs/investigations.md).

import type { Argv, CommandModule } from 'yargs';
import type { CommandContext } from '../main.js';
import { UsageError } from '../exit-codes.js';
import { dbOptions, outputOptions as sharedOutputOptions, readOutput, readScope, readTimeRange, readTz, scopeOptions, timeRangeOptions, OUTPUT_FORMATS, type OutputChoice } from '../options.js';
import { openCase, type Db } from '../../index/open.js';
import { parseTime, TimeFormatError } from '../../model/time.js';
import { renderJson, renderJsonLines } from '../../report/json.js';
import { renderCsv } from '../../report/csv.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderTable } from '../../report/table.js';
import { escapeControl } from '../../model/escape.js';
import { InvestigationInputError, type InvestigationOptions } from '../../scenarios/common.js';
import { investigateAccessKey } from '../../scenarios/access-key.js';
import { investigateInstance } from '../../scenarios/instance.js';
import { investigateAllSecurityGroups, investigateSecurityGroup } from '../../scenarios/security-group.js';
import { investigateIam } from '../../scenarios/iam.js';
import { investigateConsoleLogins } from '../../scenarios/console-logins.js';
import { loadBuiltinScenarios } from '../../scenarios/builtin.js';
import { bindParameters, getScenario, ScenarioDefinitionError, runSqlScenario } from '../../scenarios/registry.js';
import {
  accessKeyView,
  allGroupsView,
  consoleLoginsView,
  iamView,
  instanceView,
  scenarioListView,
  securityGroupView,
  sqlScenarioView,
  type ReportView,
} from '../../scenarios/views.js';

export const INVESTIGATE_FORMATS = OUTPUT_FORMATS;

const outputOptions = {
  ...sharedOutputOptions,
  format: {
    ...sharedOutputOptions.format,
    describe: 'table (people; default), json (the report, docs/investigations.md), jsonl and csv (every table row, with a section column), md (a report)',
  },
} as const;

interface CommonArgs {
  db: string;
  format?: string;
  json?: boolean;
  excel?: boolean;
  width?: number;
  tz: string;
  'start-time'?: string;
  'end-time'?: string;
  account?: string[];
  region?: string[];
}

function common(y: Argv): Argv<CommonArgs> {
  return y.options(dbOptions).options(timeRangeOptions).options(scopeOptions).options(outputOptions) as unknown as Argv<CommonArgs>;
}

function readOptions(argv: CommonArgs): InvestigationOptions {
  const tz = readTz(argv.tz);
  const range = readTimeRange(argv);
  const scope = readScope(argv);
  return { tz, filter: { startMs: range.startMs, endMs: range.endMs, accounts: scope.accounts, regions: scope.regions } };
}

function readTimeOption(name: string, raw: unknown, tz: string): number | null {
  if (raw === undefined || raw === null) return null;
  try {
    return parseTime(String(raw), { tz });
  } catch (err) {
    if (err instanceof TimeFormatError) throw new UsageError(`--${name}: ${err.message}`);
    throw err;
  }
}

/** Draw a view as text tables or Markdown. Every cell and fact is escaped by the renderers or here. */
export function renderView(v: ReportView, format: 'table' | 'md', width: number): string {
  const out: string[] = [];
  if (format === 'md') {
    out.push(`# ${escapeControl(v.title)}\n`);
    for (const [k, val] of v.facts) out.push(`- **${escapeControl(k)}**: ${escapeControl(val).replace(/([|`*_<>[\]])/g, '\\$1')}`);
    for (const s of v.sections) {
      out.push(`\n## ${escapeControl(s.title)}\n`);
      out.push(s.rows.length ? renderMarkdown(s.columns, s.rows).trimEnd() : `_${escapeControl(s.empty ?? 'None.')}_`);
    }
    if (v.notes.length) out.push('', '```', ...v.notes.map((n) => escapeControl(n)), '```');
    return `${out.join('\n')}\n`;
  }
  out.push(escapeControl(v.title), '='.repeat(Math.min(80, v.title.length)));
  const w = Math.max(0, ...v.facts.map(([k]) => k.length));
  for (const [k, val] of v.facts) out.push(`${escapeControl(k).padEnd(w)}  ${escapeControl(val)}`);
  for (const s of v.sections) {
    out.push('', `── ${escapeControl(s.title)}`);
    out.push(s.rows.length ? renderTable(s.columns, s.rows, { width }).trimEnd() : `   ${escapeControl(s.empty ?? 'None.')}`);
  }
  if (v.notes.length) out.push('', ...v.notes.map((n) => escapeControl(n)));
  return `${out.join('\n')}\n`;
}

/**
 * The view's table rows as records for jsonl/csv: `section` (the table's title) first, then the columns under their
 * shared field names (VIEW_FIELD_NAMES: `eventID`, `eventTime`, `sourceIPAddress`…, as search uses them).
 */
export const VIEW_FIELD_NAMES: Readonly<Record<string, string>> = {
  eventId: 'eventID',
  time: 'eventTime',
  ip: 'sourceIPAddress',
  error: 'errorCode',
  region: 'awsRegion',
  ua: 'userAgent',
  key: 'accessKeyId',
  events: 'eventIds',
  first: 'firstSeen',
  last: 'lastSeen',
  w: 'mark',
  l: 'mark',
  a: 'mark',
};

export function viewRecords(v: ReportView, findings?: ReadonlyArray<{ eventIds: readonly string[] }>): { columns: string[]; rows: Record<string, string | number | null>[] } {
  const columns = ['section'];
  const rows: Record<string, string | number | null>[] = [];
  for (const s of v.sections) {
    for (const c of s.columns) {
      const name = VIEW_FIELD_NAMES[c.key] ?? c.key;
      if (!columns.includes(name)) columns.push(name);
    }
    // The table abbreviates a finding's events ("a b c +5"); an export lists them all, space-separated.
    const full = s.title === 'Findings' && findings && findings.length === s.rows.length ? findings : null;
    s.rows.forEach((r, i) => {
      const o: Record<string, string | number | null> = { section: s.title };
      for (const c of s.columns) {
        const v2 = r[c.key];
        o[VIEW_FIELD_NAMES[c.key] ?? c.key] = v2 === undefined || v2 === '' ? null : v2;
      }
      if (full) o.eventIds = full[i].eventIds.join(' ') || null;
      rows.push(o);
    });
  }
  return { columns, rows };
}

function emit(result: unknown, view: (exporting: boolean) => ReportView, argv: CommonArgs): void {
  const out: OutputChoice = readOutput(argv);
  if (out.format === 'json') {
    process.stdout.write(renderJson(result));
    return;
  }
  if (out.format === 'jsonl' || out.format === 'csv') {
    const findings = (result as { findings?: unknown }).findings;
    const { columns, rows } = viewRecords(view(true), Array.isArray(findings) ? (findings as { eventIds: string[] }[]) : undefined);
    if (out.format === 'jsonl') {
      process.stdout.write(renderJsonLines(rows.map((r) => Object.fromEntries(columns.filter((c) => c in r).map((c) => [c, r[c]])))));
    } else {
      process.stdout.write(renderCsv(columns.map((c) => ({ key: c, header: c })), rows, { excel: out.excel }));
    }
    return;
  }
  process.stdout.write(renderView(view(false), out.format, out.width));
}

/** Open the case, run, translate input errors into usage errors, close. */
function withCase<T>(file: string, fn: (db: Db) => T): T {
  const db = openCase(file, { readonly: true });
  try {
    return fn(db);
  } catch (err) {
    if (err instanceof InvestigationInputError || err instanceof ScenarioDefinitionError) throw new UsageError(err.message);
    throw err;
  } finally {
    db.close();
  }
}

function notFound(what: string): void {
  process.stderr.write(`trailhound: ${escapeControl(what)} (the evidence may simply not include it; the report lists what the case covers)\n`);
}

export function command(ctx: CommandContext): CommandModule {
  return {
    command: 'investigate <investigation>',
    describe: 'Answer a whole question in one command: access-key, instance, security-group, iam, console-logins (list: all scenarios)',
    builder: (y) =>
      y
        .command({
          command: 'access-key <accessKeyId>',
          describe: 'Suspected stolen key: owner, credential lineage, every event, baseline anomalies, sensitive actions, response commands',
          builder: (yy) =>
            common(yy)
              .positional('accessKeyId', { type: 'string', describe: 'AKIA… (long-term) or ASIA… (temporary) key ID' })
              .option('since', { type: 'string', requiresArg: true, describe: 'Start of the suspect window (default: the first anomaly the tool finds)' })
              .option('baseline-days', { type: 'number', default: 30, requiresArg: true, describe: "Baseline: the owner's most recent N active days (days with events) before the window" })
              .option('all-events', { type: 'boolean', default: false, describe: 'Table/md: list every event, not only those in the suspect window' })
              .example('trailhound investigate access-key AKIAXXXXXXXXXXXXXXXX --db case.db --tz Asia/Seoul', 'Everything the key and its derived credentials did'),
          handler: (argv) => {
            const a = argv as unknown as CommonArgs & { accessKeyId: string; since?: string; 'baseline-days': number; 'all-events': boolean };
            const opts = readOptions(a);
            const days = a['baseline-days'];
            if (!Number.isInteger(days) || days < 1) throw new UsageError(`--baseline-days: "${days}" is not a whole number ≥ 1`);
            const r = withCase(a.db, (db) => investigateAccessKey(db, String(a.accessKeyId), { ...opts, since: readTimeOption('since', a.since, opts.tz), baselineDays: days }));
            if (!r.found) notFound(`the case has no event signed with, creating or minting ${r.accessKeyId}`);
            emit(r, (exporting) => accessKeyView(r, opts.tz, { allEvents: a['all-events'] || exporting }), a);
          },
        })
        .command({
          command: 'instance <instanceId>',
          describe: 'Every event that names an EC2 instance, with fully attributed actors and lifecycle actions highlighted',
          builder: (yy) => common(yy).positional('instanceId', { type: 'string', describe: 'Instance ID, i-…' }),
          handler: (argv) => {
            const a = argv as unknown as CommonArgs & { instanceId: string };
            const opts = readOptions(a);
            const r = withCase(a.db, (db) => investigateInstance(db, String(a.instanceId), opts));
            if (!r.found) notFound(`no event in the case names ${r.instanceId}`);
            emit(r, () => instanceView(r, opts.tz), a);
          },
        })
        .command({
          command: 'security-group [groupId]',
          describe: 'Rule changes of a security group (or --all), failed attempts, and the rule set at a time',
          builder: (yy) =>
            common(yy)
              .positional('groupId', { type: 'string', describe: 'Security group ID, sg-…' })
              .option('all', { type: 'boolean', default: false, describe: 'Every group with changes in the range' })
              .option('at', { type: 'string', requiresArg: true, describe: 'Time of the reconstructed rule set (default: --end-time, else the last change)' }),
          handler: (argv) => {
            const a = argv as unknown as CommonArgs & { groupId?: string; all: boolean; at?: string };
            if (a.all && a.groupId) throw new UsageError('give either a security group ID or --all, not both');
            if (!a.all && !a.groupId) throw new UsageError('name a security group (sg-…) or use --all');
            const opts = readOptions(a);
            const at = readTimeOption('at', a.at, opts.tz);
            if (a.all) {
              const r = withCase(a.db, (db) => investigateAllSecurityGroups(db, { ...opts, at }));
              emit(r, () => allGroupsView(r, opts.tz), a);
              return;
            }
            const r = withCase(a.db, (db) => investigateSecurityGroup(db, String(a.groupId), { ...opts, at }));
            if (!r.found) notFound(`no security-group call in the case names ${r.groupId}`);
            emit(r, () => securityGroupView(r, opts.tz), a);
          },
        })
        .command({
          command: 'iam',
          describe: 'Every IAM write with decoded policies and trust diffs; admin grants, external trust, backdoor users',
          builder: (yy) => common(yy).option('principal', { type: 'string', requiresArg: true, describe: 'Only changes to or by this user, role, group or policy (name or ARN)' }),
          handler: (argv) => {
            const a = argv as unknown as CommonArgs & { principal?: string };
            const opts = readOptions(a);
            const r = withCase(a.db, (db) => investigateIam(db, { ...opts, principal: a.principal ?? null }));
            emit(r, () => iamView(r, opts.tz), a);
          },
        })
        .command({
          command: 'console-logins',
          describe: 'Console sign-ins: failures, root, no MFA, failure bursts, new IPs',
          builder: (yy) => common(yy),
          handler: (argv) => {
            const a = argv as unknown as CommonArgs;
            const opts = readOptions(a);
            const r = withCase(a.db, (db) => investigateConsoleLogins(db, opts));
            emit(r, () => consoleLoginsView(r, opts.tz), a);
          },
        })
        .command({
          command: 'list',
          describe: 'List every scenario: the investigations and the named queries in scenarios/*.yaml',
          builder: (yy) => yy.options(outputOptions),
          handler: (argv) => {
            const a = argv as unknown as CommonArgs;
            let list;
            try {
              list = loadBuiltinScenarios();
            } catch (err) {
              if (err instanceof ScenarioDefinitionError) throw new UsageError(err.message);
              throw err;
            }
            emit(list, () => scenarioListView(list), a);
          },
        })
        .command({
          command: 'run <scenario>',
          describe: 'Run a named query from scenarios/*.yaml with --param name=value',
          builder: (yy) =>
            yy
              .options(dbOptions)
              .options(outputOptions)
              .positional('scenario', { type: 'string', describe: 'Scenario id (see: trailhound investigate list)' })
              .option('param', { alias: 'p', type: 'string', array: true, requiresArg: true, describe: 'name=value (repeat); times take every --start-time format' })
              .option('tz', timeRangeOptions.tz)
              .example('trailhound investigate run errors.access-denied --db case.db -p minCount=5', 'Principals with 5+ denied calls'),
          handler: (argv) => {
            const a = argv as unknown as CommonArgs & { scenario: string; param?: string[] };
            const tz = readTz(a.tz);
            const raw: Record<string, string> = {};
            for (const p of a.param ?? []) {
              const eq = p.indexOf('=');
              if (eq <= 0) throw new UsageError(`--param: "${p}" is not name=value`);
              raw[p.slice(0, eq)] = p.slice(eq + 1);
            }
            const r = withCase(a.db, (db) => {
              loadBuiltinScenarios();
              const s = getScenario(String(a.scenario));
              if (s.kind !== 'sql') throw new InvestigationInputError(`scenario ${s.id} is an investigation; run it with: trailhound ${s.command}`);
              return runSqlScenario(db, s, bindParameters(s, raw, { tz }));
            });
            emit(r, () => sqlScenarioView(r), a);
          },
        })
        .demandCommand(1, 'Name an investigation: access-key, instance, security-group, iam, console-logins, list or run')
        .example('trailhound investigate access-key AKIAXXXXXXXXXXXXXXXX --db case.db', 'Stolen key')
        .example('trailhound investigate instance i-1234567890abcdef0 --db case.db', 'Who stopped/terminated an instance')
        .example('trailhound investigate security-group sg-0123456789abcdef0 --db case.db --at 2025-02-12T00:00:00Z', 'A group and its rules at a time')
        .example('trailhound investigate iam --db case.db --start-time 2024-02-17 --end-time 2024-02-17', 'IAM changes of a day')
        .example('trailhound investigate console-logins --db case.db --format json', 'Sign-ins as JSON'),
    handler: () => {
      void ctx;
    },
  };
}
