// trailhound info --db case.db [--stats] [--format table|json|jsonl|csv|md] [--json]

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { openCase } from '../../index/open.js';
import { caseInfo } from '../../index/info.js';
import { caseStats } from '../../index/case-stats.js';
import { renderDocument } from '../../report/record.js';
import { dbOptions, outputOptions, readOutput } from '../options.js';
import { renderInfoText, renderStatsText } from '../../report/info.js';

interface Args {
  db: string;
  format?: string;
  json?: boolean;
  excel?: boolean;
  width?: number;
  stats?: boolean;
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'info',
    describe: 'What the case holds: events, sources by kind, accounts, regions, time range, warnings',
    builder: (y) =>
      y
        .options(dbOptions)
        .options(outputOptions)
        .option('stats', { type: 'boolean', describe: 'Also where the case file\'s bytes go: each table and index, bytes per unique event, the embedded evidence\'s share (reads every page)' })
        .example('trailhound info --db case.db --stats', 'Bytes by table and index, and per event')
        .example('trailhound info --db case.db --format csv', 'The same facts as key,value rows (docs/output-formats.md)') as never,
    handler: (argv) => {
      const out = readOutput(argv);
      const db = openCase(argv.db, { readonly: true });
      try {
        const info = caseInfo(db);
        const stats = argv.stats === true ? caseStats(db) : undefined;
        if (out.format !== 'table') {
          process.stdout.write(renderDocument(stats ? { ...info, stats } : info, out.format, { excel: out.excel }));
        } else {
          process.stdout.write(renderInfoText(info, argv.db) + (stats ? renderStatsText(stats) : ''));
        }
      } finally {
        db.close();
      }
      void ctx;
    },
  };
}
