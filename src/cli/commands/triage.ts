// trailhound triage [evidence..] --db case.db [--report FILE.html] [--md FILE.md] [--timeline FILE.jsonl|csv]
// One command from evidence to "what happened here": ingest (incremental), verify, detect, the case-wide
// investigations and the follow-ups, then a summary on the terminal (or JSON) and the reports asked for
// (docs/triage.md; the JSON contract docs/json-output.md#triage; exit codes docs/exit-codes.md).

import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { listOption, readTz } from '../../index/filter-spec.js';
import { openCase } from '../../index/open.js';
import { EXIT, UsageError } from '../../model/errors.js';
import { escapeControl } from '../../model/escape.js';
import { isLevel, LEVELS, type Level } from '../../model/detection.js';
import { readPlaceholders } from '../../detect/rule-set.js';
import { renderJson } from '../../report/json.js';
import { renderTriageText } from '../../report/triage-text.js';
import { renderTriageMarkdown } from '../../report/triage-markdown.js';
import { renderTriageHtml } from '../../report/triage-html.js';
import { runTriage } from '../../triage/run.js';
import { writeReportFile, refuseEvidenceTarget } from '../../triage/output-file.js';
import { exportTimeline, timelineFormatOfPath } from '../../triage/timeline.js';
import { TIMELINE_FLAVOURS } from '../../report/timeline.js';
import { VERSION } from '../../version.js';
import { ruleSetOptions } from './detect.js';

interface Args {
  evidence?: string[];
  db: string;
  report?: string;
  md?: string;
  timeline?: string;
  'timeline-format'?: string;
  tz?: string;
  format?: string;
  json?: boolean;
  width?: number;
  full?: boolean;
  'fail-level'?: string;
  rules?: string[];
  placeholder?: string[];
  'public-keys'?: string[];
  'digest-metadata'?: string[];
  workers?: number;
  quiet?: boolean;
}

function readLevel(raw: unknown): Level | undefined {
  if (raw === undefined || raw === null) return undefined;
  const v = String(raw).toLowerCase();
  if (!isLevel(v)) throw new UsageError(`--fail-level: "${String(raw)}" is not a level; allowed: ${LEVELS.join(', ')}`);
  return v;
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'triage [evidence..]',
    describe: 'From evidence to "what happened here": ingest, verify, detect, investigate; a summary, an HTML/Markdown report and a timeline',
    builder: (y) =>
      y
        .positional('evidence', { type: 'string', array: true, describe: 'Evidence to ingest first (bucket copies, exports); none: triage the case as it is' })
        .option('db', { type: 'string', demandOption: true, requiresArg: true, describe: 'Case file (created when evidence is given)' })
        .option('report', { type: 'string', requiresArg: true, describe: 'Write the self-contained HTML report here (docs/html-report.md)' })
        .option('md', { type: 'string', requiresArg: true, describe: 'Write the Markdown report here (tickets, wikis)' })
        .option('timeline', { type: 'string', requiresArg: true, describe: 'Write every event with its findings as a timeline: FILE.jsonl or FILE.csv (docs/timeline.md)' })
        .option('timeline-format', { type: 'string', choices: [...TIMELINE_FLAVOURS], describe: 'timesketch (default): imports into Timesketch as is; generic: flat columns for spreadsheets' })
        .option('tz', { type: 'string', requiresArg: true, describe: 'Zone for times in the summary and reports: UTC (default), local, an IANA name (Asia/Seoul) or +09:00; JSON stays UTC' })
        .option('format', { type: 'string', choices: ['table', 'json'], describe: 'table (default): the summary for people; json: the whole triage (docs/json-output.md#triage)' })
        .option('json', { type: 'boolean', describe: 'Same as --format json' })
        .option('width', { type: 'number', requiresArg: true, describe: 'Summary width (default: the terminal width)' })
        .option('full', { type: 'boolean', describe: 'The summary in full: every finding, actor, stack row and the cited events' })
        .option('fail-level', { type: 'string', requiresArg: true, describe: `Exit ${EXIT.checkFailed} when a finding is at or above this level: ${LEVELS.join(', ')}` })
        .options(ruleSetOptions)
        .option('public-keys', { type: 'string', array: true, requiresArg: true, describe: 'Key lists for verify (default: the ones found in the evidence)' })
        .option('digest-metadata', { type: 'string', array: true, requiresArg: true, describe: 'Digest signatures for verify (default: the ones found in the evidence)' })
        .option('workers', { type: 'number', requiresArg: true, describe: 'Parser and hash worker threads (default: per core)' })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'No progress lines on stderr' })
        .example('trailhound triage ./evidence --db case.db --report report.html', 'Ingest, verify, detect and investigate; summary on the terminal, HTML report for the customer')
        .example('trailhound triage --db case.db --md report.md --timeline timeline.jsonl', 'An existing case: Markdown report and a Timesketch timeline')
        .example('trailhound triage ./evidence --db case.db --fail-level high --format json', `For scripts: JSON, exit ${EXIT.checkFailed} when anything is high or critical`) as never,
    handler: async (argv) => {
      const tz = readTz(argv.tz);
      const format = argv.json ? 'json' : (argv.format ?? 'table');
      if (argv.json && argv.format && argv.format !== 'json') throw new UsageError(`--json and --format ${argv.format} cannot be combined: choose one output format`);
      const failLevel = readLevel(argv['fail-level']);
      const timelineFormat = argv.timeline ? timelineFormatOfPath(argv.timeline) : null;
      if (argv.timeline && !timelineFormat) throw new UsageError(`--timeline: "${argv.timeline}" must end in .jsonl or .csv (the format is taken from the name)`);
      if (argv['timeline-format'] && !argv.timeline) throw new UsageError('--timeline-format needs --timeline FILE');
      if (argv.workers !== undefined && (!Number.isInteger(argv.workers) || argv.workers < 0 || argv.workers > 64)) throw new UsageError('--workers: give a whole number from 0 to 64');
      for (const [opt, file, ext] of [['--report', argv.report, /\.html?$/i], ['--md', argv.md, /\.(md|markdown)$/i]] as const) {
        if (file !== undefined && !ext.test(file)) throw new UsageError(`${opt}: "${file}" must end in ${opt === '--report' ? '.html' : '.md'}`);
      }
      // Checked before anything runs: a triage of a large case must not end on a typo in an output path.
      for (const [opt, file] of [['--report', argv.report], ['--md', argv.md], ['--timeline', argv.timeline]] as const) {
        if (file !== undefined && !fs.existsSync(path.dirname(path.resolve(file)))) throw new UsageError(`${opt}: the folder of "${file}" does not exist; create it or write elsewhere`);
      }
      const progress = !argv.quiet && process.stderr.isTTY === true;
      const say = (line: string): void => {
        if (progress) process.stderr.write(`trailhound: ${escapeControl(line)}\n`);
      };
      const run = await runTriage({
        dbPath: argv.db,
        evidence: listOption(argv.evidence),
        tz,
        toolVersion: VERSION,
        rules: argv.rules,
        placeholders: readPlaceholders(argv.placeholder),
        publicKeys: listOption(argv['public-keys']),
        digestMetadata: listOption(argv['digest-metadata']),
        failLevel,
        workers: argv.workers,
        args: process.argv.slice(2),
        onStep: (step, state, note) => say(state === 'start' ? `${step}…` : `${step}: ${note ?? 'done'}`),
        onProblem: (p) => process.stderr.write(`trailhound: ${escapeControl(p.file)}${p.recordIndex !== null ? ` record ${p.recordIndex}` : ''}: ${escapeControl(p.message)}\n`),
        onWarning: (w) => process.stderr.write(`trailhound: warning: ${escapeControl(w.file)}: ${escapeControl(w.message)}\n`),
      });
      const { report } = run;
      for (const s of run.skippedRules.filter((r) => !r.optional)) process.stderr.write(`trailhound: rule skipped: ${escapeControl(s.path)}${s.line ? `:${s.line}` : ''}: ${escapeControl(s.reason)}\n`);
      const written: string[] = [];
      const db = openCase(argv.db, { readonly: true });
      try {
        if (argv.report) {
          refuseEvidenceTarget(db, argv.report, 'the report');
          written.push(`HTML report ${writeReportFile(argv.report, renderTriageHtml(report))}`);
        }
        if (argv.md) {
          refuseEvidenceTarget(db, argv.md, 'the report');
          written.push(`Markdown report ${writeReportFile(argv.md, renderTriageMarkdown(report))}`);
        }
        if (argv.timeline && timelineFormat) {
          const t = exportTimeline(db, argv.timeline, { flavour: argv['timeline-format'] === 'generic' ? 'generic' : 'timesketch', format: timelineFormat });
          written.push(`timeline ${argv.timeline} (${t.events} events, ${t.taggedEvents} tagged with findings${t.skippedUntimed ? `; ${t.skippedUntimed} without a time left out` : ''})`);
        }
      } finally {
        db.close();
      }
      if (format === 'json') process.stdout.write(renderJson(report));
      else process.stdout.write(renderTriageText(report, { width: argv.width ?? (process.stdout.isTTY ? (process.stdout.columns ?? 100) : 0), full: argv.full === true }));
      for (const w of written) process.stderr.write(`trailhound: wrote ${escapeControl(w)}\n`);
      ctx.exitCode = report.exitCode;
    },
  };
}
