// trailhound investigate <investigation|list|run> --db case.db [...]
// Each investigation answers a whole question in one command: a table for people (--format table|md) and the
// documented JSON for scripts (--format json; docs/investigations.md). The subcommands are generated from the
// scenario registry (src/scenarios/descriptor.ts): one per code investigation, `list`, and `run` for the YAML queries.

import type { Argv, CommandModule, Options, PositionalOptions } from 'yargs';
import type { CommandContext } from '../context.js';
import { InvestigationInputError, UsageError } from '../../model/errors.js';
import { dbOptions, outputOptions as sharedOutputOptions, readOutput, readParams, scopeOptions, timeRangeOptions, type OutputChoice } from '../options.js';
import { readScope, readTimeRange, readTz } from '../../index/filter-spec.js';
import { openCase, type Db } from '../../index/open.js';
import { parseTime } from '../../model/time.js';
import { escapeControl } from '../../model/escape.js';
import { renderJson, renderJsonLines } from '../../report/json.js';
import { renderCsv } from '../../report/csv.js';
import { renderView, viewRecords } from '../../report/report-view.js';
import type { ReportView } from '../../model/report-view.js';
import type { InvestigationOptions } from '../../scenarios/common.js';
import type { Investigation, InvestigationParameter, ParameterValues } from '../../scenarios/descriptor.js';
import { loadBuiltinInvestigations, loadBuiltinScenarios } from '../../scenarios/builtin.js';
import { bindParameters, getScenario, listInvestigations, runSqlScenario, scenarioEntry } from '../../scenarios/registry.js';
import { scenarioListView, sqlScenarioView } from '../../scenarios/views.js';

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
  return parseTime(String(raw), { tz, option: `--${name}` });
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

/** Open the case, run, close. */
function withCase<T>(file: string, fn: (db: Db) => T): T {
  const db = openCase(file, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function notFound(what: string): void {
  process.stderr.write(`trailhound: ${escapeControl(what)} (the evidence may simply not include it; the report lists what the case covers)\n`);
}

/** Where a parameter sits on the command line: its argv key and the name its messages use (`--baseline-days`). */
function cliName(p: InvestigationParameter): string {
  return 'option' in p.cli ? p.cli.option : p.name;
}

function yargsOption(p: InvestigationParameter): Options {
  const cli = p.cli as { describe: string; alias?: string | readonly string[] };
  const alias = cli.alias !== undefined ? { alias: cli.alias as string | string[] } : {};
  if (p.type === 'boolean') return { type: 'boolean', default: p.default ?? false, describe: cli.describe, ...alias };
  const type = p.type === 'integer' || p.type === 'number' ? 'number' : 'string';
  return { type, ...(p.default !== null ? { default: p.default } : {}), requiresArg: true, describe: cli.describe, ...alias };
}

function yargsPositional(p: InvestigationParameter): PositionalOptions {
  return { type: p.type === 'integer' || p.type === 'number' ? 'number' : p.type === 'boolean' ? 'boolean' : 'string', describe: p.cli.describe };
}

/**
 * The parameter values of a command line. Switches and strings are read first and the investigation's own rules
 * checked before anything else; numbers and times are checked after the common options (times need --tz).
 */
function readParameters(d: Investigation, a: Record<string, unknown>, readCommon: () => InvestigationOptions): { params: ParameterValues; opts: InvestigationOptions } {
  const params: ParameterValues = {};
  for (const p of d.parameters) {
    const raw = a[cliName(p)];
    if (p.type === 'boolean') params[p.name] = raw === undefined ? p.default === true : raw === true;
    else if (p.type === 'string') params[p.name] = raw === undefined || raw === null ? (p.default as string | null) : String(raw);
  }
  d.check?.(params);
  const opts = readCommon();
  for (const p of d.parameters) {
    const raw = a[cliName(p)];
    if (p.type !== 'integer' && p.type !== 'number') continue;
    const v = raw === undefined ? p.default : raw;
    if (v === null || v === undefined) {
      params[p.name] = null;
      continue;
    }
    const n = Number(v);
    const whole = p.type === 'integer';
    if ((whole ? !Number.isInteger(n) : !Number.isFinite(n)) || (p.min !== undefined && n < p.min)) {
      throw new UsageError(`--${cliName(p)}: "${String(v)}" is not a ${whole ? 'whole number' : 'number'}${p.min !== undefined ? ` ≥ ${p.min}` : ''}`);
    }
    params[p.name] = n;
  }
  for (const p of d.parameters) if (p.type === 'time') params[p.name] = readTimeOption(cliName(p), a[cliName(p)] ?? p.default, opts.tz);
  return { params, opts };
}

/** `trailhound investigate <name> …` of one code investigation, generated from its descriptor. */
function investigationCommand(d: Investigation): CommandModule {
  const positionals = d.parameters.filter((p) => 'positional' in p.cli);
  return {
    command: [d.name, ...positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`))].join(' '),
    describe: d.summary,
    builder: (yy) => {
      let y: Argv = common(yy);
      for (const p of d.parameters) y = 'positional' in p.cli ? y.positional(p.name, yargsPositional(p)) : y.option(p.cli.option, yargsOption(p));
      for (const [cmd, what] of d.commandExamples ?? []) y = y.example(cmd, what);
      return y;
    },
    handler: (argv) => {
      const a = argv as unknown as CommonArgs & Record<string, unknown>;
      const { params, opts } = readParameters(d, a, () => readOptions(a));
      const r = withCase(a.db, (db) => d.run(db, params, opts));
      const missing = d.notFound?.(r) ?? null;
      if (missing) notFound(missing);
      emit(r, (exporting) => d.view(r, { tz: opts.tz, params, full: exporting }), a);
    },
  };
}

export function command(ctx: CommandContext): CommandModule {
  loadBuiltinInvestigations();
  const investigations = listInvestigations();
  const names = investigations.map((d) => d.name).join(', ');
  return {
    command: 'investigate <investigation>',
    describe: `Answer a whole question in one command: ${names} (list: all scenarios)`,
    builder: (y) => {
      let yy = y;
      for (const d of investigations) yy = yy.command(investigationCommand(d));
      yy = yy
        .command({
          command: 'list',
          describe: 'List every scenario: the investigations and the named queries in scenarios/*.yaml',
          builder: (l) => l.options(outputOptions),
          handler: (argv) => {
            const a = argv as unknown as CommonArgs;
            const list = loadBuiltinScenarios();
            emit(list.map(scenarioEntry), () => scenarioListView(list), a);
          },
        })
        .command({
          command: 'run <scenario>',
          describe: 'Run a named query from scenarios/*.yaml with --param name=value',
          builder: (r) =>
            r
              .options(dbOptions)
              .options(outputOptions)
              .positional('scenario', { type: 'string', describe: 'Scenario id (see: trailhound investigate list)' })
              .option('param', { alias: 'p', type: 'string', array: true, requiresArg: true, describe: 'name=value (repeat); times take every --start-time format' })
              .option('tz', timeRangeOptions.tz)
              .example('trailhound investigate run errors.access-denied --db case.db -p minCount=5', 'Principals with 5+ denied calls'),
          handler: (argv) => {
            const a = argv as unknown as CommonArgs & { scenario: string; param?: string[] };
            const tz = readTz(a.tz);
            const raw = readParams(a.param);
            const r = withCase(a.db, (db) => {
              loadBuiltinScenarios();
              const s = getScenario(String(a.scenario));
              if (s.kind !== 'sql') throw new InvestigationInputError(`scenario ${s.id} is an investigation; run it with: trailhound ${s.command}`);
              return runSqlScenario(db, s, bindParameters(s, raw, { tz }));
            });
            emit(r, () => sqlScenarioView(r), a);
          },
        })
        .demandCommand(1, `Name an investigation: ${names}, list or run`);
      for (const d of investigations) yy = yy.example(d.example[0], d.example[1]);
      return yy;
    },
    handler: () => {
      void ctx;
    },
  };
}
