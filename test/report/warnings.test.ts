// Ingest's per-code warning lines and the pieces they are made of (pure functions, no case file).
import { describe, expect, it } from 'vitest';
import type { WarningCodeSummary } from '../../src/index/warnings.js';
import { shellWord, warningCodeLines, warningExtent } from '../../src/report/warnings.js';
import { renderTable } from '../../src/report/table.js';
import { truncateStartToWidth } from '../../src/report/width.js';

const s = (code: string, count: number, over: Partial<WarningCodeSummary> = {}): WarningCodeSummary => ({
  code, severity: 'warning', count, files: count, records: 0, exampleFile: `AWSLogs/${code}.json`, exampleRecordIndex: null, ...over,
});

describe('warningCodeLines', () => {
  it('one line per code: extent, code, meaning, an example, the command that lists them', () => {
    expect(warningCodeLines([s('empty_file', 20000)], 'case.db')).toEqual([
      'warning: 20000 files: empty_file (file is empty) — e.g. AWSLogs/empty_file.json; list all: trailhound warnings --db case.db --code empty_file',
    ]);
    expect(warningCodeLines([s('no_event_id', 3, { files: 2, records: 3, exampleRecordIndex: 7 })], 'case.db')).toEqual([
      'warning: 3 records in 2 files: no_event_id (record has no eventID; an ID was derived from its content) — e.g. AWSLogs/no_event_id.json [record 7]; list all: trailhound warnings --db case.db --code no_event_id',
    ]);
  });

  it('a code this version does not know is shown without a meaning; control characters are escaped', () => {
    expect(warningCodeLines([s('future_code', 2, { files: 1, exampleFile: 'a\u001b[2Jb.json' })], 'case.db')).toEqual([
      'warning: 2 warnings in 1 file: future_code — e.g. a\\e[2Jb.json; list all: trailhound warnings --db case.db --code future_code',
    ]);
  });

  it('at most 10 lines: the tenth says how many more codes and warnings', () => {
    const many = Array.from({ length: 12 }, (_, i) => s(`code_${String(i).padStart(2, '0')}`, 100 - i));
    const lines = warningCodeLines(many, 'case.db');
    expect(lines).toHaveLength(10);
    expect(lines[8]).toContain('code_08');
    expect(lines[9]).toBe('warning: 270 more warnings of 3 other codes (code_09, code_10, code_11); list all: trailhound warnings --db case.db');
    expect(warningCodeLines(many.slice(0, 10), 'case.db')).toHaveLength(10);
    expect(warningCodeLines([], 'case.db')).toEqual([]);
  });
});

describe('helpers', () => {
  it('warningExtent counts files, records, or warnings', () => {
    expect(warningExtent(s('x', 1))).toBe('1 file');
    expect(warningExtent(s('x', 4, { files: 1, records: 4 }))).toBe('4 records in 1 file');
    expect(warningExtent(s('x', 4, { files: 3, records: 1 }))).toBe('4 warnings in 3 files');
  });

  it('shellWord quotes only when needed', () => {
    expect(shellWord('/tmp/case.db')).toBe('/tmp/case.db');
    expect(shellWord('my case.db')).toBe("'my case.db'");
    expect(shellWord("it's.db")).toBe("'it'\\''s.db'");
  });

  it('a column cut at the start keeps the end of the text', () => {
    expect(truncateStartToWidth('AWSLogs/1/CloudTrail/x.json', 10)).toBe('…il/x.json');
    expect(truncateStartToWidth('short', 10)).toBe('short');
    expect(truncateStartToWidth('日本語のファイル.json', 9)).toBe('…ル.json');
    const t = renderTable([{ key: 'f', header: 'File', cut: 'start' }, { key: 'n', header: 'N' }], [{ f: 'AWSLogs/123/CloudTrail/us-east-1/file.json', n: 1 }], { width: 20 });
    expect(t.split('\n')[2]).toBe('…east-1/file.json  1');
  });
});
