// The bounded-memory path for very large files (a multi-GB {"Records":[...]} or NDJSON file):
// read → (gunzip) → SHA-256 + size cap → stream-json → records in batches → sink.part().
// The evidence bytes are embedded as a stream of pieces. Record byte offsets are not tracked here;
// `show` re-reads such records by index.

import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import StreamJson from 'stream-json';
import PickMod from 'stream-json/filters/Pick.js';
import StreamArrayMod from 'stream-json/streamers/StreamArray.js';
import JsonlParserMod from 'stream-json/jsonl/Parser.js';
import type { KeyPathInfo, SourceKind } from '../model/types.js';
import type { PathHint, RawRecord } from '../sources/read-records.js';
import { looksLikeEventKeys } from '../sources/read-records.js';
import { scanJson } from '../sources/json-scan.js';
import { toEvent, type FileJob, type FileResult, type FileSink, type FileWarning, type ParseOptions } from './parse-file.js';
import { EventBatchBuilder, emptyBatch } from '../model/event-batch.js';

const BATCH = 2000;
const BLOB_PIECE = 8 * 1024 * 1024;

async function hashFile(file: string): Promise<{ sha256: string; gz: boolean }> {
  const h = crypto.createHash('sha256');
  let first: Buffer | null = null;
  for await (const chunk of fs.createReadStream(file, { flags: 'r', highWaterMark: 1024 * 1024 })) {
    if (!first) first = chunk as Buffer;
    h.update(chunk as Buffer);
  }
  return { sha256: h.digest('hex'), gz: !!first && first[0] === 0x1f && first[1] === 0x8b };
}

/** Counts and hashes decompressed bytes, enforces the cap, and keeps the first bytes for sniffing. */
class Meter extends Transform {
  readonly hash = crypto.createHash('sha256');
  bytes = 0;
  constructor(private readonly cap: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.cap) {
      cb(new Error(`decompressed size exceeds the cap of ${this.cap} bytes (possible gzip bomb; raise --max-decompressed)`));
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }
}

async function sniff(file: string, gz: boolean): Promise<'ndjson' | 'envelope'> {
  const head: Buffer[] = [];
  let got = 0;
  const src = fs.createReadStream(file, { flags: 'r', highWaterMark: 256 * 1024 });
  const stream = gz ? src.pipe(zlib.createGunzip()) : src;
  try {
    for await (const chunk of stream) {
      head.push(chunk as Buffer);
      got += (chunk as Buffer).length;
      if (got >= 256 * 1024) break;
    }
  } catch {
    // corrupt data is reported by the real pass
  } finally {
    src.destroy();
  }
  const buf = Buffer.concat(head);
  const scan = scanJson(buf, 2);
  const v0 = scan.values[0];
  if (v0 && v0.kind === 'object' && v0.end > v0.start && !scan.error && looksLikeEventKeys(v0.keys)) return 'ndjson';
  if (v0 && v0.kind === 'object' && looksLikeEventKeys(v0.keys) && scan.values.length > 1) return 'ndjson';
  return 'envelope';
}

export async function streamRecords(
  job: FileJob,
  size: number,
  info: KeyPathInfo | null,
  hint: PathHint,
  opts: ParseOptions,
  sink: FileSink,
  warnings: FileWarning[],
  alreadyMeta = false,
): Promise<FileResult> {
  const { sha256, gz } = await hashFile(job.absPath);
  const known = opts.knownSha256?.has(sha256) ?? false;
  if (!alreadyMeta) sink.meta({ size, sha256, compression: gz ? 'gzip' : 'none', keyInfo: info, known });
  if (known) return { contentSha256: null, kind: 'skipped', status: 'done', reason: 'already in the case', recordCount: 0, warnings: [], events: emptyBatch(), blob: [], blobFormat: null };

  const shape = await sniff(job.absPath, gz);
  const kind: SourceKind = shape === 'ndjson' ? 'ndjson' : hint === 'CloudTrail-Insight' ? 'cloudtrail-insight' : hint === 'CloudTrail' ? 'cloudtrail-log' : 'records-json';
  const meter = new Meter(opts.maxDecompressed);
  const batch = new EventBatchBuilder();
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let index = 0;
  const checked = { account: false, region: false };

  // Embedding: the file's own bytes when gzip, else a level-1 gzip of them, cut into pieces.
  const embedStream = opts.embed ? fs.createReadStream(job.absPath, { flags: 'r', highWaterMark: BLOB_PIECE }) : null;
  const embedIter = embedStream ? (gz ? embedStream : embedStream.pipe(zlib.createGzip({ level: 1, chunkSize: 1024 * 1024 })))[Symbol.asyncIterator]() : null;

  const flush = async (): Promise<void> => {
    if (embedIter) {
      // Interleave embedding with parsing so memory stays bounded: one piece per batch at most.
      const next = await embedIter.next();
      if (!next.done) {
        pieces.push(next.value as Buffer);
        pieceBytes += (next.value as Buffer).length;
      }
    }
    await sink.part(batch.take(), pieces);
    pieces = [];
    pieceBytes = 0;
  };

  const onValue = async (value: unknown): Promise<void> => {
    let rec = value;
    // lookup-events entries inside an Events array
    if (rec && typeof rec === 'object' && typeof (rec as Record<string, unknown>).CloudTrailEvent === 'string') {
      try {
        rec = JSON.parse((rec as Record<string, string>).CloudTrailEvent);
      } catch {
        rec = null;
      }
    }
    const isEvent = rec !== null && typeof rec === 'object' && !Array.isArray(rec) && looksLikeEventKeys(Object.keys(rec as object));
    const raw: RawRecord = {
      index,
      record: isEvent ? (rec as Record<string, unknown>) : null,
      text: null,
      offset: null,
      length: null,
      partial: false,
      error: isEvent ? null : 'not a CloudTrail event',
    };
    index++;
    toEvent(raw, kind, info, warnings, checked, batch);
    if (batch.count >= BATCH) await flush();
  };

  const collector = new Transform({
    objectMode: true,
    transform(chunk: { value: unknown }, _enc, cb) {
      onValue(chunk.value).then(() => cb(), cb);
    },
  });

  const src = fs.createReadStream(job.absPath, { flags: 'r', highWaterMark: 1024 * 1024 });
  const stages: NodeJS.ReadWriteStream[] = [];
  if (gz) stages.push(zlib.createGunzip());
  stages.push(meter);
  if (shape === 'ndjson') {
    stages.push((JsonlParserMod as unknown as { parser: (o?: object) => NodeJS.ReadWriteStream }).parser({ checkErrors: true }));
  } else {
    // Packed values only (no per-chunk key/string/number tokens): fewer events, same objects.
    stages.push((StreamJson as unknown as { parser: (o: object) => NodeJS.ReadWriteStream }).parser({ streamKeys: false, streamStrings: false, streamNumbers: false }));
    stages.push((PickMod as unknown as { pick: (o: object) => NodeJS.ReadWriteStream }).pick({ filter: /^(Records|Events)$/ }));
    stages.push((StreamArrayMod as unknown as { streamArray: () => NodeJS.ReadWriteStream }).streamArray());
  }
  stages.push(collector);
  try {
    await (pipeline as unknown as (...s: unknown[]) => Promise<void>)(src, ...stages);
  } catch (err) {
    warnings.push({ recordIndex: index, code: 'stream_error', message: `reading stopped at record ${index}: ${(err as Error).message}; ${index} records before it were read`, severity: 'error' });
  }
  // Remaining embedded pieces.
  if (embedIter) {
    for (;;) {
      const next = await embedIter.next();
      if (next.done) break;
      pieces.push(next.value as Buffer);
      pieceBytes += (next.value as Buffer).length;
      if (pieceBytes >= BLOB_PIECE * 4) {
        await sink.part(emptyBatch(), pieces);
        pieces = [];
        pieceBytes = 0;
      }
    }
  }
  const tail = batch.take();
  const tailPieces = pieces;
  if (index === 0) warnings.push({ recordIndex: null, code: 'zero_records', message: 'file holds no records', severity: 'warning' });
  return {
    contentSha256: meter.hash.digest('hex'),
    kind,
    status: 'done',
    reason: null,
    recordCount: index,
    warnings,
    events: tail,
    blob: tailPieces,
    blobFormat: opts.embed ? (gz ? 'file' : 'gzip') : null,
  };
}
