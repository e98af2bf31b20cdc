// trailhound info --db case.db [--format table|json|jsonl|csv|md] [--json]

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { openCase } from '../../index/open.js';
import { caseInfo } from '../../index/info.js';
import { renderDocument } from '../../report/record.js';
import { dbOptions, outputOptions, readOutput } from '../options.js';
import { renderInfoText } from '../../report/info.js';

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
          process.stdout.write(renderInfoText(info, argv.db));
        }
      } finally {
        db.close();
      }
      void ctx;
    },
  };
}
