// Errors about the case file itself. Messages name the file and say what to do.

export class CaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseError';
  }
}
