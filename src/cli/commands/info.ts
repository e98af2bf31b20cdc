// trailhound info --db case.db [--format table|json|jsonl|csv|md] [--json]

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { openCase } from '../../index/open.js';
import { caseInfo, type CaseInfo } from '../../index/info.js';
import { escapeControl } from '../../model/escape.js';
import { renderDocument } from '../../report/record.js';
import { dbOptions, outputOptions, readOutput } from '../options.js';
import { shellWord } from '../../report/warnings.js';

/** `N (E errors): top codes a 3, b 1; list them: trailhound warnings --db <case>`, or `0`. */
function warningsLine(info: CaseInfo, db: string): string {
  if (info.warnings === 0) return '0';
  const codes = Object.entries(info.warningsByCode);
  const top = codes.slice(0, 5).map(([c, n]) => `${c} ${n}`).join(', ') + (codes.length > 5 ? `, … (${codes.length - 5} more codes)` : '');
  const errors = `${info.warningErrors} error${info.warningErrors === 1 ? '' : 's'}`;
  return escapeControl(`${info.warnings} (${errors}): top codes ${top}; list them: trailhound warnings --db ${shellWord(db)}`);
}

interface Args {
  db: string;
  format?: string;
  json?: boolean;
  excel?: boolean;
  width?: number;
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'info',
    describe: 'What the case holds: events, sources by kind, accounts, regions, time range, warnings',
    builder: (y) =>
      y
        .options(dbOptions)
        .options(outputOptions)
        .example('trailhound info --db case.db --format csv', 'The same facts as key,value rows (docs/output-formats.md)') as never,
    handler: (argv) => {
      const out = readOutput(argv);
      const db = openCase(argv.db, { readonly: true });
      try {
        const info = caseInfo(db);
        if (out.format !== 'table') {
          process.stdout.write(renderDocument(info, out.format, { excel: out.excel }));
        } else {
          const lines = [
            `case         ${argv.db} (schema v${info.schemaVersion})`,
            `events       ${info.events} unique, ${info.occurrences} records seen${info.partialEvents ? `, ${info.partialEvents} partial` : ''}${info.conflicts ? `, ${info.conflicts} with conflicting bodies` : ''}`,
            `sources      ${Object.entries(info.sources).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`,
            `accounts     ${info.accounts.join(', ') || '-'}`,
            `regions      ${info.regions.join(', ') || '-'}`,
            `time range   ${info.timeRange.start ?? '-'} .. ${info.timeRange.end ?? '-'}`,
            `categories   ${Object.entries(info.categories).map(([k, n]) => `${k} ${n}`).join(', ') || '-'}`,
            `warnings     ${warningsLine(info, argv.db)}`,
            `embedded     ${(info.embeddedBytes / 1e6).toFixed(1)} MB of evidence bytes`,
            info.integrity
              ? `integrity    verified ${info.integrity.finishedAt} (exit ${info.integrity.exitCode}): log files ${Object.entries(info.integrity.sources).map(([k, n]) => `${n} ${k}`).join(', ')}`
              : 'integrity    not verified (run: trailhound verify <evidence> --db <case>)',
          ];
          // Accounts, regions and categories come from the events (attacker-controlled): every line is escaped.
          process.stdout.write(`${lines.map(escapeControl).join('\n')}\n`);
        }
      } finally {
        db.close();
      }
      void ctx;
    },
  };
}
