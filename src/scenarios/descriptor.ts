// What an investigation is, declared once: id, titles, typed parameters (how the command line, the TUI form and
// `investigate list` ask for them), how it runs over a case and how its result is laid out. The registry
// (registry.ts) holds these descriptors next to the YAML named queries; `trailhound investigate`'s subcommands, the
// TUI's investigations menu and forms, and `investigate list` are generated from it. docs/investigations.md
// ("Adding an investigation") walks through one.

import type { Db } from '../index/open.js';
import type { ReportView } from '../model/report-view.js';
import type { InvestigationOptions } from './common.js';

export type ParameterType = 'string' | 'integer' | 'number' | 'boolean' | 'time';

/** A parameter as the registry lists it (`investigate list`) and as a YAML named query declares it. */
export interface ScenarioParameter {
  name: string;
  type: ParameterType;
  description: string;
  required: boolean;
  /** Default when not given (times as written, e.g. "2024-02-17T00:00:00Z"); null when absent. */
  default: string | number | boolean | null;
  /** For strings: a regular expression the value must match. */
  pattern: string | null;
}

/** What an event offers to pre-fill a TUI form with (the event the menu was opened on). */
export type EventSubject = 'accessKey' | 'instanceId' | 'groupId';

/** A code investigation's parameter: the listed fields, plus where it sits on the command line and in the TUI. */
export interface InvestigationParameter extends ScenarioParameter {
  /**
   * The command line: a positional (`<name>` when required, else `[name]`) or an option `--flag`; `describe` is its
   * help text. Times are read with --tz (every --start-time form); integers are checked against `min`.
   */
  cli: { positional: true; describe: string } | { option: string; describe: string; alias?: string | readonly string[] };
  /** The TUI form field (label, example, the event value that pre-fills it); absent: the TUI leaves the default. */
  form?: { label: string; example: string; fill?: EventSubject };
  /** Smallest value of an integer. */
  min?: number;
  /** A command-line switch only (--all, --all-events): not listed among the registry's parameters. */
  cliOnly?: boolean;
}

/** Parameter values by name: strings, numbers (integers, times as epoch ms), booleans; null when not given. */
export type ParameterValues = Record<string, string | number | boolean | null>;

/** How a result is being shown: `full` when nothing should be left out (the TUI, jsonl/csv exports). */
interface ViewContext {
  tz: string;
  params: ParameterValues;
  full: boolean;
}

export interface Investigation<R = unknown> {
  kind: 'code';
  /** Registry id, `investigate.<name>`. */
  id: string;
  /** The subcommand (`trailhound investigate <name>`) and the TUI menu's name. */
  name: string;
  /** How `investigate list` says to run it. */
  command: string;
  title: string;
  description: string;
  /** One line under `trailhound investigate --help`. */
  summary: string;
  /** The TUI menu's line. */
  menuTitle: string;
  parameters: readonly InvestigationParameter[];
  /** Shown under `trailhound investigate --help`: [command line, what it does]. */
  example: readonly [string, string];
  /** Shown under the subcommand's own --help. */
  commandExamples?: ReadonlyArray<readonly [string, string]>;
  /** Rules between the command line's parameters, checked before the case is opened (throws InvestigationInputError). */
  check?(params: ParameterValues): void;
  /** Run over a case (malformed input throws InvestigationInputError). */
  run(db: Db, params: ParameterValues, common: InvestigationOptions): R;
  /** The result laid out for people (JSON output is the result itself). Pure. */
  view(result: R, ctx: ViewContext): ReportView;
  /** Why the result is empty when its subject is absent from the case (said on stderr), else null. */
  notFound?(result: R): string | null;
  /** A tree the TUI draws above the sections (the access key's credential lineage), or null. */
  tree?(result: R, tz: string): { title: string; lines: string[] } | null;
}
