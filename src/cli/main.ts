// Entry point: parses arguments with yargs and runs one command (commands are loaded lazily), and the one place
// that turns an error into stderr text and an exit code (the codes are on the classes in src/model/errors.ts).

import yargs from 'yargs';
import type { Argv, CommandModule } from 'yargs';
import { damagedCaseMessage, EXIT, TrailhoundError, UsageError } from '../model/errors.js';
import { closestValues } from '../index/suggest.js';
import { escapeControl, escapeLines } from '../model/escape.js';
import { VERSION } from '../version.js';
import { withDefaultCommand } from './commands/tui.js';
import type { CommandContext } from './context.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;
type CommandLoader = () => Promise<{ command: (ctx: CommandContext) => AnyCommand }>;

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
  { name: 'sql', load: () => import('./commands/sql.js') },
  { name: 'detect', load: () => import('./commands/detect.js') },
  { name: 'rules', load: () => import('./commands/rules.js') },
  { name: 'triage', load: () => import('./commands/triage.js') },
  { name: 'sql-for', load: () => import('./commands/sql-for.js') },
  { name: 'tui', load: () => import('./commands/tui.js') },
  { name: 'export', load: () => import('./commands/export.js') },
  // <commands: add new commands above this line>
];

/** The command named in the arguments (the first word that is one), or null. */
function commandIn(args: readonly string[]): string | null {
  for (const a of args) {
    if (a === '--') return null;
    if (a.startsWith('-')) continue;
    return COMMANDS.some((c) => c.name === a) ? a : null;
  }
  return null;
}

/** Where to look for usage: the command's own help when a command was named. */
function helpHint(args: readonly string[]): string {
  const cmd = commandIn(args);
  return `Run 'trailhound ${cmd ? `${cmd} ` : ''}--help' for usage.`;
}

/** The text given for an option on the command line (`--limit abc`, `--limit=abc`), the last one wins; or null. */
function rawOptionValue(args: readonly string[], names: readonly string[]): string | null {
  let out: string | null = null;
  for (let i = 0; i < args.length; i++) {
    for (const n of names) {
      const flag = n.length === 1 ? `-${n}` : `--${n}`;
      if (args[i] === flag) out = i + 1 < args.length ? args[i + 1] : '';
      else if (args[i].startsWith(`${flag}=`)) out = args[i].slice(flag.length + 1);
    }
  }
  return out;
}

/** Whether the option was given with nothing after it (`info --db` at the end, or followed by another option). */
function givenWithoutValue(args: readonly string[], name: string): boolean {
  const flag = `--${name}`;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `${flag}=`) return true;
    if (args[i] === flag && (i + 1 >= args.length || /^--?[A-Za-z]/.test(args[i + 1]))) return true;
  }
  return false;
}

// yargs' own description of the parsed options (not in its public typings).
interface ParserOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  string: string[];
  number: string[];
  hiddenOptions?: string[];
}

/** Options the current command knows, as `--name` (aliases included, camel-case duplicates left out). */
function knownOptions(y: unknown): string[] {
  const o = (y as { getOptions?: () => ParserOptions }).getOptions?.();
  if (!o) return [];
  const names = new Set<string>(Object.keys(o.key));
  for (const [k, as] of Object.entries(o.alias)) for (const a of [k, ...as]) names.add(a);
  return [...names].filter((n) => n !== '$0' && n !== '_' && !/[A-Z]/.test(n) && n !== 'version').map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
}

/** yargs' "Unknown argument(s): a, b" as one line per argument, each with the nearest known option. */
function unknownOptionMessage(msg: string, y: unknown, args: readonly string[]): string | null {
  const m = /^Unknown arguments?: (.*)$/s.exec(msg);
  if (!m) return null;
  const known = knownOptions(y);
  const given = m[1].split(', ').map((x) => x.trim()).filter(Boolean);
  // yargs lists both spellings of a dashed option (evnt-name, evntName): keep the one that was typed.
  const typed = given.filter((g) => !(/[A-Z]/.test(g) && given.includes(g.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))));
  const cmd = commandIn(args);
  return typed
    .map((g) => {
      const isOption = args.some((a) => a === `--${g}` || a.startsWith(`--${g}=`) || a === `-${g}`);
      const shown = isOption ? (g.length === 1 ? `-${g}` : `--${g}`) : `"${g}"`;
      const near = closestValues(shown.startsWith('-') ? shown : `--${g}`, known, 3);
      const what = isOption ? `unknown option ${shown}${cmd ? ` for ${cmd}` : ''}` : `unexpected argument ${shown}${cmd ? ` for ${cmd}` : ''}`;
      return near.length ? `${what}; did you mean ${near.join(' or ')}?` : what;
    })
    .join('\n');
}

/**
 * Checks yargs leaves to the commands: a number option given text (yargs makes it NaN) and a value option given
 * no value (yargs makes it ""). Both are usage errors naming the option and what was typed.
 */
function checkValues(args: readonly string[]) {
  return (argv: Record<string, unknown>, y: unknown): void => {
    const o = (y as { getOptions?: () => ParserOptions }).getOptions?.();
    if (!o) return;
    for (const key of o.number) {
      const v = argv[key];
      const bad = Array.isArray(v) ? v.some((x) => Number.isNaN(x)) : Number.isNaN(v);
      if (!bad) continue;
      const raw = rawOptionValue(args, [key, ...(o.alias[key] ?? [])]);
      if (raw === '' || raw === null || /^--?[A-Za-z]/.test(raw)) throw new UsageError(`--${key}: no value given; give a whole number, e.g. --${key} 10`);
      throw new UsageError(`--${key}: "${raw}" is not a whole number`);
    }
    for (const key of o.string) {
      if (argv[key] !== '' || !givenWithoutValue(args, key)) continue;
      if (key === 'db') throw new UsageError('--db: no value given; name the case file, e.g. --db case.db');
      throw new UsageError(`--${key}: no value given`);
    }
  };
}

export function buildParser(args: string[], ctx: CommandContext, modules: AnyCommand[]): Argv {
  let parser = yargs(args)
    .scriptName('trailhound')
    .usage('trailhound <command> [options]\n\nOffline forensics for AWS CloudTrail evidence. Makes no network connection.')
    .version(VERSION)
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a command; see trailhound --help.')
    .wrap(process.stdout.isTTY ? Math.min(120, process.stdout.columns || 100) : null)
    .middleware(checkValues(args) as never, true)
    .fail((msg, err) => {
      const following = /^Not enough arguments following: (.+)$/.exec(msg ?? err?.message ?? '');
      if (following) throw new UsageError(following[1] === 'db' ? '--db: no value given; name the case file, e.g. --db case.db' : `--${following[1]}: no value given`);
      // yargs' own argument errors are usage errors, not internal failures.
      if (err && err.name === 'YError') throw new UsageError(err.message);
      if (err) throw err;
      // The parser holds the options of the command being run when validation fails.
      const required = /^Missing required arguments?: (.+)$/.exec(msg);
      if (required) {
        const names = required[1].split(', ').map((n) => (n === 'paths' ? '<paths..>' : `--${n}`));
        const db = names.includes('--db') ? ' (--db names the case file, e.g. --db case.db)' : '';
        throw new UsageError(`missing ${names.join(' and ')}${db}`);
      }
      if (/^Not enough non-option arguments/.test(msg) && commandIn(args) === 'ingest') {
        throw new UsageError('missing the evidence paths; give the files or directories to read, e.g. trailhound ingest ./evidence --db case.db');
      }
      const command = /^Did you mean (.+)\?$/.exec(msg);
      if (command) throw new UsageError(`unknown command "${args.find((a) => !a.startsWith('-')) ?? ''}"; did you mean ${command[1]}? Commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
      throw new UsageError(unknownOptionMessage(msg, parser, args) ?? msg);
    })
    .help();
  for (const m of modules) {
    // --version belongs to trailhound itself, not to each command: hidden from (and refused by) the commands.
    const builder = m.builder;
    parser = parser.command({
      ...m,
      builder: (y: Argv) => {
        const built = typeof builder === 'function' ? (builder(y) as Argv | undefined) ?? y : builder ? y.options(builder) : y;
        return built.version(false);
      },
    } as AnyCommand);
  }
  void ctx;
  return parser;
}

let epipeHandled = false;
let running: CommandContext = { exitCode: EXIT.ok };

export async function main(args: string[]): Promise<number> {
  const ctx: CommandContext = { exitCode: EXIT.ok };
  running = ctx;
  if (!epipeHandled) {
    // A closed pipe (`| head`) ends the run quietly with the exit code so far. Added once per process.
    epipeHandled = true;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(running.exitCode);
    });
  }
  // Runbooks that were flattened onto one line keep their continuation backslashes ("... \ --region x"):
  // bash turns "\ " into an argument with a leading space. Accept those options as the user meant them.
  args = args.map((a) => (/^\s+--?[A-Za-z]/.test(a) ? a.trimStart() : a));
  try {
    const effective = withDefaultCommand(args, process.stdout.isTTY === true);
    // Only the command named is loaded (each pulls in its own dependencies: the TUI's ink and react, the rule
    // engine …); without one (--help, a typo to suggest a command for) all of them are.
    const named = commandIn(effective);
    const modules = await Promise.all(COMMANDS.filter((c) => named === null || c.name === named).map(async (c) => (await c.load()).command(ctx)));
    await buildParser(effective, ctx, modules).parseAsync();
    return ctx.exitCode;
  } catch (err) {
    // Messages may quote evidence or arguments: escaped. A usage message may hold a caret line under the text it
    // points into (--query), so its line breaks stay; every other message is one line.
    const message = escapeLines(err instanceof Error ? err.message : String(err));
    if (err instanceof UsageError) {
      process.stderr.write(`trailhound: ${message}\n${helpHint(args)}\n`);
      return err.exitCode;
    }
    if (err instanceof TrailhoundError) {
      process.stderr.write(`trailhound: ${escapeControl(err.message)}\n`);
      return err.exitCode;
    }
    // A damaged case can also surface after it opened (a page read mid-query): name the file and the fix.
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
      const db = rawOptionValue(args, ['db']);
      process.stderr.write(`trailhound: ${escapeLines(db ? damagedCaseMessage(db, `SQLite: ${(err as Error).message}`) : `the case file is damaged (SQLite: ${(err as Error).message}); re-create it with trailhound ingest <evidence> --db NEW.db, or restore a copy`)}\n`);
      return EXIT.fatal;
    }
    process.stderr.write(`trailhound: fatal: ${message}\n`);
    if (process.env.TRAILHOUND_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return EXIT.fatal;
  }
}
