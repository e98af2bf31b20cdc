// renderTable must be linear in its input: a 1 MB cell (a hostile user agent) renders at once, and never pads every
// other row to its width. No timed assertions (project rule): these run under vitest's default timeout; before the
// fix the 1 MB case did not finish within 300 s.
import { describe, expect, it } from 'vitest';
import { MAX_NATURAL_WIDTH, renderTable } from '../../src/report/table.js';
import { PRIORITY, type TableColumn } from '../../src/model/report-view.js';
import { displayWidth, wrapToWidth } from '../../src/report/width.js';
import { formatAwsTable } from '../../src/report/aws-cli-format.js';
import { findRawControl } from '../helpers/raw-control.js';

const MB = 1 << 20;
const cols: TableColumn[] = [
  { key: 'time', header: 'Time' },
  { key: 'ua', header: 'User agent' },
  { key: 'name', header: 'Event name' },
];

function rows(big: string, n = 50): Array<Record<string, string>> {
  const out = [{ time: '2024-02-17T10:00:00Z', ua: big, name: 'Big' }];
  for (let i = 0; i < n; i++) out.push({ time: '2024-02-17T10:00:01Z', ua: 'aws-cli/2.15.0', name: `E${i}` });
  return out;
}

describe('renderTable on a 1 MB cell', () => {
  it('without a width limit: the cell is written in full, the other rows stay narrow and aligned', () => {
    const big = 'x '.repeat(MB / 2); // spaces inside: the old /\s+$/ trim retried from every one
    const out = renderTable(cols, rows(big));
    const lines = out.split('\n');
    expect(lines).toHaveLength(2 + 51 + 1);
    // (compared as a boolean: a failing 1 MB diff would flood the log)
    expect(lines[2] === `2024-02-17T10:00:00Z  ${big}  Big`).toBe(true);
    // every other row is padded to the normal values only, not to 1 MB
    for (const l of lines.slice(3, -1)) expect(l).toMatch(/^2024-02-17T10:00:01Z {2}aws-cli\/2\.15\.0 {2}E\d+$/);
    expect(lines[0]).toBe('Time                  User agent      Event name');
    expect(out.length).toBeLessThan(MB + 51 * 60 + 200);
  });

  it('with a width limit: every line fits and the cell is cut with …', () => {
    const out = renderTable(cols, rows('y'.repeat(MB)), { width: 80 });
    for (const line of out.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(/^2024-02-17T10:00:00Z {2}y+… {2}Big$/.test(out.split('\n')[2])).toBe(true);
  });

  it('two 1 MB columns squeezed to 80 cells (the round robin is done in whole rounds)', () => {
    const two: TableColumn[] = [{ key: 'a', header: 'A' }, { key: 'b', header: 'B' }, { key: 'c', header: 'C' }];
    const out = renderTable(two, [{ a: 'a'.repeat(MB), b: 'b'.repeat(MB), c: 'c' }], { width: 80 });
    const widths = out.split('\n')[1].split('  ').map((s) => s.length);
    // as the one-cell round robin leaves it: the earlier column gives up the odd cell
    expect(widths).toEqual([37, 38, 1]);
    for (const line of out.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
  });

  it('a 1 MB cell of control characters is escaped, never raw', () => {
    const out = renderTable(cols, rows('\u001b[2J\u009b31m\u202e'.repeat(MB / 8), 2));
    expect(findRawControl(out)).toBeNull();
    expect(out).toContain('\\e[2J\\x9b31m\\u202e');
  });

  it('100,000 rows (no Math.max over spread arguments)', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ time: 't', ua: `ua${i}`, name: 'n' }));
    const out = renderTable(cols, many);
    expect(out.split('\n')).toHaveLength(100_003);
  });

  it('values up to the cap still widen their column as before', () => {
    const v = 'z'.repeat(MAX_NATURAL_WIDTH);
    const out = renderTable(cols, [{ time: 't', ua: v, name: 'n' }, { time: 't', ua: 'short', name: 'm' }]);
    expect(out.split('\n')[3]).toBe(`t     short${' '.repeat(MAX_NATURAL_WIDTH - 5)}  m`);
  });
});

describe("lookup-events' aws-cli table on a 1 MB cell", () => {
  it('pushes out only its own line', () => {
    const events = Array.from({ length: 20 }, (_, i) => ({ EventName: `E${i}`, Username: i === 0 ? 'u'.repeat(MB) : 'alice' }));
    const out = formatAwsTable({ Events: events } as never);
    const lines = out.trimEnd().split('\n');
    const long = lines.filter((l) => l.length > 2000);
    expect(long).toHaveLength(1);
    expect(long[0].includes('u'.repeat(MB))).toBe(true);
    expect(out.length).toBeLessThan(MB + 200_000);
  });
});

describe('column priorities (issue 14)', () => {
  const TIME = '2025-02-13T10:00:00Z';
  const ID = '30b97dce-53ab-439c-bd34-fe1396e5e700';
  const prio: TableColumn[] = [
    { key: 'time', header: 'Time', priority: PRIORITY.key },
    { key: 'name', header: 'Event name', priority: PRIORITY.essential, minWidth: 16 },
    { key: 'user', header: 'User', priority: PRIORITY.essential, minWidth: 18, cut: 'start' },
    { key: 'ip', header: 'Source IP', priority: PRIORITY.normal, minWidth: 15 },
    { key: 'ua', header: 'User agent', name: 'userAgent', priority: PRIORITY.text },
    { key: 'id', header: 'Event ID', priority: PRIORITY.key },
  ];
  const row = { time: TIME, name: 'AuthorizeSecurityGroupIngress', user: 'arn:aws:iam::444455556666:user/alice', ip: '203.0.113.10', ua: `Mozilla/5.0 ${'x'.repeat(200)}`, id: ID };

  it('free text shrinks first; times, IDs and names stay whole', () => {
    const lines = renderTable(prio, [row], { width: 160 }).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2].startsWith(`${TIME}  AuthorizeSecurityGroupIngress  arn:aws:iam::444455556666:user/alice  203.0.113.10  Mozilla/5.0`)).toBe(true);
    expect(lines[2].endsWith(`…  ${ID}`)).toBe(true);
    expect(displayWidth(lines[2])).toBe(160);
  });

  it('when even the minimums do not fit, the least important columns go, and one footer line says so', () => {
    const out = renderTable(prio, [row], { width: 100 });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Time {18}Event name +User +Event ID$/);
    expect(lines[2]).toMatch(new RegExp(`^${TIME}  AuthorizeSecurit\\S*…  …\\d*:user/alice  ${ID}$`));
    for (const l of lines.slice(0, 3)) expect(displayWidth(l)).toBeLessThanOrEqual(100);
    expect(lines[3]).toBe('(columns not shown at 100 columns: Source IP, userAgent — widen the terminal, use --width, or --format json)');
    // at 80 the principal goes too; the time and the ID never shrink
    const narrow = renderTable(prio, [row], { width: 80 }).trimEnd().split('\n');
    expect(narrow[2]).toMatch(new RegExp(`^${TIME}  Authorize\\S*…?  ${ID}$`));
    expect(narrow[3]).toBe('(columns not shown at 80 columns: User, Source IP, userAgent — widen the terminal, use --width, or --format json)');
  });

  it('a narrower column left out before a wide one comes back when it fits without cutting a more important one', () => {
    const cols: TableColumn[] = [
      { key: 'time', header: 'Time', priority: PRIORITY.key },
      { key: 'wide', header: 'Wide', priority: PRIORITY.essential, minWidth: 40 },
      { key: 'err', header: 'Error', priority: PRIORITY.normal },
      { key: 'ua', header: 'User agent', priority: PRIORITY.text, minWidth: 30 },
      { key: 'id', header: 'Event ID', priority: PRIORITY.key },
    ];
    const r = { time: TIME, wide: 'w'.repeat(50), err: '-', ua: 'u'.repeat(50), id: ID };
    // 20 + 40 + 36 + gaps > 80: User agent, then Wide are left out; then Error (5 cells) fits again
    const lines = renderTable(cols, [r], { width: 80 }).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Time +Error +Event ID$/);
    expect(lines[3]).toBe('(columns not shown at 80 columns: Wide, User agent — widen the terminal, use --width, or --format json)');
  });

  it('no footer when everything fits, and none without a width limit', () => {
    expect(renderTable(prio, [row])).not.toContain('columns not shown');
    expect(renderTable(prio, [row], { width: 400 })).not.toContain('columns not shown');
  });

  it('a wrap column continues on more lines (at spaces) and loses nothing', () => {
    const cols: TableColumn[] = [
      { key: 'sev', header: 'Severity', priority: PRIORITY.key },
      { key: 'detail', header: 'Detail', priority: PRIORITY.essential, minWidth: 20, wrap: true },
      { key: 'events', header: 'Events', priority: PRIORITY.normal, minWidth: 36, wrap: true },
    ];
    const detail = 'arn:aws:iam::444455556666:user/m.keller created user svc-backup-sync and then ran CreateAccessKey, AttachUserPolicy';
    const lines = renderTable(cols, [{ sev: 'HIGH', detail, events: `${ID} ${ID.replace('30b9', 'ffff')}` }], { width: 80 }).trimEnd().split('\n');
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(80);
    const body = lines.slice(2);
    expect(body.length).toBeGreaterThan(2);
    expect(body[0]).toMatch(new RegExp(`^HIGH {6}\\S.*  ${ID}$`));
    expect(body[1]).toMatch(/ ffffdce-|ffff7dce-|ffff/);
    // the detail column read top to bottom is the whole text
    const start = lines[0].indexOf('Detail');
    const end = lines[0].indexOf('Events');
    const joined = body.map((l) => l.slice(start, end).trim()).filter(Boolean).join(' ');
    expect(joined.replace(/([-/,:_;]) /g, '$1')).toBe(detail.replace(/([-/,:_;]) /g, '$1'));
    expect(lines.some((l) => l.includes('…'))).toBe(false);
  });

  it('wrapping a 1 MB cell stays linear', () => {
    const cols: TableColumn[] = [{ key: 'a', header: 'A', priority: PRIORITY.key }, { key: 'b', header: 'B', wrap: true, minWidth: 40 }];
    const out = renderTable(cols, [{ a: 'x', b: 'word '.repeat(MB / 5) }], { width: 80 });
    expect(out.length).toBeLessThan(MB * 2 + 1000);
    for (const l of out.trimEnd().split('\n')) expect(l.length).toBeLessThanOrEqual(80);
  });
});

describe('wrapToWidth', () => {
  it('breaks at spaces, then after - / , : _ ;, then inside a word', () => {
    expect(wrapToWidth('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(wrapToWidth('trust-condition-removed', 10)).toEqual(['trust-', 'condition-', 'removed']);
    expect(wrapToWidth('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapToWidth('한국어입니다', 5)).toEqual(['한국', '어입', '니다']);
    expect(wrapToWidth('short', 10)).toEqual(['short']);
  });
});
