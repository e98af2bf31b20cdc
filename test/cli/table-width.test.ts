// Issue 14: tables at 80, 100 and 140 columns never hide times and event IDs. On the committed sample (evidence and
// console exports, ingested once), every table cell under a time header is a whole second-precision time, every
// Event ID cell a whole UUID, a footer line names the columns left out, and findings' Detail wraps instead of
// being cut.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { sharedCase } from '../helpers/cases.js';
import { truth } from '../helpers/sample.js';

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME_HEADERS = new Set(['Time', 'When', 'First seen', 'Last seen', 'First', 'Last']);
const FOOTER = /^\(columns not shown at (\d+) columns: (.+) — widen the terminal, use --width, or --format json\)$/;

interface Table {
  title: string;
  headers: string[];
  /** Each data line cut into cells at the column positions of the ─ line. */
  rows: string[][];
  /** The header, ─ and data lines as printed. */
  lines: string[];
  footer: string | null;
}

/** The tables in a command's output: a header line, a line of ─ runs, data lines, maybe the footer. */
function tables(out: string): Table[] {
  const lines = out.split('\n');
  const found: Table[] = [];
  let title = '';
  for (let i = 1; i < lines.length; i++) {
    if (lines[i - 1].startsWith('── ')) title = lines[i - 1].slice(3);
    if (!/^[─ ]+$/.test(lines[i]) || !lines[i].includes('─')) continue;
    const spans: Array<[number, number]> = [];
    const re = /─+/g;
    for (let m = re.exec(lines[i]); m; m = re.exec(lines[i])) spans.push([m.index, m.index + m[0].length]);
    const cells = (line: string) => spans.map(([a, b], k) => [...line].slice(a, k === spans.length - 1 ? undefined : b).join('').trim());
    const t: Table = { title, headers: cells(lines[i - 1]), rows: [], lines: [lines[i - 1], lines[i]], footer: null };
    let j = i + 1;
    for (; j < lines.length && lines[j] !== '' && !lines[j].startsWith('('); j++) {
      t.rows.push(cells(lines[j]));
      t.lines.push(lines[j]);
    }
    if (j < lines.length && FOOTER.test(lines[j])) t.footer = lines[j];
    found.push(t);
  }
  return found;
}

function checkTable(t: Table, width: number): void {
  expect(t.rows.length, t.title).toBeGreaterThan(0);
  t.headers.forEach((h, k) => {
    for (const r of t.rows) {
      if (TIME_HEADERS.has(h) && r[k] !== '' && r[k] !== '-') expect(r[k], `${t.title} ${h}`).toMatch(TIME);
      // A wrapped cell continues on lines of its own, with the row's time and event ID on its first line only.
      const continuation = t.headers.some((x, i) => TIME_HEADERS.has(x) && r[i] === '') && r.some((c) => c !== '');
      if (h === 'Event ID' && !(continuation && r[k] === '')) expect(r[k], `${t.title} ${h}`).toMatch(UUID);
      if (h === 'Events' && t.title === 'Findings' && r[k] !== '') expect(r[k], 'findings events').toMatch(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\+\d+)$/);
    }
  });
  for (const line of t.lines) expect([...line].length, t.title).toBeLessThanOrEqual(width);
  if (t.footer) expect(FOOTER.exec(t.footer)![1]).toBe(String(width));
}

describe('tables at 80, 100 and 140 columns', () => {
  let db = '';
  // In this process (runCliInProcess): these tests are about what the tables look like, not about the process.
  const cli = (...args: string[]) => runCliInProcess([...args, '--db', db]);
  beforeAll(() => {
    db = sharedCase('sampleWithExports');
  });

  for (const width of [80, 100, 140]) {
    it(`search --width ${width}: whole times and event IDs on every row; the footer names what is left out`, async () => {
      const r = await cli('search', '--limit', '30', '--width', String(width));
      expect(r.code).toBe(0);
      const [t] = tables(r.stdout);
      expect(t.headers).toContain('Time');
      expect(t.headers).toContain('Event ID');
      expect(t.headers).toContain('Event name');
      expect(t.rows).toHaveLength(30);
      checkTable(t, width);
      for (const line of r.stdout.trimEnd().split('\n').slice(0, -1)) expect([...line].length).toBeLessThanOrEqual(width);
      // the default columns do not fit in 140 cells: some are left out, and the last line says which
      expect(t.footer).not.toBeNull();
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(t.footer);
      const left = FOOTER.exec(t.footer!)![2].split(', ');
      for (const name of left) expect(['eventSource', 'username', 'sourceIPAddress', 'awsRegion', 'errorCode', 'resources', 'trust']).toContain(name);
      for (const name of left) expect(t.headers).not.toContain(name);
    });

    it(`investigate access-key, iam, console-logins, instance, security-group --width ${width}: whole times and event IDs`, async () => {
      const runs = [
        ['access-key', truth.incidents.stolenAccessKey.accessKeyId],
        ['iam'],
        ['console-logins'],
        ['instance', truth.incidents.instanceStopTerminate.instanceId],
        ['security-group', truth.incidents.securityGroups.createdGroupId],
      ];
      let footers = 0;
      for (const args of runs) {
        const r = await cli('investigate', ...args, '--width', String(width));
        expect(r.code, args.join(' ')).toBe(0);
        const all = tables(r.stdout);
        // every list of events shows its times and IDs whole
        const lists = all.filter((t) => t.headers.includes('Event ID'));
        expect(lists.length, args.join(' ')).toBeGreaterThan(0);
        for (const t of lists) expect(t.headers, t.title).toContain('Time');
        for (const t of all) checkTable(t, width);
        footers += all.filter((t) => t.footer).length;
      }
      expect(footers).toBeGreaterThan(0);
    });
  }

  it('search --tz +09:00 at 80 columns: the zone form, whole', async () => {
    const r = await cli('search', '--limit', '5', '--width', '80', '--tz', '+09:00');
    const [t] = tables(r.stdout);
    const k = t.headers.indexOf('Time');
    for (const row of t.rows) expect(row[k]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    for (const row of t.rows) expect(row[t.headers.indexOf('Event ID')]).toMatch(UUID);
  });

  it('console-logins at 100: the user ARN keeps its tail (…:user/name), not its head', async () => {
    const r = await cli('investigate', 'console-logins', '--width', '100');
    const t = tables(r.stdout).find((x) => x.title.startsWith('Sign-ins'))!;
    const users = t.rows.map((row) => row[t.headers.indexOf('User')]);
    expect(users.some((u) => /^…\S*:(user\/\S+|root)$/.test(u) || /^arn:aws:iam::\d{12}:(user\/\S+|root)$/.test(u))).toBe(true);
    for (const u of users) expect(u).not.toMatch(/^arn:aws:iam::\d*…$/);
  });

  for (const width of [80, 140]) {
    it(`findings' Detail is complete (wrapped) at ${width}`, async () => {
      for (const args of [['iam'], ['console-logins'], ['access-key', truth.incidents.stolenAccessKey.accessKeyId]]) {
        const json = JSON.parse((await cli('investigate', ...args, '--format', 'json')).stdout) as { findings: Array<{ message: string }> };
        expect(json.findings.length).toBeGreaterThan(0);
        const t = tables((await cli('investigate', ...args, '--width', String(width))).stdout).find((x) => x.title === 'Findings')!;
        expect(t.footer).toBeNull();
        const k = t.headers.indexOf('Detail');
        const shown = t.rows.map((row) => row[k]).join('');
        expect(shown).not.toContain('…');
        expect(shown.replace(/\s+/g, '')).toBe(json.findings.map((f) => f.message).join('').replace(/\s+/g, ''));
      }
    });
  }
});
