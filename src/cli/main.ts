// Entry point: parses arguments with yargs and runs one command. Commands are loaded lazily.

import yargs from 'yargs';
import type { Argv, CommandModule } from 'yargs';
import { EXIT, UsageError } from './exit-codes.js';
import { CaseError } from '../index/errors.js';
import { escapeLines } from '../model/escape.js';
import { VERSION } from '../version.js';
import { withDefaultCommand } from './commands/tui.js';

/** Each command module sets `process.exitCode`-style results through this holder. */
export interface CommandContext {
  exitCode: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;
export type CommandLoader = () => Promise<{ command: (ctx: CommandContext) => AnyCommand }>;

/** Registry of commands: name and lazy loader. Add one line per command. */
export const COMMANDS: ReadonlyArray<{ name: string; load: CommandLoader }> = [
  { name: 'ingest', load: () => import('./commands/ingest.js') },
  { name: 'info', load: () => import('./commands/info.js') },
  { name: 'migrate', load: () => import('./commands/migrate.js') },
  { name: 'search', load: () => import('./commands/search.js') },
  { name: 'lookup-events', load: () => import('./commands/lookup-events.js') },
  { name: 'show', load: () => import('./commands/show.js') },
  { name: 'warnings', load: () => import('./commands/warnings.js') },
  { name: 'verify', load: () => import('./commands/verify.js') },
  { name: 'investigate', load: () => import('./commands/investigate.js') },
  { name: 'tui', load: () => import('./commands/tui.js') },
  // <commands: add new commands above this line>
];

export function buildParser(args: string[], ctx: CommandContext, modules: AnyCommand[]): Argv {
  let parser = yargs(args)
    .scriptName('trailhound')
    .usage('trailhound <command> [options]\n\nOffline forensics for AWS CloudTrail evidence. Makes no network connection.')
    .version(VERSION)
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a command; see trailhound --help.')
    .wrap(process.stdout.isTTY ? Math.min(120, process.stdout.columns || 100) : null)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    })
    .help();
  for (const m of modules) parser = parser.command(m);
  void ctx;
  return parser;
}

export async function main(args: string[]): Promise<number> {
  const ctx: CommandContext = { exitCode: EXIT.ok };
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(ctx.exitCode);
  });
  // Runbooks that were flattened onto one line keep their continuation backslashes ("... \ --region x"):
  // bash turns "\ " into an argument with a leading space. Accept those options as the user meant them.
  args = args.map((a) => (/^\s+--?[A-Za-z]/.test(a) ? a.trimStart() : a));
  try {
    const modules = await Promise.all(COMMANDS.map(async (c) => (await c.load()).command(ctx)));
    await buildParser(withDefaultCommand(args, process.stdout.isTTY === true), ctx, modules).parseAsync();
    return ctx.exitCode;
  } catch (err) {
    // Messages may quote evidence or arguments: escaped, line by line (a message may hold a caret line).
    const message = escapeLines(err instanceof Error ? err.message : String(err));
    if (err instanceof UsageError) {
      process.stderr.write(`trailhound: ${message}\nRun 'trailhound --help' for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof CaseError) {
      process.stderr.write(`trailhound: ${message}\n`);
      return EXIT.fatal;
    }
    process.stderr.write(`trailhound: fatal: ${message}\n`);
    if (process.env.TRAILHOUND_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return EXIT.fatal;
  }
}
