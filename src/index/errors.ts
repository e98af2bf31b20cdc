// Errors about the case file itself. Messages name the file and say what to do.

export class CaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseError';
  }
}

/** What to say about a case file SQLite finds damaged (truncated, overwritten): the file, the cause, the fix. */
export function damagedCaseMessage(file: string, cause: string): string {
  return `case file ${file} is damaged (${cause}); re-create it with trailhound ingest <evidence> --db NEW.db, or restore a copy`;
}
