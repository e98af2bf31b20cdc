// renderTable must be linear in its input: a 1 MB cell (a hostile user agent) renders at once, and never pads every
// other row to its width. No timed assertions (project rule): these run under vitest's default timeout; before the
// fix the 1 MB case did not finish within 300 s.
import { describe, expect, it } from 'vitest';
import { MAX_NATURAL_WIDTH, renderTable, type TableColumn } from '../../src/report/table.js';
import { displayWidth } from '../../src/report/width.js';
import { formatAwsTable } from '../../src/scenarios/lookup-events.js';
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
