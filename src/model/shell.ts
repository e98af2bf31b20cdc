// Quoting for the commands trailhound prints for people to paste (response plans, next steps): never executed.

/** Quote a value for a POSIX shell: as is when it holds only safe characters, else in single quotes. */
export function shellQuote(v: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}
