// JsonScanner: the values it hands over (exact bytes, offsets, lengths), the limits it enforces, line mode, and
// that the way the input is cut into chunks never changes what comes out.
import { describe, expect, it } from 'vitest';
import { JsonScanner, type ScanLimits, type ScannedValue } from '../../src/sources/json-scanner.js';

type Ev =
  | { t: 'value'; where: ScannedValue['where']; container: string | null; text: string | null; offset: number; length: number; problem: ScannedValue['problem']; first: string }
  | { t: 'key'; key: string; keys: string[]; offset: number }
  | { t: 'topEnd'; envelope: boolean }
  | { t: 'error'; offset: number; message: string; fatal: boolean }
  | { t: 'note'; code: string; offset: number };

const BIG: ScanLimits = { maxValueBytes: 1 << 20, maxDepth: 64, maxKeyBytes: 256 };

interface Opts {
  limits?: ScanLimits;
  lineMode?: boolean;
  containers?: string[];
}

function scan(chunks: Buffer[], opts: Opts = {}): Ev[] {
  const out: Ev[] = [];
  const containers = opts.containers ?? ['Records'];
  const s = new JsonScanner(
    {
      containerKey(key, keysSoFar, offset) {
        out.push({ t: 'key', key, keys: [...keysSoFar], offset });
        return containers.includes(key);
      },
      value(v) {
        // The bytes may be a view of the chunk: copy them now.
        out.push({ t: 'value', where: v.where, container: v.container, text: v.bytes ? v.bytes.toString('utf8') : null, offset: v.offset, length: v.length, problem: v.problem, first: String.fromCharCode(v.first) });
      },
      topEnd(envelope) {
        out.push({ t: 'topEnd', envelope });
      },
      error(offset, message, fatal) {
        out.push({ t: 'error', offset, message, fatal });
      },
      note(code, offset) {
        out.push({ t: 'note', code, offset });
      },
    },
    opts.limits ?? BIG,
  );
  s.lineMode = opts.lineMode ?? false;
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

const whole = (text: string, opts?: Opts): Ev[] => scan([Buffer.from(text)], opts);
const values = (evs: Ev[]) => evs.filter((e) => e.t === 'value');

describe('JsonScanner: containers and bracket kinds', () => {
  it('hands over the elements of a Records envelope with their exact bytes and offsets, not the envelope', () => {
    const text = '{"Records":[{"a":1},{"b":[2]}]}';
    expect(whole(text)).toEqual([
      { t: 'key', key: 'Records', keys: ['Records'], offset: 11 },
      { t: 'value', where: 'element', container: 'Records', text: '{"a":1}', offset: 12, length: 7, problem: null, first: '{' },
      { t: 'value', where: 'element', container: 'Records', text: '{"b":[2]}', offset: 20, length: 9, problem: null, first: '{' },
      { t: 'topEnd', envelope: true },
    ]);
  });

  it('offset/length of every value slice the input back to the value', () => {
    const text = '  {"x":1, "Records" : [ {"a":1} ,\n {"b":"c"} ] }';
    const buf = Buffer.from(text);
    const vs = values(whole(text));
    expect(vs.map((v) => v.text)).toEqual(['{"a":1}', '{"b":"c"}']);
    for (const v of vs) expect(buf.subarray(v.offset, v.offset + v.length).toString()).toBe(v.text);
  });

  it('passes the keys seen so far and the offset of the array to containerKey', () => {
    const evs = whole('{"x":1,"y":[],"Records":[]}');
    // "y" holds an array too: the sink is asked and says no.
    expect(evs.filter((e) => e.t === 'key')).toEqual([
      { t: 'key', key: 'y', keys: ['x', 'y'], offset: 11 },
      { t: 'key', key: 'Records', keys: ['x', 'y', 'Records'], offset: 24 },
    ]);
    expect(evs.at(-1)).toEqual({ t: 'topEnd', envelope: true });
  });

  it('an object whose arrays are not containers is one top-level value', () => {
    const text = '{"Other":[{"a":1}]}';
    expect(whole(text)).toEqual([
      { t: 'key', key: 'Other', keys: ['Other'], offset: 9 },
      { t: 'value', where: 'top', container: null, text, offset: 0, length: text.length, problem: null, first: '{' },
      { t: 'topEnd', envelope: false },
    ]);
  });

  it('a nested array under a key is not asked about (only top-level keys are)', () => {
    const evs = whole('{"a":{"Records":[1]}}');
    expect(evs.filter((e) => e.t === 'key')).toEqual([]);
    expect(values(evs).map((v) => v.where)).toEqual(['top']);
  });

  it('elements of a top-level array: objects, arrays, strings and scalars, container "["', () => {
    const text = '[1, "x" ,{"a":"]"},[true,null], -2.5e3 ]';
    expect(values(whole(text)).map((v) => [v.text, v.offset, v.length, v.first, v.container])).toEqual([
      ['1', 1, 1, '1', '['],
      ['"x"', 4, 3, '"', '['],
      ['{"a":"]"}', 9, 9, '{', '['],
      ['[true,null]', 19, 11, '[', '['],
      ['-2.5e3', 32, 6, '-', '['],
    ]);
    expect(whole(text).at(-1)).toEqual({ t: 'topEnd', envelope: false });
  });

  it('brackets and escaped quotes inside strings do not end a value', () => {
    const rec = String.raw`{"m":"a\"}]{[\\","n":"\\\""}`;
    const text = `{"Records":[${rec},{"z":"}"}]}`;
    expect(JSON.parse(rec)).toEqual({ m: 'a"}]{[\\', n: '\\"' });
    expect(values(whole(text)).map((v) => v.text)).toEqual([rec, '{"z":"}"}']);
  });

  it('several top-level values (concatenated JSON) come out one by one', () => {
    const text = '{"a":1} {"b":2}\n"s" 42 true';
    expect(whole(text)).toEqual([
      { t: 'value', where: 'top', container: null, text: '{"a":1}', offset: 0, length: 7, problem: null, first: '{' },
      { t: 'topEnd', envelope: false },
      { t: 'value', where: 'top', container: null, text: '{"b":2}', offset: 8, length: 7, problem: null, first: '{' },
      { t: 'topEnd', envelope: false },
      { t: 'value', where: 'top', container: null, text: '"s"', offset: 16, length: 3, problem: null, first: '"' },
      { t: 'topEnd', envelope: false },
      { t: 'value', where: 'top', container: null, text: '42', offset: 20, length: 2, problem: null, first: '4' },
      { t: 'topEnd', envelope: false },
      // The last scalar is ended by end(), not by a delimiter.
      { t: 'value', where: 'top', container: null, text: 'true', offset: 23, length: 4, problem: null, first: 't' },
      { t: 'topEnd', envelope: false },
    ]);
  });

  it('reports a mid-file byte order mark as a note and reads on', () => {
    const buf = Buffer.concat([Buffer.from('{"a":1}'), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"b":2}')]);
    const evs = scan([buf]);
    expect(evs.filter((e) => e.t === 'note')).toEqual([{ t: 'note', code: 'bom_mid_file', offset: 7 }]);
    expect(values(evs).map((v) => [v.text, v.offset])).toEqual([
      ['{"a":1}', 0],
      ['{"b":2}', 10],
    ]);
  });

  it('stop() ends scanning: nothing more is reported, position still counts the bytes', () => {
    const got: string[] = [];
    const s = new JsonScanner(
      {
        containerKey: () => true,
        value(v) {
          got.push(v.bytes!.toString());
          s.stop();
        },
        topEnd: () => got.push('end'),
        error: () => got.push('error'),
        note: () => got.push('note'),
      },
      BIG,
    );
    s.push(Buffer.from('[1,2,3'));
    expect(s.stopped).toBe(true);
    s.push(Buffer.from(']]]'));
    s.end();
    expect(got).toEqual(['1']);
    expect(s.position).toBe(9);
  });
});

describe('JsonScanner: broken structure', () => {
  const cases: [string, number, string][] = [
    ['[1 2]', 3, "expected ',' or ']' between records"],
    ['[1,]', 3, "a ',' before ']' (missing record)"],
    ['[,1]', 1, "a ',' where a record was expected"],
    ['{"a":[}', 6, "'}' closes a '['"],
    ['{"a":1}]', 7, "unexpected ']' outside any value"],
    ['{"a":1},{"b":2}', 7, "unexpected ',' between top-level values"],
  ];
  for (const [text, offset, message] of cases) {
    it(`${text} → fatal error at ${offset}: ${message}`, () => {
      const errs = whole(text).filter((e) => e.t === 'error');
      expect(errs).toEqual([{ t: 'error', offset, message, fatal: true }]);
    });
  }

  it('a truncated envelope reports the start of the incomplete record; the records before it are delivered', () => {
    const evs = whole('{"Records":[{"a":1},{"b":');
    expect(values(evs).map((v) => v.text)).toEqual(['{"a":1}']);
    expect(evs.at(-1)).toEqual({ t: 'error', offset: 20, message: 'truncated: the last record is incomplete', fatal: true });
  });

  it('a truncated top-level value is reported from its start', () => {
    expect(whole('{"a":1}\n{"b":"xy')).toEqual([
      { t: 'value', where: 'top', container: null, text: '{"a":1}', offset: 0, length: 7, problem: null, first: '{' },
      { t: 'topEnd', envelope: false },
      { t: 'error', offset: 8, message: 'truncated: the document ends inside a value', fatal: true },
    ]);
  });
});

describe('JsonScanner: limits', () => {
  const lim = (l: Partial<ScanLimits>): ScanLimits => ({ ...BIG, ...l });

  it('maxValueBytes: a value of exactly the limit is kept, one byte more is too_large with its exact extent', () => {
    // '{"a":"xx"}' is 10 bytes, '{"a":"xxx"}' is 11.
    const evs = whole('{"Records":[{"a":"xx"},{"a":"xxx"},{"a":1}]}', { limits: lim({ maxValueBytes: 10 }) });
    expect(values(evs).map((v) => [v.text, v.offset, v.length, v.problem])).toEqual([
      ['{"a":"xx"}', 12, 10, null],
      [null, 23, 11, 'too_large'],
      ['{"a":1}', 35, 7, null],
    ]);
  });

  it('maxValueBytes applies to values spread over many chunks too', () => {
    const big = `{"a":"${'x'.repeat(100)}"}`;
    const text = `[${big},{"b":2}]`;
    const chunks = [...Buffer.from(text)].map((b) => Buffer.from([b]));
    const evs = scan(chunks, { limits: lim({ maxValueBytes: 50 }) });
    expect(values(evs).map((v) => [v.text, v.offset, v.length, v.problem])).toEqual([
      [null, 1, big.length, 'too_large'],
      ['{"b":2}', big.length + 2, 7, null],
    ]);
  });

  it('maxDepth counts the value\'s own brackets: depth 2 is kept, depth 3 is too_deep', () => {
    const evs = whole('[[[1]],[[[1]]],{"a":{"b":{}}},{"a":{"b":1}}]', { limits: lim({ maxDepth: 2 }) });
    expect(values(evs).map((v) => [v.text, v.offset, v.length, v.problem])).toEqual([
      ['[[1]]', 1, 5, null],
      [null, 7, 7, 'too_deep'],
      [null, 15, 14, 'too_deep'],
      ['{"a":{"b":1}}', 30, 13, null],
    ]);
    // Scanning goes on after a too-deep value and the array closes normally.
    expect(evs.at(-1)).toEqual({ t: 'topEnd', envelope: false });
  });

  it('maxDepth for a top-level value counts from the top', () => {
    const evs = whole('{"a":{"b":1}} {"a":{"b":{}}}', { limits: lim({ maxDepth: 2 }) });
    expect(values(evs).map((v) => [v.text, v.problem])).toEqual([
      ['{"a":{"b":1}}', null],
      [null, 'too_deep'],
    ]);
  });

  it('maxKeyBytes: a top-level key longer than the limit is not read, so its array is not a container', () => {
    const text = '{"Records":[{"a":1}]}';
    // "Records" is 7 bytes.
    expect(values(whole(text, { limits: lim({ maxKeyBytes: 7 }) })).map((v) => [v.where, v.text])).toEqual([['element', '{"a":1}']]);
    const evs = whole(text, { limits: lim({ maxKeyBytes: 6 }) });
    expect(evs.filter((e) => e.t === 'key')).toEqual([]);
    expect(values(evs).map((v) => [v.where, v.text, v.problem])).toEqual([['top', text, null]]);
  });

  it('keys are read as JSON strings (escapes decoded) before being offered', () => {
    const evs = whole(String.raw`{"Rec\u006frds":[1]}`);
    expect(evs.filter((e) => e.t === 'key').map((e) => e.t === 'key' && e.key)).toEqual(['Records']);
    expect(values(evs).map((v) => v.text)).toEqual(['1']);
  });
});

describe('JsonScanner: line mode (NDJSON)', () => {
  it('every line is a top-level value', () => {
    const evs = whole('{"a":1}\n{"b":2}\r\n\n{"c":3}', { lineMode: true });
    expect(values(evs).map((v) => [v.text, v.offset])).toEqual([
      ['{"a":1}', 0],
      ['{"b":2}', 8],
      ['{"c":3}', 18],
    ]);
    expect(evs.filter((e) => e.t === 'error')).toEqual([]);
  });

  it('a value that does not end on its line is broken_line (not fatal); the next line is read', () => {
    const text = '{"a":1}\n{"b":2\n{"c":3}\n';
    expect(whole(text, { lineMode: true })).toEqual([
      { t: 'value', where: 'top', container: null, text: '{"a":1}', offset: 0, length: 7, problem: null, first: '{' },
      { t: 'topEnd', envelope: false },
      { t: 'error', offset: 14, message: 'a value does not end on its line', fatal: false },
      { t: 'value', where: 'top', container: null, text: null, offset: 8, length: 6, problem: 'broken_line', first: '{' },
      { t: 'value', where: 'top', container: null, text: '{"c":3}', offset: 15, length: 7, problem: null, first: '{' },
      { t: 'topEnd', envelope: false },
    ]);
  });

  it('the same input outside line mode is one fatal error', () => {
    const evs = whole('{"a":1}\n{"b":2\n{"c":3}\n');
    // Outside line mode the newline is whitespace: the second object swallows the third and the end is truncated.
    expect(evs.filter((e) => e.t === 'error')).toEqual([{ t: 'error', offset: 8, message: 'truncated: the document ends inside a value', fatal: true }]);
    expect(values(evs).map((v) => v.text)).toEqual(['{"a":1}']);
  });

  it('a string that does not end on its line is reported at the newline', () => {
    const evs = whole('{"a":"x\n', { lineMode: true });
    expect(evs).toEqual([
      { t: 'error', offset: 7, message: 'a string does not end on its line', fatal: false },
      { t: 'value', where: 'top', container: null, text: null, offset: 0, length: 7, problem: 'broken_line', first: '{' },
    ]);
  });

  it('a last line cut short is broken_line at end(), without an error', () => {
    expect(whole('{"a":1}\n{"b":', { lineMode: true })).toEqual([
      { t: 'value', where: 'top', container: null, text: '{"a":1}', offset: 0, length: 7, problem: null, first: '{' },
      { t: 'topEnd', envelope: false },
      { t: 'value', where: 'top', container: null, text: null, offset: 8, length: 5, problem: 'broken_line', first: '{' },
    ]);
  });

  it('a broken structure on one line is reported and the next line still read', () => {
    const evs = whole('[1 2]\n{"c":3}\n', { lineMode: true });
    expect(evs.filter((e) => e.t === 'error')).toEqual([{ t: 'error', offset: 3, message: "expected ',' or ']' between records", fatal: false }]);
    expect(values(evs).map((v) => [v.text, v.problem])).toEqual([
      ['1', null],
      [null, 'broken_line'],
      ['{"c":3}', null],
    ]);
  });
});

describe('JsonScanner: chunk boundaries never change the result', () => {
  const inputs: [string, string, Opts][] = [
    ['an envelope with escapes, nested arrays and scalars, then more top-level values', String.raw`{"x":"a\\","Records":[{"m":"a\"}]{[\\","n":"\\\""},[1,{"b":null}],"s\\\\",12,true],"y":{"k":[1]}} {"k":[1]} 7 "t\"" 8`, {}],
    ['limits hit (too large, too deep, long key)', String.raw`{"LongKeyName":[1],"Records":[{"a":"0123456789"},[[[[1]]]],{"b":2}]}`, { limits: { maxValueBytes: 12, maxDepth: 3, maxKeyBytes: 8 } }],
    ['NDJSON with a broken line and a string cut by a newline', '{"a":"q\\"}"}\n{"b":[1,\n{"c":"x\n{"d":4}\n"e"\n', { lineMode: true }],
    ['a truncated record', '{"Records":[{"a":1},{"b":"\\"', {}],
    ['a structural error', '[{"a":1}} ]', {}],
    ['a byte-order mark between top-level values (cut by a chunk end too)', '{"a":1}\ufeff{"b":2}\ufeff', {}],
  ];
  for (const [name, text, opts] of inputs) {
    it(`${name}: split in two at every byte gives the same events as whole`, () => {
      const buf = Buffer.from(text);
      const expected = scan([buf], opts);
      expect(values(expected).length).toBeGreaterThan(0);
      for (let i = 0; i <= buf.length; i++) {
        const got = scan([buf.subarray(0, i), buf.subarray(i)], opts);
        expect(got, `split at ${i}`).toEqual(expected);
      }
    });
  }

  it('one byte per chunk gives the same events as whole', () => {
    for (const [, text] of [inputs[0], inputs[inputs.length - 1]]) {
      const buf = Buffer.from(text);
      expect(scan([...buf].map((b) => Buffer.from([b])))).toEqual(scan([buf]));
    }
  });
});
