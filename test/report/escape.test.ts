// The one escaper for human output (src/model/escape.ts), safeJson, the JSON helper every command writes through,
// and the findRawControl check the CLI tests use.
import { describe, expect, it } from 'vitest';
import { escapeControl, escapeLines, hasControl, quoteInput, safeJson } from '../../src/model/escape.js';
import { renderJson, renderJsonLines } from '../../src/report/json.js';
import { findRawControl } from '../helpers/raw-control.js';

const HOSTILE = ['\u001b]0;pwned\u0007', '\u001b[2J', '\u001b]52;c;ZXZpbA==\u0007', '\u009b31m', '\u202e', '\u2066'];
// Every character the escaper must neutralise, one of each kind.
const ALL_UNSAFE = ['\u0000', '\u0007', '\b', '\n', '\r', '\t', '\u000b', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009b', '\u009f', '\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029', '\ufeff'];

describe('escapeControl', () => {
  it('writes C0, DEL, C1 and bidi/isolate controls visibly', () => {
    expect(escapeControl('\u001b]0;pwned\u0007')).toBe('\\e]0;pwned\\x07');
    expect(escapeControl('\u001b[2J')).toBe('\\e[2J');
    expect(escapeControl('\u001b]52;c;ZXZpbA==\u0007')).toBe('\\e]52;c;ZXZpbA==\\x07');
    expect(escapeControl('\u009b31m')).toBe('\\x9b31m');
    expect(escapeControl('evil\u202etxt.exe')).toBe('evil\\u202etxt.exe');
    expect(escapeControl('\u2066x\u2069')).toBe('\\u2066x\\u2069');
    expect(escapeControl('a\nb\rc\td\u007f')).toBe('a\\nb\\rc\\td\\x7f');
    expect(escapeControl('\u2028\u2029\u061c\u200e\u200f\ufeff')).toBe('\\u2028\\u2029\\u061c\\u200e\\u200f\\ufeff');
  });

  it('leaves printable text, including non-ASCII, alone', () => {
    for (const s of ['plain', '한국어 text', 'é ñ ü', 'emoji 🙂', 'back\\slash', '\u00a0nbsp', '\u200bzero-width space']) expect(escapeControl(s)).toBe(s);
  });

  it('removes every unsafe character, and is idempotent', () => {
    for (const ch of ALL_UNSAFE) {
      const once = escapeControl(`a${ch}b`);
      expect(hasControl(once)).toBe(false);
      expect(findRawControl(once)).toBeNull();
      expect(escapeControl(once)).toBe(once);
      expect(hasControl(`a${ch}b`)).toBe(true);
    }
  });

  it('escapeLines keeps line breaks and escapes the rest of each line', () => {
    expect(escapeLines('bad \u001b[2J here\n  ^')).toBe('bad \\e[2J here\n  ^');
    expect(escapeLines('a\rb\nc\u009b')).toBe('a\\rb\nc\\x9b');
  });

  it('quoteInput escapes and cuts long user input', () => {
    expect(quoteInput('a\u001bb')).toBe('"a\\eb"');
    const q = quoteInput('['.repeat(50_000));
    expect(q.length).toBeLessThan(120);
    expect(q).toBe(`"${'['.repeat(80)}… (50000 characters)"`);
  });

  it('is linear: a 1 MB string full of controls escapes correctly', () => {
    const big = '\u001b'.repeat(1 << 20);
    const out = escapeControl(big);
    expect(out.length).toBe(2 << 20);
    expect(out.startsWith('\\e\\e')).toBe(true);
  });
});

describe('safeJson and the JSON helper', () => {
  it('escapes C1 and bidi controls as \\uXXXX; JSON.parse gives back the exact strings', () => {
    const value = { s: HOSTILE.join(''), all: ALL_UNSAFE.join(''), list: HOSTILE };
    const text = safeJson(JSON.stringify(value));
    expect(findRawControl(text)).toBeNull();
    expect(text).toContain('\\u009b31m');
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\u2066');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('renderJson and renderJsonLines produce valid, safe JSON', () => {
    const value = { a: `x${HOSTILE.join('')}y`, n: 1, nested: { k: ['\u2028', '\u0085'] } };
    const doc = renderJson(value);
    expect(doc.endsWith('}\n')).toBe(true);
    expect(doc).toContain('\n  "a"');
    expect(findRawControl(doc)).toBeNull();
    expect(JSON.parse(doc)).toEqual(value);
    expect(renderJson(value, 4)).toContain('\n    "a"');
    const lines = renderJsonLines([value, value]);
    expect(findRawControl(lines)).toBeNull();
    expect(lines.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([value, value]);
  });
});

describe('findRawControl', () => {
  it('allows \\n, \\t and CRLF line ends; flags the rest, naming the first', () => {
    expect(findRawControl('a\tb\nc\r\nd')).toBeNull();
    expect(findRawControl('')).toBeNull();
    expect(findRawControl('ok\u001b[2J')).toMatch(/^U\+001B ESC at offset 2/);
    expect(findRawControl('a\rb')).toMatch(/^U\+000D CR \(bare carriage return\) at offset 1/);
    expect(findRawControl('x\u009b31m')).toMatch(/^U\+009B C1 CSI at offset 1/);
    expect(findRawControl('x\u0085')).toMatch(/^U\+0085 C1 control/);
    expect(findRawControl('\u202e')).toMatch(/RIGHT-TO-LEFT OVERRIDE/);
    expect(findRawControl('\u2066')).toMatch(/LEFT-TO-RIGHT ISOLATE/);
    expect(findRawControl('\u2028')).toMatch(/LINE SEPARATOR/);
    expect(findRawControl('\u007f')).toMatch(/DEL/);
    expect(findRawControl('\u0000')).toMatch(/C0 control/);
    expect(findRawControl('a\u061cb\u200e')).toMatch(/^U\+061C/);
    // the first one wins, and the check can be called again (no regex state left behind)
    expect(findRawControl('\u202e then \u001b')).toMatch(/^U\+202E/);
    expect(findRawControl('\u202e then \u001b')).toMatch(/^U\+202E/);
    for (const s of ['한국어', 'é', '🙂', '\u00a0', '\u200b', '\\e[2J', '\\u202e']) expect(findRawControl(s)).toBeNull();
  });
});
