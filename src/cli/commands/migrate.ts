// trailhound migrate --db case.db: bring a case made by an older trailhound to this schema version.

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { migrateCase } from '../../index/open.js';
import { EXIT } from '../../model/errors.js';

interface Args {
  db: string;
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'migrate',
    describe: 'Upgrade a case file made by an older trailhound to the current schema (each step in its own transaction)',
    builder: (y) => y.option('db', { type: 'string', demandOption: true, describe: 'Case file' }) as never,
    handler: (argv) => {
      const { from, to, applied, idsNotRepaired } = migrateCase(argv.db);
      process.stdout.write(applied.length ? `${argv.db}: schema ${from} → ${to} (${applied.join(', ')})\n` : `${argv.db}: already at schema ${to}\n`);
      if (idsNotRepaired > 0) {
        process.stderr.write(`${argv.db}: ${idsNotRepaired} IDs an older trailhound stored as numbers could not be read back from their records (evidence not embedded and not found); list them: trailhound warnings --db ${argv.db} --code id_not_repaired\n`);
        ctx.exitCode = EXIT.incomplete;
      }
    },
  };
}
