import { describe, expect, it } from 'vitest';
import { escapeControl, safeJson } from '../../src/model/escape.js';
import { csvCell, renderCsv } from '../../src/report/csv.js';
import { renderTable } from '../../src/report/table.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderJson, renderJsonLines } from '../../src/report/json.js';
import { displayWidth, truncateToWidth } from '../../src/report/width.js';

describe('escapeControl', () => {
  it('shows control, escape, C1 and bidi characters escaped', () => {
    expect(escapeControl('a\u001b[31mred\u001b[0m')).toBe('a\\e[31mred\\e[0m');
    expect(escapeControl('x\ny\r\tz\u0007')).toBe('x\\ny\\r\\tz\\x07');
    expect(escapeControl('\u009b2J')).toBe('\\x9b2J');
    expect(escapeControl('evil\u202etxt.exe')).toBe('evil\\u202etxt.exe');
    expect(escapeControl('plain 한국어 text')).toBe('plain 한국어 text');
  });
  it('safeJson keeps JSON valid and equal while escaping C1 and bidi', () => {
    const v = { ua: 'a\u009b\u202eb\u001b' };
    const s = safeJson(JSON.stringify(v));
    expect(s).not.toMatch(/[\u0080-\u009f\u202e\u001b]/);
    expect(JSON.parse(s)).toEqual(v);
  });
});

describe('csv', () => {
  it('neutralises formula cells', () => {
    for (const bad of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(csvCell(bad).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('normal')).toBe('normal');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
  });
  it('never emits a raw line break inside a cell', () => {
    const out = renderCsv([{ key: 'a', header: 'a' }], [{ a: 'line1\nline2' }]);
    expect(out).toBe('a\r\nline1\\nline2\r\n');
  });
});

describe('table', () => {
  const cols = [
    { key: 'a', header: 'Alpha' },
    { key: 'b', header: 'Beta' },
  ];
  it('fits the width, shrinking the widest column', () => {
    const out = renderTable(cols, [{ a: 'short', b: 'x'.repeat(200) }], { width: 40 });
    for (const line of out.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(out).toContain('…');
    expect(out).toContain('short');
  });
  it('escapes attacker text and shows empty cells as -', () => {
    const out = renderTable(cols, [{ a: '\u001b]0;pwned\u0007', b: null }]);
    expect(out).not.toContain('\u001b');
    expect(out).toContain('\\e]0;pwned\\x07');
    expect(out.split('\n')[2]).toMatch(/ -$/);
  });
  it('counts wide characters as two cells', () => {
    expect(displayWidth('한국')).toBe(4);
    expect(truncateToWidth('한국어입니다', 5)).toBe('한국…');
  });
});

describe('markdown and json', () => {
  it('escapes pipes', () => {
    expect(renderMarkdown([{ key: 'a', header: 'A' }], [{ a: 'x|y' }])).toBe('| A |\n| --- |\n| x\\|y |\n');
  });
  it('json and jsonl', () => {
    expect(renderJson({ a: 1 })).toBe('{\n  "a": 1\n}\n');
    expect(renderJsonLines([{ a: 1 }, { b: '\u009b' }])).toBe('{"a":1}\n{"b":"\\u009b"}\n');
  });
});

describe('table width when even the preferred minimums are too wide', () => {
  // Before issue 14 every column was cut down to 3 cells ("x…"); now the rightmost columns of equal priority are
  // left out, the rest keep their readable minimum, and one footer line names what is missing.
  it('leaves columns out (rightmost first among equals) and says which in one footer line', () => {
    const cols = Array.from({ length: 8 }, (_, i) => ({ key: `c${i}`, header: `Column ${i}`, minWidth: 20 }));
    const row = Object.fromEntries(cols.map((c) => [c.key, 'x'.repeat(30)]));
    const lines = renderTable(cols, [row], { width: 80 }).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(0, 3)) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^Column 0 +Column 1 +Column 2$/);
    expect(lines[2]).toMatch(/^x{20,}… {2}x{20,}… {2}x{20,}…$/);
    expect(lines[3]).toBe('(columns not shown at 80 columns: Column 3, Column 4, Column 5, Column 6, Column 7 — widen the terminal, use --width, or --format json)');
  });
});
