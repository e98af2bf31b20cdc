// One big file read by all parser threads. The thread that reads (and inflates) the file cuts its bytes into
// chunks of whole records (sources/record-splitter.ts) and hands them to the other parser threads over message
// ports (and parses some itself); the chunks come back parsed and are merged in file order by the file's own
// FileParser, so the writer receives the same events, indexes, offsets, flags and warnings as from one thread.
//
// Every chunk is read by a RecordReader that first reads the file's opening bytes (the primer: up to the first
// cut after which an event was read) and so stands exactly where the file's own reader stood at a cut. Whatever
// could make a chunk's reading depend on more than that (a fatal JSON error, a top-level array, a second gzip
// member, no cut for too long, the end of the Records array, the end of the file) sends the rest of the file
// through the file's own reader on this thread, from the last merged cut on: the sequential path, exactly.

import type { MessagePort } from 'node:worker_threads';
import { RecordSplitter, splitShape, type SplitChunk, type SplitShape } from '../sources/record-splitter.js';
import { READ_LIMITS } from '../sources/read-records.js';
import { ChunkReading, type ChunkContext, type FileParser, type ParsedChunk } from './file-parser.js';
import type { EventBatch } from '../model/event-batch.js';

/** On a split file's port, reading thread → helper. */
export type SplitRequest = { type: 'context'; ctx: ChunkContext } | { type: 'chunk'; id: number; offset: number; bytes: Uint8Array };

/** On a split file's port, helper → reading thread. */
export type SplitReply = { type: 'parsed'; chunk: ParsedChunk };

/** Decompressed bytes per chunk handed to a parser thread. */
export const SPLIT_CHUNK_BYTES = 4 * 1024 * 1024;
/** Opening bytes looked at to recognise the shape. */
const SNIFF_BYTES = 4096;
/** The primer must show an event within this many bytes, else the file is read on one thread. */
const MAX_PRIMER = 1024 * 1024;
/** Chunks in flight per other thread (this thread takes one at a time). */
const PER_THREAD = 2;
/** Bytes this thread reads of its own chunk between looking at the file and at the other threads. */
const LOCAL_STEP = 256 * 1024;

/** The other parser threads (over message ports) and this one, as one pool of chunk readers. */
class ChunkPool {
  private readonly waiting = new Map<number, (c: ParsedChunk) => void>();
  private readonly load: number[];
  private local = 0;

  constructor(
    private readonly ports: MessagePort[],
    private readonly ctx: ChunkContext,
  ) {
    this.load = ports.map(() => 0);
    ports.forEach((port, i) => {
      port.postMessage({ type: 'context', ctx } satisfies SplitRequest);
      port.on('message', (m: SplitReply) => {
        this.load[i]--;
        const done = this.waiting.get(m.chunk.id);
        this.waiting.delete(m.chunk.id);
        done?.(m.chunk);
      });
    });
  }

  get capacity(): number {
    return this.ports.length * PER_THREAD + 1;
  }

  parse(c: SplitChunk, id: number): Promise<ParsedChunk> {
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i] < this.load[best]) best = i;
    if (this.local === 0 && this.load[best] > 0) {
      this.local++;
      return this.readHere(c, id).finally(() => this.local--);
    }
    this.load[best]++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ports[best].postMessage({ type: 'chunk', id, offset: c.offset, bytes: c.bytes } satisfies SplitRequest, [c.bytes.buffer as ArrayBuffer]);
    });
  }

  /** This thread reads a chunk too, in small steps: between them it keeps reading the file and handing chunks out. */
  private async readHere(c: SplitChunk, id: number): Promise<ParsedChunk> {
    await new Promise((resolve) => setImmediate(resolve));
    const r = new ChunkReading(this.ctx, id, c.offset, c.bytes);
    while (!r.step(LOCAL_STEP)) await new Promise((resolve) => setImmediate(resolve));
    return r.result();
  }

  close(): void {
    for (const p of this.ports) p.close();
  }
}

/** The memory of a parsed chunk that can move to another thread without a copy. */
export function chunkTransfer(c: ParsedChunk): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>([c.bytes.buffer as ArrayBuffer]);
  for (const v of Object.values(c.events as EventBatch)) if (ArrayBuffer.isView(v)) out.add(v.buffer as ArrayBuffer);
  return [...out];
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export interface SplitHelpers {
  ports: MessagePort[];
  /** The split is over (the ports are closed). */
  release(): void;
}

/** Feeds a FileParser through the splitter while that is exact; installed as `parser.split`, detaches itself. */
class SplitFeeder {
  private mode: 'sniff' | 'primer' | 'split' = 'sniff';
  private head: Buffer[] = [];
  private headBytes = 0;
  private shape: SplitShape = 'ndjson';
  private splitter: RecordSplitter | null = null;
  private primer: Uint8Array[] = [];
  private primerBytes = 0;
  private pool: ChunkPool | null = null;
  private helpers: SplitHelpers | null = null;
  private inflight: Array<Promise<ParsedChunk>> = [];
  /** A chunk could not be merged: it and all after it are read on this thread. */
  private broken = false;
  private nextId = 0;
  private readonly maxPending: number;

  constructor(
    private readonly p: FileParser,
    private readonly chunkBytes: number,
    private readonly getHelpers: () => Promise<SplitHelpers>,
  ) {
    this.maxPending = 2 * chunkBytes + READ_LIMITS.maxValueBytes + 1024 * 1024;
  }

  /** The next bytes of the file; they are copied (or read) before this returns. */
  async push(data: Buffer): Promise<void> {
    if (this.mode === 'sniff') {
      // Copied: the caller may use its buffer again.
      this.head.push(Buffer.from(data));
      this.headBytes += data.length;
      if (this.headBytes < SNIFF_BYTES) return;
      data = Buffer.concat(this.head);
      this.head = [];
      const sh = splitShape(data);
      if (!sh) {
        this.p.split = null;
        await this.p.feedHere(data);
        return;
      }
      this.shape = sh.shape;
      this.splitter = new RecordSplitter(sh.shape, sh.bodyStart, this.chunkBytes + 2 * 1024 * 1024);
      this.mode = 'primer';
    }
    const splitter = this.splitter!;
    splitter.push(data);
    if (this.mode === 'primer') {
      if (!(await this.prime())) return this.finish();
      if (this.mode === 'primer') return;
    }
    for (;;) {
      const c = splitter.take(this.chunkBytes);
      if (!c) break;
      while (this.inflight.length >= this.pool!.capacity && !this.broken) await this.mergeHead();
      if (this.broken) {
        while (this.inflight.length > 0) await this.mergeHead();
        await this.p.feedHere(asBuffer(c.bytes));
        break;
      }
      this.inflight.push(this.pool!.parse(c, this.nextId++));
    }
    if (this.broken || splitter.stopped !== null || splitter.pending > this.maxPending) await this.finish();
  }

  /** Read the opening records here until an event was read; then split if the reader stands where chunks can start. False: read on one thread. */
  private async prime(): Promise<boolean> {
    const splitter = this.splitter!;
    for (;;) {
      const c = splitter.take(1);
      if (!c) return splitter.stopped === null && splitter.pending <= MAX_PRIMER;
      this.primer.push(c.bytes);
      this.primerBytes += c.bytes.length;
      await this.p.feedHere(asBuffer(c.bytes));
      const r = this.p.reader;
      if (r.events === 0) {
        if (this.primerBytes > MAX_PRIMER || r.skipReason !== null) return false;
        continue;
      }
      const s = r.splitState();
      const steady = r.notes.length === 0 && r.skipReason === null && !s.arrays && (this.shape === 'ndjson' ? s.lineMode : s.values === 0 && !s.lineMode);
      if (!steady) return false;
      this.helpers = await this.getHelpers();
      if (this.helpers.ports.length === 0) return false;
      const primer = new Uint8Array(this.primerBytes);
      let at = 0;
      for (const b of this.primer) {
        primer.set(b, at);
        at += b.length;
      }
      this.primer = [];
      this.pool = new ChunkPool(this.helpers.ports, { primer, info: this.p.state.info, kind: this.p.state.kind });
      this.mode = 'split';
      return true;
    }
  }

  private async mergeHead(): Promise<void> {
    const c = await this.inflight.shift()!;
    if (!this.broken && !c.trusted) this.broken = true;
    if (this.broken) await this.p.feedHere(asBuffer(c.bytes));
    else {
      await this.p.mergeChunk(c);
      this.splitter!.recycle(c.bytes);
    }
  }

  /** The file's reading stopped early (an error): the other threads are let go. */
  abandon(): void {
    if (this.p.split !== this) return;
    this.p.split = null;
    this.pool?.close();
    this.helpers?.release();
  }

  /** From here on the file's own reader reads, after what was handed out is merged. */
  async finish(): Promise<void> {
    if (this.p.split !== this) return;
    this.p.split = null;
    try {
      if (this.mode === 'sniff') {
        if (this.headBytes > 0) await this.p.feedHere(Buffer.concat(this.head));
        this.head = [];
        return;
      }
      while (this.inflight.length > 0) await this.mergeHead();
      const rest = this.splitter!.rest();
      if (rest.bytes.length > 0) await this.p.feedHere(asBuffer(rest.bytes));
    } finally {
      this.pool?.close();
      this.helpers?.release();
    }
  }
}

/** Read the file behind `p` with all parser threads where its shape allows (see the top of this file). */
export function splitFeeder(p: FileParser, chunkBytes: number, helpers: () => Promise<SplitHelpers>): void {
  p.split = new SplitFeeder(p, chunkBytes, helpers);
}
