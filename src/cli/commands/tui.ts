// trailhound tui --db case.db [--filter "key:value …"] [--events] [--tz ZONE]
// The terminal UI (src/tui/, docs/tui.md). Ink and React are imported only when this command runs, so the other
// commands do not load them. `trailhound --db case.db` with no command opens it too, when stdout is a terminal.

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { UsageError } from '../../model/errors.js';
import { dbOptions, timeRangeOptions } from '../options.js';
import { readTz } from '../../index/filter-spec.js';

interface Args {
  db: string;
  filter?: string;
  events: boolean;
  tz: string;
}

/** `trailhound --db case.db` (options only, no command) on a terminal means `trailhound tui --db case.db`. */
export function withDefaultCommand(args: readonly string[], isTty: boolean): string[] {
  if (!isTty || args.length === 0) return [...args];
  if (!args[0].startsWith('-')) return [...args];
  if (args.some((a) => a === '--help' || a === '-h' || a === '--version')) return [...args];
  if (!args.some((a) => a === '--db' || a.startsWith('--db='))) return [...args];
  return ['tui', ...args];
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'tui',
    describe: 'Investigate a case interactively in the terminal: triage findings, overview, filters, timeline, event detail, investigations',
    builder: (y) =>
      y
        .options(dbOptions)
        .option('filter', { type: 'string', requiresArg: true, describe: 'Start with this filter, as typed in the filter bar: key:value terms with the search option names' })
        .option('events', { type: 'boolean', default: false, describe: 'Start on the event list (default: the triage screen when the case has findings, else the overview)' })
        .option('tz', timeRangeOptions.tz)
        .example('trailhound tui --db case.db', 'Overview, then Tab for the events')
        .example('trailhound tui --db case.db --events --filter "access-key:AKIAXXXXXXXXXXXXXXXX"', 'What a key did, newest first') as never,
    handler: async (argv) => {
      const tz = readTz(argv.tz);
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        throw new UsageError('tui needs a terminal (stdin and stdout are not both a TTY); for scripts use trailhound search, show or investigate');
      }
      // Ink renders only a final frame when it believes it runs in CI (CI / CONTINUOUS_INTEGRATION set), which
      // leaves an interactive terminal blank. The user asked for an interactive UI on a TTY: render it. Ink reads
      // the variables when it is first imported, which is just below.
      delete process.env.CI;
      delete process.env.CONTINUOUS_INTEGRATION;
      const { runTui } = await import('../../tui/run.js');
      await runTui({ db: argv.db, tz, ...(argv.filter !== undefined ? { filter: argv.filter } : {}), ...(argv.events ? { startOn: 'events' as const } : {}) });
      void ctx;
    },
  };
}
