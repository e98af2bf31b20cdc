// Errors that name the file or argument and the fix (issue 14): evidence paths, empty trees, options without
// values, numbers that are not, unknown options, damaged cases, per-command help; and search's helpful empty results.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import { event, writeLog } from '../helpers/evidence.js';

let dir = '';
let db = '';
beforeAll(async () => {
  dir = tmpDir();
  writeLog(path.join(dir, 'ev'), [
    event({ eventName: 'RunInstances', eventTime: '2024-02-17T10:00:01Z', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/m.keller', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEKELLER001', userName: 'm.keller' } }),
    event({ eventName: 'DescribeInstances', eventTime: '2024-02-17T10:00:02Z' }),
    event({ eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', eventTime: '2024-02-17T10:00:03Z' }),
  ]);
  db = path.join(dir, 'case.db');
  expect((await runCliInProcess(['ingest', path.join(dir, 'ev'), '--db', db, '--quiet'])).code).toBe(0);
});

describe('ingest: evidence paths are checked before the case is opened', () => {
  it('a path that does not exist is a usage error (exit 2) and creates no case', async () => {
    const d = tmpDir();
    const target = path.join(d, 'x.db');
    const r = await runCliInProcess(['ingest', path.join(d, 'nonexistent'), '--db', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `trailhound: evidence path not found: ${path.join(d, 'nonexistent')} (no such file or directory); give existing files or directories (nothing was read, no case was written)\nRun 'trailhound ingest --help' for usage.\n`,
    );
    expect(fs.existsSync(target)).toBe(false);
  });
  it('one missing path among good ones: still nothing is read or written', async () => {
    const d = tmpDir();
    const target = path.join(d, 'x.db');
    const r = await runCliInProcess(['ingest', path.join(dir, 'ev'), path.join(d, 'typo'), '--db', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`evidence path not found: ${path.join(d, 'typo')}`);
    expect(fs.existsSync(target)).toBe(false);
  });
  it('a tree with no files at all says so, exits 4 and leaves no empty case behind', async () => {
    const d = tmpDir();
    fs.mkdirSync(path.join(d, 'empty', 'sub'), { recursive: true });
    const target = path.join(d, 'x.db');
    const r = await runCliInProcess(['ingest', path.join(d, 'empty'), '--db', target]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      `trailhound: no files found in ${path.join(d, 'empty')}: nothing to ingest (no case was written); give the directory that holds the evidence (e.g. the copy of the trail bucket)\n`,
    );
    expect(fs.existsSync(target)).toBe(false);
  });
  // Help runs as a process: yargs prints it with console.log, which vitest takes over in this process.
  it('ingest --help shows no default for the required paths', () => {
    const r = runCli(['ingest', '--help']);
    expect(r.stdout).toMatch(/paths +Evidence files or directories \(read-only; never modified\) +\[array\] \[required\]\n/);
    expect(r.stdout).not.toContain('[default: []]');
  });
});

describe('options: values named, did-you-mean, the command\'s own help', () => {
  it('--db without a value names the option (usage error, not a blank case name)', async () => {
    const r = await runCliInProcess(['info', '--db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("trailhound: --db: no value given; name the case file, e.g. --db case.db\nRun 'trailhound info --help' for usage.\n");
  });
  it('a missing required option is named with an example', async () => {
    const r = await runCliInProcess(['search']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("trailhound: missing --db (--db names the case file, e.g. --db case.db)\nRun 'trailhound search --help' for usage.\n");
    expect((await runCliInProcess(['ingest', '--db', 'x.db'])).stderr).toBe(
      "trailhound: missing the evidence paths; give the files or directories to read, e.g. trailhound ingest ./evidence --db case.db\nRun 'trailhound ingest --help' for usage.\n",
    );
  });
  it('an option given last without its value is named (usage error, not fatal)', async () => {
    const r = await runCliInProcess(['search', '--db', db, '--event-name']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("trailhound: --event-name: no value given\nRun 'trailhound search --help' for usage.\n");
    expect((await runCliInProcess(['search', '--db', db, '--limit'])).stderr).toBe("trailhound: --limit: no value given\nRun 'trailhound search --help' for usage.\n");
  });
  it('a number option given text quotes the text', async () => {
    const r = await runCliInProcess(['search', '--db', db, '--limit', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`trailhound: --limit: "abc" is not a whole number\nRun 'trailhound search --help' for usage.\n`);
    expect((await runCliInProcess(['warnings', '--db', db, '--limit=x'])).stderr).toContain('--limit: "x" is not a whole number');
  });
  it('unknown options get the closest known option of that command', async () => {
    const r = await runCliInProcess(['search', '--db', db, '--evnt-name', 'RunInstances']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("trailhound: unknown option --evnt-name for search; did you mean --event-name?\nRun 'trailhound search --help' for usage.\n");
    expect((await runCliInProcess(['info', '--db', db, '--jsn'])).stderr).toBe("trailhound: unknown option --jsn for info; did you mean --json?\nRun 'trailhound info --help' for usage.\n");
    expect((await runCliInProcess(['srch', '--db', db])).stderr).toMatch(/^trailhound: unknown command "srch"; did you mean search\? Commands: ingest, info, /);
  });
  it('commands do not list --version in their help; trailhound --help does', () => {
    for (const c of ['search', 'ingest', 'info']) expect(runCli([c, '--help']).stdout).not.toContain('--version');
    expect(runCli(['--help']).stdout).toContain('--version');
  });
});

describe('a damaged case names the file, what is wrong and the fix (exit 1)', () => {
  it('a truncated copy', async () => {
    const cut = path.join(tmpDir(), 'cut.db');
    fs.copyFileSync(db, cut);
    fs.truncateSync(cut, Math.floor(fs.statSync(cut).size / 2));
    for (const cmd of [['info'], ['search', '--limit', '1']]) {
      const r = await runCliInProcess([...cmd, '--db', cut]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^trailhound: case file ${cut.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is damaged \\(cut short: \\d+ bytes where its header says \\d+\\); re-create it with trailhound ingest <evidence> --db NEW\\.db, or restore a copy\\n$`),
      );
    }
  });
  it('a page overwritten inside the file (SQLite finds it while reading)', async () => {
    const bad = path.join(tmpDir(), 'bad.db');
    fs.copyFileSync(db, bad);
    const buf = fs.readFileSync(bad);
    const pageSize = buf.readUInt16BE(16);
    // Garble every page after the first (the schema page stays readable, the tables are not).
    for (let p = 1; p * pageSize < buf.length; p++) buf.fill(0xa5, p * pageSize, p * pageSize + 64);
    fs.writeFileSync(bad, buf);
    const r = await runCliInProcess(['search', '--db', bad, '--limit', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trailhound: case file .*bad\.db is damaged \(SQLite: [^)]+\); re-create it with trailhound ingest <evidence> --db NEW\.db, or restore a copy\n$/);
  });
});

describe('search: helpful empty results', () => {
  const search = (...args: string[]) => runCliInProcess(['search', '--db', db, ...args]);
  it('event names and sources match ignoring case; ec2 means ec2.amazonaws.com', async () => {
    expect((await search('--event-name', 'runinstances', '--format', 'jsonl')).stdout.trim().split('\n')).toHaveLength(1);
    expect((await search('--event-source', 'ec2', '--format', 'jsonl')).stdout.trim().split('\n')).toHaveLength(2);
  });
  it('a name the case does not hold: the closest values of the case', async () => {
    const r = await search('--event-name', 'runinstance');
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe('trailhound: no events match; did you mean --event-name RunInstances? (the case\'s event names closest to "runinstance")');
    expect(r.stderr.split('\n')[1]).toMatch(/^trailhound: the case holds 3 events from 2024-02-17T10:00:01Z to 2024-02-17T10:00:03Z; /);
    expect((await search('--user', 'M.Keller')).stderr).toContain('did you mean --user m.keller? (the case\'s user names closest to "M.Keller")');
  });
  it('a relative time on an archived case: a note with the case\'s range and --relative-to case-end', async () => {
    const r = await search('--start-time', '7d');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /\ntrailhound: note: --start-time 7d counts back from this machine's clock \(\S+Z\), but the case's events run from 2024-02-17T10:00:01Z to 2024-02-17T10:00:03Z; to count back from the case's last event, add --relative-to case-end\n$/,
    );
    const rel = await search('--start-time', '1s', '--relative-to', 'case-end', '--format', 'jsonl');
    expect(rel.code).toBe(0);
    expect(rel.stdout.trim().split('\n').map((l) => JSON.parse(l).eventName)).toEqual(['CreateUser', 'DescribeInstances']);
  });
});
