// trailhound rules list|show|test [DIR]...
// The detection rules without a case: list them, show one in full, run their examples and lint them
// (docs/detections.md).

import type { Argv, CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { outputOptions, readOutput } from '../options.js';
import { EXIT, RuleError } from '../../model/errors.js';
import { loadRuleSet, readPlaceholders } from '../../detect/rule-set.js';
import { runExamples } from '../../detect/examples.js';
import { exampleResultsView, lintRules, ruleJson, ruleListView, ruleView } from '../../detect/rule-views.js';
import { renderJson, renderJsonLines } from '../../report/json.js';
import { renderView, viewRecords } from '../../report/report-view.js';
import { renderCsv } from '../../report/csv.js';
import type { ReportView } from '../../model/report-view.js';
import { ruleSetOptions } from './detect.js';

interface Args {
  dirs?: string[];
  id?: string;
  rules?: string[];
  placeholder?: string[];
  format?: string;
  json?: boolean;
  excel?: boolean;
  width?: number;
}

function print(view: ReportView, json: unknown, argv: Args): void {
  const out = readOutput(argv);
  if (out.format === 'json') process.stdout.write(renderJson(json));
  else if (out.format === 'jsonl' || out.format === 'csv') {
    const { columns, rows } = viewRecords(view);
    if (out.format === 'jsonl') process.stdout.write(renderJsonLines(rows.map((r) => Object.fromEntries(columns.filter((c) => c in r).map((c) => [c, r[c]])))));
    else process.stdout.write(renderCsv(columns.map((k) => ({ key: k, header: k })), rows, { excel: out.excel }));
  } else process.stdout.write(renderView(view, out.format === 'md' ? 'md' : 'table', out.width));
}

function dirsOf(argv: Args): string[] | undefined {
  const d = [...(argv.dirs ?? []), ...(argv.rules ?? [])];
  return d.length ? d : undefined;
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  const common = (y: Argv) => y.options(ruleSetOptions).options(outputOptions);
  return {
    command: 'rules <action>',
    describe: 'List, show and test the detection rules (no case needed)',
    builder: (y) =>
      y
        .command({
          command: 'list [dirs..]',
          describe: 'List the rules (the shipped packs, or the folders given) and the ones that do not load',
          builder: (b) => common(b).positional('dirs', { type: 'string', array: true, describe: 'Rule folders or files (default: the shipped packs)' }) as never,
          handler: (a) => {
            const argv = a as unknown as Args;
            const set = loadRuleSet({ dirs: dirsOf(argv), placeholders: readPlaceholders(argv.placeholder) });
            print(ruleListView(set.rules, set.skipped), { rules: set.rules.map(ruleJson), skipped: set.skipped }, argv);
            if (set.skipped.some((s) => !s.optional)) ctx.exitCode = EXIT.checkFailed;
          },
        })
        .command({
          command: 'show <id>',
          describe: 'Show one rule: what it matches, which fields the case index decides, its examples',
          builder: (b) => common(b).positional('id', { type: 'string', describe: 'Rule id or name' }) as never,
          handler: (a) => {
            const argv = a as unknown as Args;
            const set = loadRuleSet({ dirs: argv.rules, placeholders: readPlaceholders(argv.placeholder) });
            const id = String(argv.id);
            const rule = set.rules.find((r) => r.meta.id === id || r.meta.name === id);
            if (!rule) {
              const s = set.skipped.find((x) => x.id === id);
              throw new RuleError(s ? `rule ${id} does not load: ${s.path}${s.line ? `:${s.line}` : ''}: ${s.reason}` : `no rule has id or name "${id}" (trailhound rules list shows them)`);
            }
            print(ruleView(rule), ruleJson(rule), argv);
          },
        })
        .command({
          command: 'test [dirs..]',
          describe: `Run every rule's examples and lint the rules; exit ${EXIT.checkFailed} when an example fails or a rule does not load`,
          builder: (b) => common(b).positional('dirs', { type: 'string', array: true, describe: 'Rule folders or files (default: the shipped packs)' }) as never,
          handler: (a) => {
            const argv = a as unknown as Args;
            const set = loadRuleSet({ dirs: dirsOf(argv), placeholders: readPlaceholders(argv.placeholder) });
            const results = runExamples(set.rules);
            const lint = lintRules(set.rules);
            print(exampleResultsView(results, set.skipped, lint), { rules: set.rules.length, examples: results, skipped: set.skipped, lint }, argv);
            if (set.skipped.some((s) => !s.optional) || results.some((r) => !r.passed)) ctx.exitCode = EXIT.checkFailed;
          },
        })
        .demandCommand(1, 'name an action: list, show or test') as never,
    handler: () => undefined,
  };
}
