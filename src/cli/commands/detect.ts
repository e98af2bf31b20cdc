// trailhound detect --db case.db [--rules DIR]... [--rule ID]... [--min-level L] [--fail-level L] [--full]
// Runs the detection rules (Sigma, the CIS monitoring pack, trailhound's own pack) over the case, stores the
// findings in it and prints them (docs/detections.md; JSON contract docs/json-output.md#detect).

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { dbOptions, outputOptions, readOutput } from '../options.js';
import { EXIT, UsageError } from '../../model/errors.js';
import { isLevel, LEVELS, levelRank, type Level } from '../../model/detection.js';
import { escapeControl } from '../../model/escape.js';
import { openCase } from '../../index/open.js';
import { loadRuleSet, readPlaceholders } from '../../detect/rule-set.js';
import { runDetect } from '../../detect/run.js';
import { listFindings } from '../../detect/read.js';
import { renderJson, renderJsonLines } from '../../report/json.js';
import { renderFindingsCsv, renderFindingsMarkdown, renderFindingsTable } from '../../report/findings.js';
import { VERSION } from '../../version.js';

interface Args {
  db: string;
  rules?: string[];
  rule?: string[];
  'min-level'?: string;
  'fail-level'?: string;
  placeholder?: string[];
  full?: boolean;
  strategy?: string;
  format?: string;
  json?: boolean;
  excel?: boolean;
  width?: number;
}

function readLevel(name: string, raw: unknown): Level | undefined {
  if (raw === undefined || raw === null) return undefined;
  const v = String(raw).toLowerCase();
  if (!isLevel(v)) throw new UsageError(`--${name}: "${String(raw)}" is not a level; allowed: ${LEVELS.join(', ')}`);
  return v;
}

export const ruleSetOptions = {
  rules: { type: 'string', array: true, requiresArg: true, describe: 'A folder (or file) of rules to run instead of the shipped packs; repeat for more; "builtin" names the shipped packs' },
  placeholder: { type: 'string', array: true, requiresArg: true, describe: 'Values for a Sigma %name% placeholder: name=value1,value2 (repeat for more)' },
} as const;

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'detect',
    describe: 'Run the detection rules over the case (Sigma, CIS monitoring, trailhound pack) and list the findings',
    builder: (y) =>
      y
        .options(dbOptions)
        .options(ruleSetOptions)
        .option('rule', { type: 'string', array: true, requiresArg: true, describe: 'Only this rule (id or name; repeat for more)' })
        .option('min-level', { type: 'string', requiresArg: true, describe: `Show findings at or above this level: ${LEVELS.join(', ')}` })
        .option('fail-level', { type: 'string', requiresArg: true, describe: `Exit ${EXIT.checkFailed} when a finding is at or above this level (for scripts; default: never)` })
        .option('full', { type: 'boolean', describe: 'Re-evaluate every rule on every event (normally only new events and changed rules are evaluated)' })
        .option('strategy', {
          type: 'string',
          choices: ['sql', 'scan'],
          describe: 'sql (default): the case index decides what it can and only the rest of the records is read; scan: read and evaluate every record (a cross-check; slow)',
        })
        .options(outputOptions)
        .example('trailhound detect --db case.db', 'Every shipped rule; findings most severe first')
        .example('trailhound detect --db case.db --min-level high --fail-level high', `Only high and critical; exit ${EXIT.checkFailed} if there are any`)
        .example('trailhound detect --db case.db --rules ./my-rules --rules builtin --format json', 'Your rules and the shipped ones, as JSON') as never,
    handler: (argv) => {
      const out = readOutput(argv);
      const minLevel = readLevel('min-level', argv['min-level']);
      const failLevel = readLevel('fail-level', argv['fail-level']);
      const set = loadRuleSet({ dirs: argv.rules, only: argv.rule, placeholders: readPlaceholders(argv.placeholder) });
      const db = openCase(argv.db);
      let findings;
      let summary;
      let failed = false;
      try {
        summary = runDetect(db, set.rules, { toolVersion: VERSION, full: argv.full === true, strategy: argv.strategy === 'scan' ? 'scan' : 'sql', forgetOthers: set.complete && !argv.rules?.length });
        const ruleIds = set.rules.filter((r) => r.kind === 'correlation' || r.generate).map((r) => r.meta.id);
        const all = listFindings(db, { ruleIds });
        failed = failLevel !== undefined && all.some((f) => levelRank(f.level) >= levelRank(failLevel));
        findings = minLevel ? all.filter((f) => levelRank(f.level) >= levelRank(minLevel)) : all;
      } finally {
        db.close();
      }
      const skipped = set.skipped;
      if (out.format === 'json') {
        process.stdout.write(
          renderJson({
            rules: { loaded: set.loaded, run: set.rules.length, skipped },
            run: {
              events: summary.events,
              newEvents: summary.newEvents,
              rulesIncremental: summary.rules.incremental,
              recordsRead: summary.recordsRead,
              unreadable: summary.unreadable.length,
              ms: Math.round(summary.timings.totalMs),
            },
            findings,
          }),
        );
      } else if (out.format === 'jsonl') process.stdout.write(renderJsonLines(findings));
      else if (out.format === 'csv') process.stdout.write(renderFindingsCsv(findings, out.excel));
      else if (out.format === 'md') process.stdout.write(renderFindingsMarkdown(findings));
      else {
        const counts = LEVELS.map((l) => [l, findings.filter((f) => f.level === l).length] as const).filter(([, n]) => n > 0);
        process.stdout.write(renderFindingsTable(findings, out.width));
        process.stderr.write(
          `${findings.length} finding${findings.length === 1 ? '' : 's'}${counts.length ? ` (${counts.reverse().map(([l, n]) => `${n} ${l}`).join(', ')})` : ''} from ${set.rules.length} rules over ${summary.events} events` +
            `${summary.rules.incremental ? ` (${summary.rules.incremental} rules only on the ${summary.newEvents} new events)` : ''}\n`,
        );
      }
      if (out.format !== 'json') {
        for (const s of skipped) process.stderr.write(`trailhound: rule skipped: ${escapeControl(s.path)}${s.line ? `:${s.line}` : ''}: ${escapeControl(s.reason)}\n`);
      }
      for (const u of summary.unreadable.slice(0, 20)) process.stderr.write(`trailhound: event row ${u.row} could not be read for detection: ${escapeControl(u.reason)}\n`);
      if (failed) ctx.exitCode = EXIT.checkFailed;
    },
  };
}
