// The one error hierarchy (after plaso's lib/errors.py). Every error trailhound raises on purpose is a
// TrailhoundError carrying the exit code of the process it ends; src/cli/main.ts is the only place that turns an
// error into stderr text and an exit code. EXIT is the one list of exit codes (docs/exit-codes.md). Pure; imports
// nothing.

/** Exit codes of every command (docs/exit-codes.md). */
export const EXIT = {
  ok: 0,
  fatal: 1,
  usage: 2,
  integrityFailure: 3,
  incomplete: 4, // finished, but files or records were skipped (each listed)
  assuranceGaps: 5, // verify: no failure, but gaps in assurance
  checkFailed: 6, // detect: a finding at or above --fail-level; rules test: an example failed or a rule did not load
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The base of every error trailhound raises on purpose: the message is for the user, `exitCode` ends the process. */
export class TrailhoundError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

// ---- exit 2: bad usage (the CLI adds "Run 'trailhound <command> --help' for usage.") ----

/** The command line is wrong: an unknown option, a missing value, a value of the wrong form. */
export class UsageError extends TrailhoundError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** A time value that cannot be read (model/time.ts parseTime); names the option when the caller gave it. */
export class TimeFormatError extends UsageError {}

/** An identifier given to an investigation is not of the expected form (an instance ID that is not i-…). */
export class InvestigationInputError extends UsageError {}

/** A scenario (scenarios/*.yaml) is malformed, unknown, or given parameters it does not declare. */
export class ScenarioDefinitionError extends UsageError {}

/** lookup-events' aws-cli arguments (--lookup-attributes, --starting-token, ...) are malformed. */
export class LookupArgumentError extends UsageError {}

/** A statement given to `trailhound sql` cannot run: not one statement, not a query, a parameter missing, or SQLite's own error. */
export class UserSqlError extends UsageError {}

/**
 * A detection rule cannot be used: bad YAML, an unknown modifier, a malformed condition or filter pattern. `at` says
 * where: a path into the rule document (the loader turns it into a line) and/or a character offset into the text
 * the parser was given (a condition or a filter pattern).
 */
export class RuleError extends UsageError {
  constructor(
    message: string,
    readonly at: { path?: Array<string | number>; offset?: number } = {},
  ) {
    super(message);
  }
}

/** aws-cli's --query: the JMESPath expression is malformed or cannot be applied. */
export class QueryError extends UsageError {
  constructor(message: string) {
    super(`--query: ${message}`);
  }
}

/** aws-cli's --output cannot format this response (aws-cli itself fails the same way). */
export class AwsFormatError extends UsageError {
  constructor(message: string) {
    super(`--output: aws-cli cannot format this result either: ${message}`);
  }
}

/** An evidence path given on the command line does not exist: nothing was read and no case was created or changed. */
export class EvidencePathError extends UsageError {
  constructor(
    message: string,
    readonly paths: string[],
  ) {
    super(message);
  }
}

// ---- exit 4: nothing (or not everything) was ingested ----

/** The evidence paths hold no files at all (empty directories): nothing was read and no case was created or changed. */
export class NoEvidenceError extends TrailhoundError {
  constructor(message: string) {
    super(message, EXIT.incomplete);
  }
}

// ---- exit 1: fatal ----

/** The case file is missing, not a case, damaged, or too new. Messages name the file and say what to do. */
export class CaseError extends TrailhoundError {
  constructor(message: string) {
    super(message, EXIT.fatal);
  }
}

/** What to say about a case file SQLite finds damaged (truncated, overwritten): the file, the cause, the fix. */
export function damagedCaseMessage(file: string, cause: string): string {
  return `case file ${file} is damaged (${cause}); re-create it with trailhound ingest <evidence> --db NEW.db, or restore a copy`;
}

/** One evidence file's gzip data is truncated, corrupt, too large or not gzip. Ingest and verify record it per file. */
export class GzipError extends TrailhoundError {
  constructor(
    readonly code: 'truncated' | 'corrupt' | 'too_large' | 'not_gzip',
    message: string,
  ) {
    super(message, EXIT.fatal);
  }
}

/** The TUI cannot write an export file (no name, inside the evidence, exists, folder missing); shown in the TUI. */
export class ExportError extends TrailhoundError {
  constructor(message: string) {
    super(message, EXIT.fatal);
  }
}
