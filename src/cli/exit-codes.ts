// One exit-code scheme for every command (docs/exit-codes.md).
export const EXIT = {
  ok: 0,
  fatal: 1,
  usage: 2,
  integrityFailure: 3,
  incomplete: 4, // finished, but files or records were skipped (each listed)
  assuranceGaps: 5, // verify: no failure, but gaps in assurance
} as const;

/** A usage error: the message is printed and the process exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
