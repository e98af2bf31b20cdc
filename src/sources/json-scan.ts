// A structural scanner for JSON bytes: finds the top-level values of a document (one, or several
// concatenated as in pasted lookup-events pages), the keys of top-level objects, and the byte spans of the
// elements of the arrays we care about ("Records", "Events", or a top-level array). It does not build
// objects: each element is then parsed on its own with JSON.parse, which gives every event its exact
// original bytes and its byte offset in the file (provenance, `show`, and bounded per-record work).
//
// The scanner checks only structure (brackets, strings, separators); values are validated by JSON.parse.

export interface Span {
  start: number;
  end: number;
}

export interface TopValue {
  start: number;
  end: number;
  kind: 'object' | 'array' | 'scalar';
  /** Keys of a top-level object, in order. */
  keys: string[];
  /** Element spans of the array under `arrayKey` (object) or of the array itself. */
  elements: Span[] | null;
  arrayKey: string | null;
}

export interface ScanResult {
  values: TopValue[];
  /** Set when the structure is broken; values/elements before the break are still reported. */
  error: { offset: number; message: string } | null;
  /** True when the document started with a UTF-8 byte-order mark (skipped). */
  bom: boolean;
}

const WS = new Uint8Array(256);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Keys whose array elements are events (or lookup-events entries). */
export const ELEMENT_KEYS = new Set(['Records', 'Events']);

/** Index of the closing quote of the string whose opening quote is at `open`; -1 when unterminated. */
function stringEnd(buf: Uint8Array, open: number, n: number): number {
  let i = open + 1;
  for (;;) {
    const j = (buf as Buffer).indexOf(QUOTE, i);
    if (j < 0 || j >= n) return -1;
    let k = j - 1;
    let bs = 0;
    while (buf[k] === BACKSLASH) {
      bs++;
      k--;
    }
    if ((bs & 1) === 0) return j;
    i = j + 1;
  }
}

/** Skip one complete JSON value starting at `pos` (first non-space byte). Returns the index after it. */
function skipValue(buf: Uint8Array, pos: number, n: number): number {
  const c = buf[pos];
  if (c === QUOTE) {
    const e = stringEnd(buf, pos, n);
    if (e < 0) throw new ScanError(pos, 'unterminated string');
    return e + 1;
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    let i = pos;
    for (; i < n; i++) {
      const b = buf[i];
      if (b === QUOTE) {
        const e = stringEnd(buf, i, n);
        if (e < 0) throw new ScanError(i, 'unterminated string');
        i = e;
      } else if (b === 0x7b || b === 0x5b) {
        depth++;
      } else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
        if (depth < 0) throw new ScanError(i, 'unbalanced bracket');
      }
    }
    throw new ScanError(n, 'unexpected end of data inside a value (truncated?)');
  }
  // scalar: up to the next separator
  let i = pos;
  while (i < n) {
    const b = buf[i];
    if (b === 0x2c || b === 0x7d || b === 0x5d || WS[b]) break;
    i++;
  }
  if (i === pos) throw new ScanError(pos, `unexpected character ${JSON.stringify(String.fromCharCode(c))}`);
  return i;
}

class ScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function skipWs(buf: Uint8Array, i: number, n: number): number {
  while (i < n && WS[buf[i]]) i++;
  return i;
}

/** Scan the elements of the array whose '[' is at `open`; pushes spans; returns the index after ']'. */
function scanArray(buf: Uint8Array, open: number, n: number, out: Span[]): number {
  let i = skipWs(buf, open + 1, n);
  if (buf[i] === 0x5d) return i + 1;
  for (;;) {
    if (i >= n) throw new ScanError(n, 'unexpected end of data inside an array (truncated?)');
    const end = skipValue(buf, i, n);
    out.push({ start: i, end });
    i = skipWs(buf, end, n);
    if (i >= n) throw new ScanError(n, 'unexpected end of data inside an array (truncated?)');
    if (buf[i] === 0x2c) {
      i = skipWs(buf, i + 1, n);
      continue;
    }
    if (buf[i] === 0x5d) return i + 1;
    throw new ScanError(i, "expected ',' or ']' between array elements");
  }
}

function decodeKey(buf: Uint8Array, start: number, end: number): string {
  const raw = Buffer.from(buf.buffer, buf.byteOffset + start, end - start + 1).toString('utf8');
  return JSON.parse(raw) as string;
}

/** Scan a top-level object starting at `open`, collecting keys and element spans of ELEMENT_KEYS arrays. */
function scanObject(buf: Uint8Array, open: number, n: number, value: TopValue): number {
  let i = skipWs(buf, open + 1, n);
  if (buf[i] === 0x7d) return i + 1;
  for (;;) {
    if (buf[i] !== QUOTE) throw new ScanError(i, 'expected a key string in object');
    const ke = stringEnd(buf, i, n);
    if (ke < 0) throw new ScanError(i, 'unterminated key string');
    const key = decodeKey(buf, i, ke);
    value.keys.push(key);
    i = skipWs(buf, ke + 1, n);
    if (buf[i] !== 0x3a) throw new ScanError(i, "expected ':' after key");
    i = skipWs(buf, i + 1, n);
    if (i >= n) throw new ScanError(n, 'unexpected end of data (truncated?)');
    if (buf[i] === 0x5b && ELEMENT_KEYS.has(key) && value.elements === null) {
      value.elements = [];
      value.arrayKey = key;
      i = scanArray(buf, i, n, value.elements);
    } else {
      i = skipValue(buf, i, n);
    }
    i = skipWs(buf, i, n);
    if (buf[i] === 0x2c) {
      i = skipWs(buf, i + 1, n);
      continue;
    }
    if (buf[i] === 0x7d) return i + 1;
    if (i >= n) throw new ScanError(n, 'unexpected end of data inside an object (truncated?)');
    throw new ScanError(i, "expected ',' or '}' in object");
  }
}

/** Scan a whole JSON document (or several concatenated top-level values). */
export function scanJson(buf: Uint8Array, maxValues = Infinity): ScanResult {
  const n = buf.length;
  let i = 0;
  let bom = false;
  if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    i = 3;
    bom = true;
  }
  const values: TopValue[] = [];
  let current: TopValue | null = null;
  try {
    for (;;) {
      i = skipWs(buf, i, n);
      if (i >= n || values.length >= maxValues) break;
      const c = buf[i];
      current = { start: i, end: i, kind: 'scalar', keys: [], elements: null, arrayKey: null };
      if (c === 0x7b) {
        current.kind = 'object';
        values.push(current);
        current.end = scanObject(buf, i, n, current);
      } else if (c === 0x5b) {
        current.kind = 'array';
        current.elements = [];
        values.push(current);
        current.end = scanArray(buf, i, n, current.elements);
      } else {
        values.push(current);
        current.end = skipValue(buf, i, n);
      }
      i = current.end;
      current = null;
    }
  } catch (err) {
    if (err instanceof ScanError) {
      return { values, error: { offset: err.offset, message: err.message }, bom };
    }
    throw err;
  }
  return { values, error: null, bom };
}
