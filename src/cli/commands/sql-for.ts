// trailhound sql-for trino|athena detect [--target cloudtrail|parquet] [--table NAME] [--output findings|events] [--rule ID]...
// trailhound sql-for trino|athena investigate <name> [subject] [--target …] [--table NAME]
// Prints the SQL that runs trailhound's rules, or an investigation's evidence steps, on Trino or Athena: over the
// AWS-documented CloudTrail table of a trail's S3 logs, or over the tables `trailhound export` writes (docs/scale.md).
// Needs no case: the SQL is generated from the rules and the investigations' steps.

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { UsageError } from '../../model/errors.js';
import { checkTableName, DEFAULT_TABLE, SQL_TARGETS, type SqlTarget } from '../../model/sql-targets.js';
import { loadRuleSet, readPlaceholders } from '../../detect/rule-set.js';
import { detectionScript, type SqlOutput } from '../../detect/sql-for.js';
import { investigationSql, scaleInvestigations, scalePlan } from '../../scenarios/at-scale.js';
import { escapeControl } from '../../model/escape.js';
import { renderJson } from '../../report/json.js';
import { VERSION } from '../../version.js';
import { ruleSetOptions } from './detect.js';
import { timeRangeOptions } from '../options.js';
import { readTimeRange } from '../../index/filter-spec.js';

interface Args {
  engine: string;
  what: string;
  name?: string;
  subject?: string;
  target?: string;
  table?: string;
  output?: string;
  rules?: string[];
  rule?: string[];
  placeholder?: string[];
  explain?: boolean;
  format?: string;
  'start-time'?: string;
  'end-time'?: string;
  tz?: string;
}

const ENGINES = ['trino', 'athena'] as const;

export function command(_ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'sql-for <engine> <what> [name] [subject]',
    describe: 'Print the SQL that runs the rules (detect) or an investigation\'s evidence steps on Trino or Athena (docs/scale.md)',
    builder: (y) =>
      y
        .positional('engine', { type: 'string', choices: [...ENGINES], describe: 'trino or athena (the same SQL: Athena engine 3 is Trino)' })
        .positional('what', { type: 'string', choices: ['detect', 'investigate'], describe: 'detect: the detection rules; investigate: an investigation\'s evidence' })
        .positional('name', { type: 'string', describe: `With investigate: ${scaleInvestigations().map((i) => i.name).join(', ')}` })
        .positional('subject', { type: 'string', describe: 'With investigate: its subject (access-key AKIA…, instance i-…, security-group sg-…)' })
        .option('target', { type: 'string', choices: [...SQL_TARGETS], describe: 'cloudtrail (default): the AWS-documented CloudTrail table over the S3 logs; parquet: the tables trailhound export writes' })
        .option('table', { type: 'string', requiresArg: true, describe: `The table (default: ${DEFAULT_TABLE.cloudtrail} or ${DEFAULT_TABLE.parquet}); catalog.schema.table allowed` })
        .option('output', { type: 'string', choices: ['findings', 'events'], describe: 'detect: findings (default; one row per rule and actor) or events (the matched events, to ingest back)' })
        .options(ruleSetOptions)
        .option('rule', { type: 'string', array: true, requiresArg: true, describe: 'detect: only this rule (id or name; repeat for more)' })
        .options(timeRangeOptions)
        .option('explain', { type: 'boolean', describe: 'detect: list each rule and whether it translates (and why not) instead of the SQL' })
        .option('format', { type: 'string', choices: ['sql', 'json'], describe: 'sql (default): the statement; json: the statement and what translated (docs/json-output.md#sql-for)' })
        .example('trailhound sql-for athena detect > detect.sql', 'Every rule that translates, over cloudtrail_logs: findings per rule and actor')
        .example('trailhound sql-for trino detect --target parquet --table lake.ir.trailhound_events --output events', 'Matched events with their records, from an export')
        .example('trailhound sql-for athena detect --explain', 'Which rules translate, and why the others do not')
        .example('trailhound sql-for athena investigate access-key AKIAXXXXXXXXXXXXXXXX', 'The key\'s calls, what it minted, and its owner\'s baseline') as never,
    handler: (argv) => {
      const engine = argv.engine;
      const target = (argv.target ?? 'cloudtrail') as SqlTarget;
      const table = argv.table ?? DEFAULT_TABLE[target];
      const bad = checkTableName(table);
      if (bad) throw new UsageError(`--table: ${bad}`);
      const json = argv.format === 'json';
      if (argv.what === 'investigate') {
        for (const opt of ['output', 'rules', 'rule', 'placeholder', 'explain', 'start-time', 'end-time'] as const) {
          if (argv[opt] !== undefined) throw new UsageError(`--${opt} applies to sql-for … detect, not investigate`);
        }
        if (!argv.name) throw new UsageError(`sql-for ${engine} investigate: name an investigation: ${scaleInvestigations().map((i) => `${i.name}${i.subject ? ` <${i.subject}>` : ''}`).join(', ')}`);
        const plan = scalePlan(argv.name, argv.subject, target, table);
        const header = `-- trailhound ${VERSION} sql-for ${engine} investigate ${argv.name}${argv.subject ? ` ${argv.subject}` : ''} over ${table}: the events the investigation reads.\n${plan.steps.map((s) => `--   ${s.id}: ${s.description}`).join('\n')}\n`;
        const sql = header + investigationSql(plan, target, table) + '\n';
        process.stdout.write(json ? renderJson({ engine, target, table, investigation: argv.name, subject: argv.subject ?? null, steps: plan.steps.map((s) => ({ id: s.id, description: s.description })), sql }) : sql);
        return;
      }
      if (argv.name) throw new UsageError(`sql-for ${engine} detect takes no "${argv.name}" (use --rule to choose rules)`);
      const output = (argv.output ?? 'findings') as SqlOutput;
      const set = loadRuleSet({ dirs: argv.rules, only: argv.rule, placeholders: readPlaceholders(argv.placeholder) });
      const { startMs, endMs } = readTimeRange(argv);
      const script = detectionScript(set.rules, { target, table, output, engine, toolVersion: VERSION, startMs, endMs });
      const rules = script.translations.map((t) => (t.translated ? { ruleId: t.ruleId, title: t.title, level: t.level, translated: true, reasons: [] } : { ruleId: t.ruleId, title: t.title, level: t.level, translated: false, reasons: t.reasons }));
      if (json) {
        process.stdout.write(renderJson({ engine, target, table, output, translated: rules.filter((r) => r.translated).length, rules, sql: script.sql }));
        return;
      }
      if (argv.explain) {
        const lines = rules.map((r) => `${r.translated ? 'yes' : 'no '}  ${escapeControl(r.ruleId)}  ${escapeControl(r.title)}${r.reasons.map((x) => `\n       - ${escapeControl(x)}`).join('')}`);
        process.stdout.write(`${lines.join('\n')}\n${rules.filter((r) => r.translated).length} of ${rules.length} rules translate for ${target === 'parquet' ? 'the Parquet export' : 'the AWS CloudTrail table'}.\n`);
        return;
      }
      process.stdout.write(script.sql);
    },
  };
}
