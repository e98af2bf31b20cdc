// SHA-256 of a log file's decompressed first gzip member (spec §2.4), with the trailing-data check.
// Small files: one read and src/sources/gzip.ts; large files: streamed, so memory stays bounded.
// Used by the hash worker and by the in-process fallback.

import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { gunzipFirstMember, gzipHeaderLength, isGzip } from '../sources/gzip.js';
import { GzipError } from '../model/errors.js';

export interface HashJob {
  /** Absolute path of the file. */
  file: string;
  /**
   * When set, first hash the file bytes; if they equal this SHA-256 (recorded at ingest) the decompressed hash is
   * not recomputed and `reused` is true.
   */
  expectFileSha256?: string;
}

export interface ContentHashResult {
  file: string;
  size: number;
  /** SHA-256 of the file bytes (computed only when the job asked for a comparison). */
  fileSha256: string | null;
  /** True when the file bytes matched `expectFileSha256`: the caller reuses the recorded content hash. */
  reused: boolean;
  contentSha256: string | null;
  contentLength: number;
  /** The file is not gzip: its bytes were hashed as they are (§2.4 robustness). */
  storedDecompressed: boolean;
  trailingBytes: number;
  trailingIsMember: boolean;
  trailingIsZeros: boolean;
  /** Unreadable / not gzip-decodable: the reason (invalid_format). */
  error: string | null;
  /** The decompressed content contains CR bytes (a hint for line-ending conversion when the hash fails). */
  hasCR: boolean;
}

/** Files larger than this are streamed (bounded memory); smaller ones are decoded in one call. */
const STREAM_THRESHOLD = 64 * 1024 * 1024;
/** Refuse to decompress more than this from a single member in one-shot mode (gzip bombs). */
const MAX_ONE_SHOT_OUTPUT = 1024 * 1024 * 1024;

export function blankResult(file: string, size: number): ContentHashResult {
  return {
    file,
    size,
    fileSha256: null,
    reused: false,
    contentSha256: null,
    contentLength: 0,
    storedDecompressed: false,
    trailingBytes: 0,
    trailingIsMember: false,
    trailingIsZeros: false,
    error: null,
    hasCR: false,
  };
}

export async function hashContent(job: HashJob, streamThreshold = STREAM_THRESHOLD): Promise<ContentHashResult> {
  let size: number;
  try {
    size = fs.statSync(job.file).size;
  } catch (err) {
    return { ...blankResult(job.file, 0), error: `cannot read: ${(err as Error).message}` };
  }
  if (size > streamThreshold) return hashStreaming(job, size);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(job.file);
  } catch (err) {
    return { ...blankResult(job.file, size), error: `cannot read: ${(err as Error).message}` };
  }
  return hashBuffer(job, buf);
}

function hashBuffer(job: HashJob, buf: Buffer): ContentHashResult {
  const r = blankResult(job.file, buf.length);
  if (job.expectFileSha256) {
    r.fileSha256 = crypto.createHash('sha256').update(buf).digest('hex');
    if (r.fileSha256 === job.expectFileSha256) {
      r.reused = true;
      return r;
    }
  }
  if (!isGzip(buf)) {
    r.storedDecompressed = true;
    r.contentSha256 = crypto.createHash('sha256').update(buf).digest('hex');
    r.contentLength = buf.length;
    r.hasCR = buf.indexOf(13) >= 0;
    return r;
  }
  try {
    const g = gunzipFirstMember(buf, MAX_ONE_SHOT_OUTPUT);
    r.contentSha256 = crypto.createHash('sha256').update(g.data).digest('hex');
    r.contentLength = g.data.length;
    r.trailingBytes = g.trailing.length;
    r.trailingIsMember = g.trailingIsMember;
    r.trailingIsZeros = g.trailingIsZeros;
    r.hasCR = g.data.indexOf(13) >= 0;
  } catch (err) {
    r.error = err instanceof GzipError ? err.message : `cannot decompress: ${(err as Error).message}`;
  }
  return r;
}

/** Stream the first member through inflateRaw; the deflate length comes from the engine's bytesWritten. */
async function hashStreaming(job: HashJob, size: number): Promise<ContentHashResult> {
  const r = blankResult(job.file, size);
  const fd = fs.openSync(job.file, 'r');
  try {
    if (job.expectFileSha256) {
      r.fileSha256 = await new Promise<string>((resolve, reject) => {
        const h = crypto.createHash('sha256');
        fs.createReadStream(job.file, { highWaterMark: 1 << 20 })
          .on('data', (c) => h.update(c))
          .on('end', () => resolve(h.digest('hex')))
          .on('error', reject);
      });
      if (r.fileSha256 === job.expectFileSha256) {
        r.reused = true;
        return r;
      }
    }
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    fs.readSync(fd, head, 0, head.length, 0);
    if (!isGzip(head)) {
      r.storedDecompressed = true;
      const h = crypto.createHash('sha256');
      await new Promise<void>((resolve, reject) => {
        fs.createReadStream(job.file, { highWaterMark: 1 << 20 })
          .on('data', (c) => {
            const b = c as Buffer;
            h.update(b);
            if (!r.hasCR && b.indexOf(13) >= 0) r.hasCR = true;
          })
          .on('end', () => resolve())
          .on('error', reject);
      });
      r.contentSha256 = h.digest('hex');
      r.contentLength = size;
      return r;
    }
    let headerLen: number;
    try {
      headerLen = gzipHeaderLength(head);
    } catch (err) {
      r.error = (err as Error).message;
      return r;
    }
    const h = crypto.createHash('sha256');
    let crc = 0;
    let outLen = 0;
    const inf = zlib.createInflateRaw();
    const consumed = await new Promise<number>((resolve, reject) => {
      const rs = fs.createReadStream(job.file, { start: headerLen, highWaterMark: 1 << 20 });
      let done = false;
      inf.on('data', (d: Buffer) => {
        h.update(d);
        crc = zlib.crc32(d, crc);
        outLen += d.length;
        if (!r.hasCR && d.indexOf(13) >= 0) r.hasCR = true;
      });
      inf.on('end', () => {
        done = true;
        rs.destroy();
        resolve(inf.bytesWritten);
      });
      inf.on('error', (e) => {
        rs.destroy();
        reject(e);
      });
      rs.on('data', (c) => {
        if (done) return;
        if (!inf.write(c)) {
          rs.pause();
          inf.once('drain', () => rs.resume());
        }
      });
      rs.on('end', () => {
        if (!done) inf.end();
      });
      rs.on('error', reject);
    }).catch((e: Error) => {
      r.error = /unexpected end/i.test(e.message) ? 'truncated gzip data (unexpected end of file)' : `corrupt gzip data (${e.message})`;
      return -1;
    });
    if (consumed < 0) return r;
    const trailerAt = headerLen + consumed;
    if (size < trailerAt + 8) {
      r.error = 'truncated gzip data (missing CRC32/ISIZE trailer)';
      return r;
    }
    const trailer = Buffer.alloc(8);
    fs.readSync(fd, trailer, 0, 8, trailerAt);
    if (trailer.readUInt32LE(0) !== crc >>> 0) {
      r.error = 'gzip CRC32 mismatch: the data is corrupt';
      return r;
    }
    if (trailer.readUInt32LE(4) !== outLen % 0x100000000) {
      r.error = `gzip ISIZE mismatch (trailer says ${trailer.readUInt32LE(4)} bytes, got ${outLen})`;
      return r;
    }
    r.contentSha256 = h.digest('hex');
    r.contentLength = outLen;
    const trailingStart = trailerAt + 8;
    r.trailingBytes = size - trailingStart;
    if (r.trailingBytes > 0) {
      const t = Buffer.alloc(Math.min(r.trailingBytes, 1 << 20));
      fs.readSync(fd, t, 0, t.length, trailingStart);
      r.trailingIsMember = t.length >= 2 && t[0] === 0x1f && t[1] === 0x8b;
      r.trailingIsZeros = r.trailingBytes <= t.length && t.every((b) => b === 0);
    }
    return r;
  } finally {
    fs.closeSync(fd);
  }
}
