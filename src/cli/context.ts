// What main.ts hands every command (src/cli/commands/*.ts): the holder of the exit code a command that finishes
// without an error ends with (ingest's 4, verify's 3 and 5). Errors carry their own exit code (src/model/errors.ts).

/** The exit code of a command that returns normally; main.ts starts it at 0 and returns it. */
export interface CommandContext {
  exitCode: number;
}
