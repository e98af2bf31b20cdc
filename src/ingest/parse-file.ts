// One evidence file → hashes, classification, records, columns and resources. Runs in a worker thread
// (or in-process). Files read read-only; nothing is written next to them. Small files are handled in
// memory with the structural scanner + JSON.parse per record; files above the streaming threshold go
// through stream-json in bounded memory and are delivered to the writer in parts.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import type { CloudTrailRecord, KeyPathInfo, SourceKind } from '../model/types.js';
import { gunzipFirstMember, GzipError, isGzip } from '../sources/gzip.js';
import { parseKeyPath, parseLogFileName } from '../sources/key-path.js';
import { readRecords, type PathHint, type RawRecord } from '../sources/read-records.js';
import { extractColumns, parseEventTime } from '../sources/extract.js';
import { extractResources } from '../sources/resources.js';
import { EVENT_FLAGS } from '../index/event-flags.js';
import { EventBatchBuilder, emptyBatch, type EventBatch } from '../model/event-batch.js';
import { streamRecords } from './stream-file.js';

export interface ParseOptions {
  /** Cap on decompressed bytes per file (gzip bombs). */
  maxDecompressed: number;
  /** Files larger than this (bytes on disk) are streamed. */
  streamThreshold: number;
  /** Keep the evidence bytes inside the case. */
  embed: boolean;
  /** SHA-256 (hex) of files already in the case: they are not parsed again. */
  knownSha256?: ReadonlySet<string>;
}

export interface FileJob {
  seq: number;
  /** Size on disk at discovery (bytes), for scheduling. */
  size: number;
  absPath: string;
  relPath: string;
  root: string;
}

export interface FileWarning {
  recordIndex: number | null;
  code: string;
  message: string;
  severity: 'warning' | 'error';
}

export interface FileMeta {
  size: number;
  sha256: string;
  compression: 'gzip' | 'none';
  keyInfo: KeyPathInfo | null;
  /** The file was already ingested (same SHA-256): nothing else follows. */
  known: boolean;
}

/** Final result of a file. `events`/`blob` hold everything for in-memory files, the tail for streamed ones. */
export interface FileResult {
  contentSha256: string | null;
  kind: SourceKind;
  status: 'done' | 'skipped' | 'failed';
  reason: string | null;
  recordCount: number;
  warnings: FileWarning[];
  events: EventBatch;
  blob: Buffer[];
  blobFormat: 'file' | 'gzip' | null;
}

export interface FileSink {
  meta(meta: FileMeta): void;
  /** Parts of a streamed file: events in order, and blob pieces in order. */
  part(events: EventBatch, blob: Buffer[]): Promise<void> | void;
}

/** Decompressed size above which a file is re-read through the streaming path (bounded memory). */
export const IN_MEMORY_MAX = 160 * 1024 * 1024;


function hintOf(info: KeyPathInfo | null): PathHint {
  if (!info) return null;
  if (info.folder === 'CloudTrail' || info.folder === 'CloudTrail-Digest' || info.folder === 'CloudTrail-Insight') return info.folder;
  return null;
}

function sha256hex(data: Uint8Array | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Turn one raw record into an event row, or a warning. Shared by the in-memory and streaming paths. */
export function toEvent(raw: RawRecord, kind: SourceKind, info: KeyPathInfo | null, warnings: FileWarning[], checked: { account: boolean; region: boolean }, out: EventBatchBuilder): boolean {
  if (!raw.record) {
    warnings.push({ recordIndex: raw.index, code: 'bad_record', message: `record ${raw.index}: ${raw.error ?? 'unreadable'}; skipped`, severity: 'error' });
    return false;
  }
  const rec: CloudTrailRecord = raw.record;
  // Content identity is over the parsed record re-serialised (key order kept): the same event delivered
  // as S3 log bytes, as a lookup-events CloudTrailEvent string or pretty-printed hashes the same.
  const hash = crypto.hash('sha256', JSON.stringify(rec), 'buffer') as unknown as Buffer;
  let flags = raw.partial ? EVENT_FLAGS.partial : 0;
  if (kind === 'cloudtrail-insight' || rec.eventType === 'AwsCloudTrailInsight') flags |= EVENT_FLAGS.insight;
  let eventId = typeof rec.eventID === 'string' && rec.eventID !== '' ? rec.eventID : null;
  if (!eventId) {
    eventId = `trailhound:${hash.toString('hex', 0, 16)}`;
    flags |= EVENT_FLAGS.syntheticId;
    warnings.push({ recordIndex: raw.index, code: 'no_event_id', message: `record ${raw.index} has no eventID; using ${eventId} (derived from its content)`, severity: 'warning' });
  }
  const time = parseEventTime(rec.eventTime);
  if (time === null) {
    flags |= EVENT_FLAGS.noTime;
    warnings.push({ recordIndex: raw.index, code: 'no_event_time', message: `record ${raw.index} (${eventId}) has no valid eventTime${rec.eventTime !== undefined ? ` (${JSON.stringify(rec.eventTime).slice(0, 40)})` : ''}; kept without a time`, severity: 'warning' });
  }
  if (info && (kind === 'cloudtrail-log' || kind === 'cloudtrail-insight')) {
    if (!checked.account && typeof rec.recipientAccountId === 'string' && rec.recipientAccountId !== info.accountId) {
      checked.account = true;
      warnings.push({ recordIndex: raw.index, code: 'account_mismatch', message: `record ${raw.index}: recipientAccountId ${rec.recipientAccountId} differs from the account ${info.accountId} in the key path`, severity: 'warning' });
    }
    if (!checked.region && typeof rec.awsRegion === 'string' && rec.awsRegion !== info.region) {
      checked.region = true;
      warnings.push({ recordIndex: raw.index, code: 'region_mismatch', message: `record ${raw.index}: awsRegion ${rec.awsRegion} differs from the region ${info.region} in the key path`, severity: 'warning' });
    }
  }
  const cols = extractColumns(rec, eventId, time);
  let resources: ReadonlyArray<{ type: string; name: string }> = [];
  try {
    resources = extractResources(rec);
  } catch (err) {
    warnings.push({ recordIndex: raw.index, code: 'resource_extraction', message: `record ${raw.index}: resources could not be read (${(err as Error).message})`, severity: 'warning' });
  }
  out.add(cols, { index: raw.index, offset: raw.offset, length: raw.length, flags, hash }, resources);
  return true;
}

/** Process one file completely. Streamed files deliver events through sink.part; the result holds the rest. */
export async function parseFile(job: FileJob, opts: ParseOptions, sink: FileSink): Promise<FileResult> {
  const warnings: FileWarning[] = [];
  const info = parseKeyPath(job.relPath);
  const fail = (reason: string, kind: SourceKind = 'skipped'): FileResult => ({
    contentSha256: null, kind, status: 'failed', reason, recordCount: 0, warnings, events: emptyBatch(), blob: [], blobFormat: null,
  });
  let stat: fs.Stats;
  try {
    stat = fs.statSync(job.absPath);
  } catch (err) {
    sink.meta({ size: 0, sha256: '', compression: 'none', keyInfo: info, known: false });
    return fail(`cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (info) {
    const nm = parseLogFileName(path.posix.basename(job.relPath));
    if (nm && (nm.accountId !== info.accountId || nm.region !== info.region)) {
      warnings.push({ recordIndex: null, code: 'name_mismatch', message: `file name says account ${nm.accountId} region ${nm.region}, folders say ${info.accountId} ${info.region}`, severity: 'warning' });
    }
  }
  if (stat.size > opts.streamThreshold) {
    return streamRecords(job, stat.size, info, hintOf(info), opts, sink, warnings);
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(job.absPath, { flag: 'r' });
  } catch (err) {
    sink.meta({ size: stat.size, sha256: '', compression: 'none', keyInfo: info, known: false });
    return fail(`cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const sha256 = sha256hex(buf);
  const gz = isGzip(buf);
  const known = opts.knownSha256?.has(sha256) ?? false;
  sink.meta({ size: buf.length, sha256, compression: gz ? 'gzip' : 'none', keyInfo: info, known });
  if (known) return { contentSha256: null, kind: 'skipped', status: 'done', reason: 'already in the case', recordCount: 0, warnings: [], events: emptyBatch(), blob: [], blobFormat: null };

  let content: Buffer = buf;
  if (gz) {
    try {
      const res = gunzipFirstMember(buf, Math.min(opts.maxDecompressed, IN_MEMORY_MAX));
      content = res.data;
      if (res.trailing.length > 0) {
        const what = res.trailingIsMember ? 'a second gzip member' : res.trailingIsZeros ? `${res.trailing.length} zero bytes` : `${res.trailing.length} bytes of trailing data`;
        warnings.push({ recordIndex: null, code: 'gzip_trailing_data', message: `${what} after the first gzip member: ignored (CloudTrail hashes only the first member; possible tampering)`, severity: 'warning' });
      }
    } catch (err) {
      if (err instanceof GzipError && err.code === 'too_large' && opts.maxDecompressed > IN_MEMORY_MAX) {
        return streamRecords(job, stat.size, info, hintOf(info), opts, sink, warnings, true);
      }
      const msg = err instanceof GzipError ? err.message : (err as Error).message;
      return fail(msg, 'skipped');
    }
  }
  const contentSha256 = gz ? sha256hex(content) : sha256;
  if (!isUtf8(content)) {
    warnings.push({ recordIndex: null, code: 'invalid_utf8', message: 'file is not valid UTF-8; invalid bytes were read as U+FFFD', severity: 'warning' });
  }
  const read = readRecords(content, hintOf(info));
  for (const n of read.notes) warnings.push({ recordIndex: null, ...n });
  const blob = opts.embed ? (gz ? [buf] : [zlib.gzipSync(buf, { level: 1 })]) : [];
  const blobFormat = opts.embed ? (gz ? 'file' : 'gzip') : null;
  if (read.skipReason !== null) {
    const integrityInput = read.kind === 'cloudtrail-digest' || read.kind === 'public-keys' || read.kind === 'digest-metadata';
    const status = integrityInput ? 'done' : 'skipped';
    return { contentSha256, kind: read.kind, status, reason: read.skipReason, recordCount: 0, warnings, events: emptyBatch(), blob: integrityInput ? blob : [], blobFormat: integrityInput ? blobFormat : null };
  }
  const builder = new EventBatchBuilder();
  const checked = { account: false, region: false };
  for (const raw of read.records) toEvent(raw, read.kind, info, warnings, checked, builder);
  return { contentSha256, kind: read.kind, status: 'done', reason: null, recordCount: read.records.length, warnings, events: builder.take(), blob, blobFormat };
}
