// An incremental structural scanner for JSON evidence: bytes go in as chunks of any size (one whole file,
// or a bounded stream), and out come the values a record reader needs, each with its exact bytes and byte
// offset: the elements of a container array ("Records", "Events", a top-level array) and the top-level values
// that are not containers (one event, NDJSON lines, a digest file...). The same scanner serves every file size;
// only the feeder differs.
//
// It checks structure only (brackets, strings, separators at the levels it tracks); values are validated by
// JSON.parse in the reader. Memory is bounded whatever the input: a value larger than `maxValueBytes` or nested
// deeper than `maxDepth` is reported, not kept, and scanning goes on with counters only. In line mode (NDJSON),
// a value that does not end on its own line is reported and scanning resumes on the next line.

import { BS, COLON, COMMA, LB, LS, NL, QUOTE, RB, RS } from './json-bytes.js';

export interface ScanLimits {
  /** Largest value (record) kept, in bytes. */
  maxValueBytes: number;
  /** Deepest nesting inside one value. */
  maxDepth: number;
  /** Longest top-level key read. */
  maxKeyBytes: number;
}

export type ValueProblem = 'too_large' | 'too_deep' | 'broken_line' | null;

export interface ScannedValue {
  /** 'element' of a container array, or a whole 'top'-level value. */
  where: 'element' | 'top';
  /** The container's key ('Records', 'Events'), '[' for a top-level array, null for top-level values. */
  container: string | null;
  /** The value's bytes; null when it was not kept (see problem). */
  bytes: Buffer | null;
  offset: number;
  length: number;
  problem: ValueProblem;
  /** First byte: '{', '[', '"' or a scalar's. */
  first: number;
}

export interface ScanSink {
  /** A top-level object's key whose value is an array: return true when its elements are records. */
  containerKey(key: string, keysSoFar: readonly string[], offset: number): boolean;
  value(v: ScannedValue): void;
  /** A top-level value ended (`envelope`: it was an object holding a container). */
  topEnd(envelope: boolean): void;
  /** Broken structure. `fatal`: nothing after `offset` can be read. */
  error(offset: number, message: string, fatal: boolean): void;
  note(code: string, offset: number): void;
}


const WS = new Uint8Array(256);
WS[0x20] = WS[0x09] = WS[0x0a] = WS[0x0d] = 1;
/** Bytes that end a bare scalar (number, true, null, garbage). */
const SCALAR_END = new Uint8Array(256);
for (const b of [0x20, 0x09, 0x0a, 0x0d, COMMA, RB, RS, LB, LS, QUOTE]) SCALAR_END[b] = 1;

const enum Top {
  None,
  Object,
  Array,
  Scalar,
}
const enum Key {
  Expect, // after '{' or ','
  In, // inside the key string
  Colon, // after the key
  Value, // after ':' before the value
  InValue, // inside the value
}
const enum Str {
  Plain,
  Key,
  TopScalar,
  ElemScalar,
}

export class JsonScanner {
  /** NDJSON: every top-level value must end on its line. Set by the reader once it knows. */
  lineMode = false;
  /** Bytes fed so far. */
  position = 0;

  private depth = 0;
  private readonly kinds = new Uint8Array(1 << 16);
  private inStr = false;
  private esc = false;
  private strRole = Str.Plain;
  private inScalar = false;
  private done = false;
  private skipToNl = false;
  /** A mid-file byte-order mark cut by the end of a chunk: where it starts in the chunk, and its bytes kept for the next. */
  private deferFrom = -1;
  private carry: Buffer | null = null;
  private final = false;

  private top = Top.None;
  private topKeys: string[] = [];
  private envelope = false;
  private ks = Key.Expect;
  private keyParts: Buffer[] = [];
  private keyBytes = 0;
  private keyStart = -1;
  private pendingKey: string | null = null;

  private elemDepth = -1;
  private container: string | null = null;
  /** 0: first value or ']' expected; 1: a value expected (after ','); 2: ',' or ']' expected. */
  private es = 0;

  private cap = false;
  private capWhere: 'element' | 'top' = 'top';
  private capAbs = 0;
  private capStart = 0;
  private capParts: Buffer[] = [];
  private capBytes = 0;
  private capDepth = 0;
  private capProblem: ValueProblem = null;
  private capFirst = 0;

  private chunk: Buffer = Buffer.alloc(0);
  private base = 0;
  private nextNl = -1;

  constructor(
    private readonly sink: ScanSink,
    private readonly limits: ScanLimits,
  ) {}

  /** Stop scanning (the reader has what it needs). */
  stop(): void {
    this.done = true;
  }

  get stopped(): boolean {
    return this.done;
  }

  push(chunk: Buffer): void {
    if (this.carry) {
      chunk = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    if (this.done || chunk.length === 0) {
      this.position += chunk.length;
      return;
    }
    this.deferFrom = -1;
    this.chunk = chunk;
    this.base = this.position;
    this.nextNl = -1;
    if (this.cap) this.capStart = 0;
    if (this.ks === Key.In) this.keyStart = 0;
    this.scan(chunk);
    if (this.deferFrom >= 0) {
      // Between top-level values (nothing is being captured): the cut mark is read again with the next chunk.
      this.carry = Buffer.from(chunk.subarray(this.deferFrom));
      this.position += this.deferFrom;
      this.chunk = Buffer.alloc(0);
      return;
    }
    if (!this.done) {
      if (this.cap && this.capProblem === null) this.keep(chunk.subarray(this.capStart));
      if (this.ks === Key.In && this.keyStart >= 0) this.keepKey(chunk.subarray(this.keyStart));
    }
    this.position += chunk.length;
    this.chunk = Buffer.alloc(0);
  }

  end(): void {
    if (this.carry) {
      const rest = this.carry;
      this.carry = null;
      this.final = true;
      this.push(rest);
    }
    if (this.done) return;
    const at = this.position;
    if (this.inScalar && this.cap && this.depth === 0 && !this.inStr) {
      this.inScalar = false;
      this.finishCapture(0, at);
      this.finishTop();
      return;
    }
    if (this.depth > 0 || this.inStr || this.inScalar) {
      if (this.lineMode && !this.envelope) {
        this.brokenLine(at);
        return;
      }
      const where = this.cap ? this.capAbs : at;
      this.sink.error(where, this.cap && this.capWhere === 'element' ? 'truncated: the last record is incomplete' : 'truncated: the document ends inside a value', true);
      this.done = true;
    }
  }

  private keep(piece: Buffer): void {
    this.capBytes += piece.length;
    if (this.capBytes > this.limits.maxValueBytes) {
      this.capProblem = 'too_large';
      this.capParts = [];
    } else if (piece.length > 0) {
      this.capParts.push(piece);
    }
  }

  private keepKey(piece: Buffer): void {
    this.keyBytes += piece.length;
    if (this.keyBytes <= this.limits.maxKeyBytes) this.keyParts.push(piece);
  }

  private startCapture(i: number, where: 'element' | 'top', first: number): void {
    this.cap = true;
    this.capWhere = where;
    this.capAbs = this.base + i;
    this.capStart = i;
    this.capParts = [];
    this.capBytes = 0;
    this.capDepth = this.depth;
    this.capProblem = null;
    this.capFirst = first;
  }

  /** Close the capture at `end` (index in the current chunk) and hand the value over. */
  private finishCapture(end: number, absEnd = this.base + end): void {
    this.cap = false;
    const length = absEnd - this.capAbs;
    let bytes: Buffer | null = null;
    let problem = this.capProblem;
    if (problem === null && length > this.limits.maxValueBytes) problem = 'too_large';
    if (problem === null) {
      const tail = this.chunk.subarray(this.capStart, Math.max(this.capStart, end));
      bytes = this.capParts.length === 0 ? tail : Buffer.concat([...this.capParts, tail]);
    }
    this.capParts = [];
    const where = this.capWhere;
    this.sink.value({ where, container: where === 'element' ? this.container : null, bytes, offset: this.capAbs, length, problem, first: this.capFirst });
  }

  private finishTop(): void {
    const env = this.envelope;
    this.top = Top.None;
    this.envelope = false;
    this.topKeys = [];
    this.ks = Key.Expect;
    this.pendingKey = null;
    this.sink.topEnd(env);
  }

  /** Line mode: the value on this line is broken; report it and resume on the next line. */
  private brokenLine(absAt: number): void {
    const start = this.cap ? this.capAbs : absAt;
    this.sink.value({ where: this.cap ? this.capWhere : 'top', container: this.cap && this.capWhere === 'element' ? this.container : null, bytes: null, offset: start, length: absAt - start, problem: 'broken_line', first: this.capFirst });
    this.reset();
  }

  private reset(): void {
    this.depth = 0;
    this.inStr = false;
    this.esc = false;
    this.inScalar = false;
    this.cap = false;
    this.capParts = [];
    this.top = Top.None;
    this.envelope = false;
    this.topKeys = [];
    this.ks = Key.Expect;
    this.pendingKey = null;
    this.elemDepth = -1;
    this.container = null;
  }

  private fail(i: number, message: string): number {
    const at = this.base + i;
    if (this.lineMode) {
      this.sink.error(at, message, false);
      this.brokenLine(at);
      this.skipToNl = true;
      return i;
    }
    this.sink.error(at, message, true);
    this.done = true;
    return this.chunk.length;
  }

  /** Start of a value at the tracked levels: top level, a top object's member, or a container element. */
  private valueStart(i: number, c: number): void {
    const d = this.depth;
    if (d === 0) {
      if (c === LB) {
        this.top = Top.Object;
        this.ks = Key.Expect;
        this.topKeys = [];
        this.envelope = false;
        this.startCapture(i, 'top', c);
      } else if (c === LS) {
        this.top = Top.Array;
        this.elemDepth = 1;
        this.es = 0;
        this.container = '[';
      } else {
        this.top = Top.Scalar;
        this.startCapture(i, 'top', c);
      }
    } else if (d === this.elemDepth && this.es !== 2) {
      this.es = 2;
      this.startCapture(i, 'element', c);
    } else if (d === 1 && this.top === Top.Object && this.ks === Key.Value) {
      this.ks = Key.InValue;
      if (c === LS && this.pendingKey !== null && this.elemDepth < 0 && this.sink.containerKey(this.pendingKey, this.topKeys, this.base + i)) {
        // An envelope: its container's elements are the records; the object itself is not kept.
        this.envelope = true;
        this.cap = false;
        this.capParts = [];
        this.elemDepth = 2;
        this.es = 0;
        this.container = this.pendingKey;
      }
    }
  }

  private scan(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    while (i < n && !this.done) {
      if (this.skipToNl) {
        const nl = buf.indexOf(NL, i);
        if (nl < 0) return;
        this.skipToNl = false;
        i = nl + 1;
        continue;
      }
      if (this.inStr) {
        if (this.esc) {
          this.esc = false;
          i++;
          continue;
        }
        const j = buf.indexOf(QUOTE, i);
        if (this.lineMode) {
          if (this.nextNl < i) this.nextNl = buf.indexOf(NL, i) >>> 0;
          if (this.nextNl < (j < 0 ? n : j)) {
            i = this.fail(this.nextNl, 'a string does not end on its line');
            continue;
          }
        }
        if (j < 0) {
          let k = n - 1;
          let bs = 0;
          while (k >= i && buf[k] === BS) {
            bs++;
            k--;
          }
          if (bs & 1) this.esc = true;
          return;
        }
        let k = j - 1;
        let bs = 0;
        while (k >= i && buf[k] === BS) {
          bs++;
          k--;
        }
        if (bs & 1) {
          i = j + 1;
          continue;
        }
        this.inStr = false;
        i = j + 1;
        const role = this.strRole;
        this.strRole = Str.Plain;
        if (role === Str.Key) {
          const tail = buf.subarray(this.keyStart, j);
          this.keyStart = -1;
          this.keyBytes += tail.length;
          let key: string | null = null;
          if (this.keyBytes <= this.limits.maxKeyBytes) {
            const raw = this.keyParts.length ? Buffer.concat([...this.keyParts, tail]) : tail;
            try {
              key = JSON.parse(`"${raw.toString('utf8')}"`) as string;
            } catch {
              key = null;
            }
          }
          this.keyParts = [];
          this.keyBytes = 0;
          this.pendingKey = key;
          if (key !== null && this.topKeys.length < 256) this.topKeys.push(key);
          this.ks = Key.Colon;
        } else if (role === Str.TopScalar) {
          this.finishCapture(i);
          this.finishTop();
        } else if (role === Str.ElemScalar) {
          this.finishCapture(i);
        }
        continue;
      }
      const c = buf[i];
      if (this.inScalar) {
        if (!SCALAR_END[c]) {
          i++;
          continue;
        }
        this.inScalar = false;
        this.finishCapture(i);
        if (this.depth === 0) this.finishTop();
      }
      if (WS[c]) {
        if (c === NL && this.lineMode && this.depth > 0) {
          i = this.fail(i, 'a value does not end on its line');
          continue;
        }
        i++;
        continue;
      }
      switch (c) {
        case QUOTE: {
          const d = this.depth;
          if (d === 0) {
            this.valueStart(i, c);
            this.strRole = Str.TopScalar;
          } else if (d === this.elemDepth && this.es !== 2) {
            this.valueStart(i, c);
            this.strRole = Str.ElemScalar;
          } else if (d === this.elemDepth && this.es === 2) {
            i = this.fail(i, "expected ',' or ']' between records");
            continue;
          } else if (d === 1 && this.top === Top.Object && this.ks === Key.Expect) {
            this.ks = Key.In;
            this.strRole = Str.Key;
            this.keyStart = i + 1;
            this.keyParts = [];
            this.keyBytes = 0;
          } else if (d === 1 && this.top === Top.Object && this.ks === Key.Value) {
            this.ks = Key.InValue;
          }
          this.inStr = true;
          i++;
          continue;
        }
        case LB:
        case LS: {
          const d = this.depth;
          if (d === this.elemDepth && this.es === 2) {
            i = this.fail(i, "expected ',' or ']' between records");
            continue;
          }
          this.valueStart(i, c);
          if (d < this.kinds.length) this.kinds[d] = c;
          this.depth = d + 1;
          if (this.cap && this.capProblem !== 'too_deep' && this.depth - this.capDepth > this.limits.maxDepth) {
            this.capProblem = 'too_deep';
            this.capParts = [];
          }
          i++;
          continue;
        }
        case RB:
        case RS: {
          const d = this.depth;
          if (d === 0) {
            i = this.fail(i, `unexpected '${String.fromCharCode(c)}' outside any value`);
            continue;
          }
          if (d - 1 < this.kinds.length && this.kinds[d - 1] !== c - 2) {
            i = this.fail(i, `'${String.fromCharCode(c)}' closes a '${String.fromCharCode(this.kinds[d - 1])}'`);
            continue;
          }
          if (d === this.elemDepth) {
            if (this.es === 1) {
              i = this.fail(i, "a ',' before ']' (missing record)");
              continue;
            }
            this.elemDepth = -1;
            this.container = null;
            this.depth = d - 1;
            if (this.depth === 0) this.finishTop();
            i++;
            continue;
          }
          this.depth = d - 1;
          if (this.cap && this.depth === this.capDepth) this.finishCapture(i + 1);
          if (this.depth === 0) this.finishTop();
          i++;
          continue;
        }
        case COMMA: {
          const d = this.depth;
          if (d === this.elemDepth) {
            if (this.es !== 2) {
              i = this.fail(i, "a ',' where a record was expected");
              continue;
            }
            this.es = 1;
          } else if (d === 1 && this.top === Top.Object) {
            this.ks = Key.Expect;
            this.pendingKey = null;
          } else if (d === 0) {
            i = this.fail(i, "unexpected ',' between top-level values");
            continue;
          }
          i++;
          continue;
        }
        case COLON: {
          if (this.depth === 1 && this.top === Top.Object && this.ks === Key.Colon) this.ks = Key.Value;
          i++;
          continue;
        }
        default: {
          const d = this.depth;
          if (d === 0 && c === 0xef && !this.final && i + 2 >= buf.length && (i + 1 >= buf.length || buf[i + 1] === 0xbb)) {
            this.deferFrom = i;
            return;
          }
          if (d === 0 && c === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) {
            this.sink.note('bom_mid_file', this.base + i);
            i += 3;
            continue;
          }
          if (d === this.elemDepth && this.es === 2) {
            i = this.fail(i, "expected ',' or ']' between records");
            continue;
          }
          if (d === 0 || (d === this.elemDepth && this.es !== 2)) {
            this.valueStart(i, c);
            this.inScalar = true;
          } else if (d === 1 && this.top === Top.Object && this.ks === Key.Value) {
            this.ks = Key.InValue;
          }
          i++;
          continue;
        }
      }
    }
  }
}
