// The tui command's contract outside a terminal, and `trailhound --db case.db` defaulting to it on a terminal.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { withDefaultCommand } from '../../src/cli/commands/tui.js';

describe('trailhound tui', () => {
  it('needs a terminal: piped, it says what to use instead and exits 2', () => {
    const r = runCli(['tui', '--db', 'nowhere.db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "trailhound: tui needs a terminal (stdin and stdout are not both a TTY); for scripts use trailhound search, show or investigate\nRun 'trailhound tui --help' for usage.\n",
    );
    expect(r.stdout).toBe('');
  });
  it('answers --help with its options', () => {
    const r = runCli(['tui', '--help']);
    expect(r.code).toBe(0);
    for (const o of ['--db', '--filter', '--events', '--tz']) expect(r.stdout).toContain(o);
  });
  it('rejects a bad --tz before anything else', () => {
    const r = runCli(['tui', '--db', 'x.db', '--tz', 'Mars/Olympus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailhound: --tz: /);
  });
  it('`--db case.db` with no command means tui, on a terminal only', () => {
    expect(withDefaultCommand(['--db', 'c.db'], true)).toEqual(['tui', '--db', 'c.db']);
    expect(withDefaultCommand(['--db=c.db', '--tz', 'UTC'], true)).toEqual(['tui', '--db=c.db', '--tz', 'UTC']);
    expect(withDefaultCommand(['--db', 'c.db'], false)).toEqual(['--db', 'c.db']);
    expect(withDefaultCommand(['search', '--db', 'c.db'], true)).toEqual(['search', '--db', 'c.db']);
    expect(withDefaultCommand(['--db', 'c.db', '--help'], true)).toEqual(['--db', 'c.db', '--help']);
    expect(withDefaultCommand(['--version'], true)).toEqual(['--version']);
    // Piped, `--db` alone is still a usage error naming the missing command.
    const r = runCli(['--db', 'c.db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Name a command');
  });
});
