// Cuts the decompressed bytes of one big evidence file into chunks of whole records, so that several parser
// threads can read one file (ingest/split-file.ts). Two shapes only, recognised positively from the opening
// bytes: NDJSON (one value a line: every newline is a record boundary) and the CloudTrail envelope
// `{"Records":[ … ]}` (a cut after each comma between the array's elements, found by a byte loop that
// tracks strings, escapes and depth). It never judges the records themselves: the parser does, with the
// same reader as for any other file, and anything the splitter does not recognise stays on one thread.

import { BS, COMMA, LB, LS, NL, QUOTE, RB, RS } from './json-bytes.js';

export type SplitShape = 'records' | 'ndjson';

export interface SplitChunk {
  /** Whole records (a Records chunk ends just after a comma, an NDJSON chunk just after a newline). */
  bytes: Uint8Array;
  /** Byte offset of `bytes` in the decompressed file. */
  offset: number;
}


/** `{"Records":[` with optional whitespace, exactly this key, at the very start (no BOM). */
const RECORDS_HEAD = /^[ \t\r\n]*\{[ \t\r\n]*"Records"[ \t\r\n]*:[ \t\r\n]*\[/;

/**
 * The shape the opening bytes of a file show (at least 4 KB of them, or the whole file), and where the
 * splitter starts: just after the Records array's `[`, or at 0 for NDJSON (whose first non-blank byte is `{`).
 * null: not a shape that is split (a BOM, CSV, a top-level array, other keys before Records...).
 */
export function splitShape(head: Uint8Array): { shape: SplitShape; bodyStart: number } | null {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (i >= head.length || head[i] !== LB) return null;
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 4096)).toString('latin1');
  const m = RECORDS_HEAD.exec(text);
  if (m) return { shape: 'records', bodyStart: m[0].length };
  // An envelope with another key first (or `"Records"` spelled otherwise) is neither: one thread reads it.
  if (/^[ \t\r\n]*\{[ \t\r\n]*"[^"]*"[ \t\r\n]*:[ \t\r\n]*\[/.test(text)) return null;
  return { shape: 'ndjson', bodyStart: 0 };
}

/**
 * Bytes in (in order, any piece size), chunks out. `take(minBytes)` hands out the bytes up to the first cut at
 * or after `minBytes`; `rest()` what no chunk holds. Memory: the bytes not yet taken.
 */
export class RecordSplitter {
  private buf: Uint8Array;
  /** The same memory as a Buffer (its indexOf is a memchr). */
  private view: Buffer;
  private len = 0;
  /** File offset of buf[0]. */
  private base = 0;
  /** Bytes of buf already scanned. */
  private scanned = 0;
  /** Cut positions in buf (ascending), each just after a separator. */
  private cuts: number[] = [];
  private depth = 2;
  private inStr = false;
  private esc = false;
  private why: string | null = null;
  /** Chunk memory handed back (recycle): fresh memory costs page faults, reused memory does not. */
  private spare: ArrayBuffer[] = [];
  /** Size of the recycled chunk memory. */
  private readonly chunkCapacity: number;

  constructor(
    readonly shape: SplitShape,
    /** Where the records start: scanning begins there (the opening bytes hold no cut). */
    private bodyStart: number,
    capacity = 1024 * 1024,
  ) {
    this.chunkCapacity = Math.max(capacity, 64 * 1024);
    this.buf = new Uint8Array(this.chunkCapacity);
    this.view = Buffer.from(this.buf.buffer);
  }

  /** Set when no cut will come any more (the Records array ended, or its structure broke): why. */
  get stopped(): string | null {
    return this.why;
  }

  /** Bytes held (not yet in a chunk). */
  get pending(): number {
    return this.len;
  }

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    if (this.len + data.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + data.length));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
      this.view = Buffer.from(grown.buffer);
    }
    this.buf.set(data, this.len);
    this.len += data.length;
    if (this.why === null) this.scan();
  }

  /** The bytes up to the first cut at or after `minBytes` (from the start of what is held), or null. */
  take(minBytes: number): SplitChunk | null {
    const cuts = this.cuts;
    let k = 0;
    while (k < cuts.length && cuts[k] < minBytes) k++;
    if (k === cuts.length) return null;
    const cut = cuts[k];
    const chunk = { bytes: this.copyOut(cut), offset: this.base };
    this.buf.copyWithin(0, cut, this.len);
    this.len -= cut;
    this.scanned -= cut;
    this.bodyStart = Math.max(0, this.bodyStart - cut);
    this.base += cut;
    const left = cuts.slice(k + 1);
    for (let i = 0; i < left.length; i++) left[i] -= cut;
    this.cuts = left;
    return chunk;
  }

  /** Everything held and not in a chunk; the splitter is spent. */
  rest(): SplitChunk {
    const chunk = { bytes: this.copyOut(this.len), offset: this.base };
    this.base += this.len;
    this.len = 0;
    this.scanned = 0;
    this.cuts = [];
    this.why ??= 'finished';
    return chunk;
  }

  /** A chunk's memory, back from the thread that read it: used again for a later chunk. */
  recycle(bytes: Uint8Array): void {
    if (bytes.buffer.byteLength === this.chunkCapacity && this.spare.length < 8) this.spare.push(bytes.buffer as ArrayBuffer);
  }

  /** The first `n` bytes held, in memory of their own that can move to another thread. */
  private copyOut(n: number): Uint8Array {
    const reuse = n <= this.chunkCapacity && n >= this.chunkCapacity / 2;
    const out = reuse ? new Uint8Array(this.spare.pop() ?? new ArrayBuffer(this.chunkCapacity), 0, n) : new Uint8Array(n);
    out.set(this.buf.subarray(0, n));
    return out;
  }

  private scan(): void {
    if (this.scanned < this.bodyStart) this.scanned = Math.min(this.bodyStart, this.len);
    if (this.shape === 'ndjson') this.scanLines();
    else this.scanRecords();
  }

  private scanLines(): void {
    const buf = this.view;
    let i = this.scanned;
    for (;;) {
      const nl = buf.indexOf(NL, i);
      if (nl < 0 || nl >= this.len) break;
      this.cuts.push(nl + 1);
      i = nl + 1;
    }
    this.scanned = this.len;
  }

  private scanRecords(): void {
    const buf = this.buf;
    const view = this.view;
    const n = this.len;
    let i = this.scanned;
    let depth = this.depth;
    let inStr = this.inStr;
    if (this.esc) {
      // The byte after a backslash that ended the previous piece.
      this.esc = false;
      i++;
    }
    while (i < n) {
      if (inStr) {
        // Inside a string: to the next quote not escaped (memchr for the quote, then count the backslashes before it).
        const q = view.indexOf(QUOTE, i);
        if (q < 0 || q >= n) {
          let k = n - 1;
          while (k >= i && buf[k] === BS) k--;
          if ((n - 1 - k) & 1) this.esc = true;
          i = n;
          break;
        }
        let k = q - 1;
        while (k >= i && buf[k] === BS) k--;
        i = q + 1;
        if (((q - 1 - k) & 1) === 0) inStr = false;
        continue;
      }
      const c = buf[i++];
      if (c === QUOTE) inStr = true;
      else if (c === LB || c === LS) depth++;
      else if (c === RB || c === RS) {
        if (depth === 2) {
          // The Records array ends (or a '}' where an element was expected): no more cuts.
          this.why = c === RS ? 'the Records array ends' : `unexpected '}' in the Records array at byte ${this.base + i - 1}`;
          i--;
          break;
        }
        depth--;
      } else if (c === COMMA && depth === 2) this.cuts.push(i);
    }
    this.depth = depth;
    this.inStr = inStr;
    this.scanned = i;
  }

}
