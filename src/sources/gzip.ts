// Exactly-one-member gzip decoding (RFC 1952) with Node's zlib.
//
// CloudTrail hashes the decompressed bytes of a log file's FIRST gzip member; anything after it (a second
// member, zero padding, garbage) must be reported, never silently concatenated as zlib.gunzipSync does.
// We parse the header ourselves, inflate the raw deflate stream with a cap on output size (gzip bombs),
// check CRC32 and ISIZE from the trailer, and return whatever follows.

import fs from 'node:fs';
import zlib from 'node:zlib';
import { GzipError } from '../model/errors.js';

/** Starts with the gzip magic bytes 1f 8b. */
export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

export interface GunzipResult {
  /** Decompressed bytes of the first member. */
  data: Buffer;
  /** Bytes of the input consumed by the first member (header + deflate + 8-byte trailer). */
  memberLength: number;
  /** Bytes after the first member (empty when none). */
  trailing: Buffer;
  /** True when the trailing bytes begin another gzip member. */
  trailingIsMember: boolean;
  /** True when every trailing byte is zero (padding). */
  trailingIsZeros: boolean;
}

/** Length of the gzip header at the start of buf (throws when it is not a valid header). */
export function gzipHeaderLength(buf: Uint8Array): number {
  if (!isGzip(buf)) throw new GzipError('not_gzip', 'not gzip data (bad magic bytes)');
  if (buf.length < 10) throw new GzipError('truncated', 'truncated gzip header');
  if (buf[2] !== 8) throw new GzipError('corrupt', `unsupported gzip compression method ${buf[2]}`);
  const flags = buf[3];
  if (flags & 0xe0) throw new GzipError('corrupt', 'reserved gzip header flags set');
  let pos = 10;
  if (flags & 0x04) {
    if (buf.length < pos + 2) throw new GzipError('truncated', 'truncated gzip header (FEXTRA)');
    pos += 2 + (buf[pos] | (buf[pos + 1] << 8));
  }
  for (const bit of [0x08, 0x10]) {
    if (flags & bit) {
      while (pos < buf.length && buf[pos] !== 0) pos++;
      pos++; // the terminating NUL
    }
  }
  if (flags & 0x02) pos += 2;
  if (pos > buf.length) throw new GzipError('truncated', 'truncated gzip header');
  return pos;
}

/**
 * Decompress the first gzip member of buf. Throws GzipError for truncated/corrupt data or when the output
 * would exceed maxOutput bytes. Trailing bytes are returned, not an error: the caller decides (warn/invalid).
 */
export function gunzipFirstMember(buf: Buffer, maxOutput: number): GunzipResult {
  const header = gzipHeaderLength(buf);
  // Size zlib's output chunk from the ISIZE at the end of the file (exact for a single-member file), so the
  // output comes out in one buffer instead of being concatenated from 16 KiB chunks (≈2.4× faster here).
  // Only a hint: capped by deflate's maximum expansion and by maxOutput; CRC32/ISIZE are checked below.
  const hint = buf.length >= 4 ? buf.readUInt32LE(buf.length - 4) : 0;
  const chunkSize = Math.max(64 * 1024, Math.min(hint + 64, buf.length * 1032 + 64, maxOutput + 64, 256 * 1024 * 1024));
  let data: Buffer;
  let deflateLength: number;
  try {
    const res = zlib.inflateRawSync(buf.subarray(header), { info: true, maxOutputLength: maxOutput, chunkSize }) as unknown as {
      buffer: Buffer;
      engine: zlib.InflateRaw & { bytesWritten: number };
    };
    data = res.buffer;
    deflateLength = res.engine.bytesWritten;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { code?: string };
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|buffer length|maxOutputLength/i.test(e.message)) {
      throw new GzipError('too_large', `decompressed size exceeds the cap of ${maxOutput} bytes (possible gzip bomb; raise --max-decompressed)`);
    }
    if (e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message)) {
      throw new GzipError('truncated', 'truncated gzip data (unexpected end of file)');
    }
    throw new GzipError('corrupt', `corrupt gzip data (${e.message})`);
  }
  const trailerStart = header + deflateLength;
  if (buf.length < trailerStart + 8) throw new GzipError('truncated', 'truncated gzip data (missing CRC32/ISIZE trailer)');
  const crc = buf.readUInt32LE(trailerStart);
  const isize = buf.readUInt32LE(trailerStart + 4);
  if (zlib.crc32(data) >>> 0 !== crc) {
    throw new GzipError('corrupt', 'gzip CRC32 mismatch: the data is corrupt');
  }
  if ((data.length >>> 0) % 0x100000000 !== isize) {
    throw new GzipError('corrupt', `gzip ISIZE mismatch (trailer says ${isize} bytes, got ${data.length})`);
  }
  const memberLength = trailerStart + 8;
  const trailing = buf.subarray(memberLength);
  return {
    data,
    memberLength,
    trailing,
    trailingIsMember: isGzip(trailing),
    trailingIsZeros: trailing.length > 0 && trailing.every((b) => b === 0),
  };
}

/** How a gzip file ended after its members (the caller turns this into warnings). */
export interface GzipTail {
  members: number;
  /** Compressed bytes of the first member (what CloudTrail's digest covers); the rest of the file follows it. */
  firstMemberBytes: number;
  /** Decompressed bytes per member. */
  memberSizes: number[];
  /** Bytes after the last member that are not a gzip member. */
  trailingBytes: number;
  trailingIsZeros: boolean;
  /** Set when decoding stopped early: everything delivered before it is good data. */
  error: GzipError | null;
}

/**
 * Decode every member of an in-memory gzip file, handing each member's data to `onData` (member 0 first).
 * Truncated or corrupt data throws GzipError from the member where it happens (earlier members were delivered).
 */
export function gunzipMembers(buf: Buffer, maxOutput: number, onData: (data: Buffer, member: number) => void): GzipTail {
  const tail: GzipTail = { members: 0, firstMemberBytes: 0, memberSizes: [], trailingBytes: 0, trailingIsZeros: false, error: null };
  let rest = buf;
  let budget = maxOutput;
  for (;;) {
    const res = gunzipFirstMember(rest, budget);
    budget -= res.data.length;
    tail.memberSizes.push(res.data.length);
    if (tail.members === 0) tail.firstMemberBytes = res.memberLength;
    onData(res.data, tail.members++);
    rest = res.trailing;
    if (rest.length === 0) return tail;
    if (!res.trailingIsMember) {
      tail.trailingBytes = rest.length;
      tail.trailingIsZeros = res.trailingIsZeros;
      return tail;
    }
  }
}

const HEADER_PROBE = 64 * 1024;

/**
 * Stream-decode every member of a gzip file (read through `fd`, positional reads only) with bounded memory.
 * `onData` may return a promise (back-pressure). Decoding errors end the stream and are returned in `error`:
 * the data delivered before them is what the file really holds up to that point.
 */
export async function inflateFile(
  fd: number,
  size: number,
  maxOutput: number,
  onData: (data: Buffer, member: number) => void | Promise<void>,
): Promise<GzipTail> {
  const tail: GzipTail = { members: 0, firstMemberBytes: 0, memberSizes: [], trailingBytes: 0, trailingIsZeros: false, error: null };
  let pos = 0;
  let total = 0;
  while (pos < size) {
    const probe = Buffer.alloc(Math.min(HEADER_PROBE, size - pos));
    const got = fs.readSync(fd, probe, 0, probe.length, pos);
    const head = probe.subarray(0, got);
    if (tail.members > 0 && !isGzip(head)) {
      tail.trailingBytes = size - pos;
      tail.trailingIsZeros = head.every((b) => b === 0) && size - pos <= HEADER_PROBE;
      return tail;
    }
    let hlen: number;
    try {
      hlen = gzipHeaderLength(head);
    } catch (err) {
      tail.error = err instanceof GzipError ? err : new GzipError('corrupt', (err as Error).message);
      return tail;
    }
    const member = tail.members++;
    let crc = 0;
    let count = 0;
    const inflate = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
    const src = fdReadStream(fd, pos + hlen, 1024 * 1024);
    src.pipe(inflate);
    try {
      for await (const chunk of inflate as AsyncIterable<Buffer>) {
        count += chunk.length;
        total += chunk.length;
        if (total > maxOutput) throw new GzipError('too_large', `decompressed size exceeds the cap of ${maxOutput} bytes (possible gzip bomb; raise --max-decompressed)`);
        crc = zlib.crc32(chunk, crc);
        await onData(chunk, member);
      }
    } catch (err) {
      src.unpipe(inflate);
      await settle(src);
      inflate.destroy();
      tail.memberSizes.push(count);
      if (err instanceof GzipError) tail.error = err;
      else if (/unexpected end of file/i.test((err as Error).message)) tail.error = new GzipError('truncated', `truncated gzip data in member ${member + 1} after ${count} decompressed bytes`);
      else tail.error = new GzipError('corrupt', `corrupt gzip data in member ${member + 1} after ${count} decompressed bytes (${(err as Error).message})`);
      return tail;
    }
    src.unpipe(inflate);
    await settle(src);
    tail.memberSizes.push(count);
    const trailerAt = pos + hlen + inflate.bytesWritten;
    const trailer = Buffer.alloc(8);
    const t = trailerAt + 8 <= size ? fs.readSync(fd, trailer, 0, 8, trailerAt) : 0;
    if (t < 8) {
      tail.error = new GzipError('truncated', 'truncated gzip data (missing CRC32/ISIZE trailer)');
      return tail;
    }
    if (trailer.readUInt32LE(0) !== crc >>> 0) {
      tail.error = new GzipError('corrupt', `gzip CRC32 mismatch in member ${member + 1}: the data is corrupt`);
      return tail;
    }
    if (trailer.readUInt32LE(4) !== count % 0x100000000) {
      tail.error = new GzipError('corrupt', `gzip ISIZE mismatch in member ${member + 1} (trailer says ${trailer.readUInt32LE(4)} bytes, got ${count})`);
      return tail;
    }
    pos = trailerAt + 8;
    if (member === 0) tail.firstMemberBytes = pos;
  }
  return tail;
}

/**
 * Everything a gzip file's members hold, concatenated, as far as it can be read (for showing records that ingest
 * read from a truncated or corrupt file: the data before the damage).
 */
export function gunzipLenient(buf: Buffer, maxOutput: number): Buffer {
  const out: Buffer[] = [];
  let rest = buf;
  let budget = maxOutput;
  while (rest.length > 0 && isGzip(rest)) {
    try {
      const res = gunzipFirstMember(rest, budget);
      out.push(res.data);
      budget -= res.data.length;
      rest = res.trailing;
    } catch {
      try {
        out.push(zlib.inflateRawSync(rest.subarray(gzipHeaderLength(rest)), { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, budget) }));
      } catch {
        // nothing more can be read
      }
      break;
    }
  }
  return out.length === 1 ? out[0] : Buffer.concat(out);
}

/**
 * A read stream over an already open file descriptor that never closes it (the owner does): destroy() on a
 * plain fs stream would close the descriptor even with autoClose off.
 */
/**
 * Destroy a read stream over a caller's descriptor and wait until its last read has finished: the caller closes the
 * descriptor next, and a read still in flight would fail with EBADF (an uncaught error) or read whatever file
 * reused the number.
 */
export async function settle(src: fs.ReadStream): Promise<void> {
  if (src.closed) return;
  const closed = new Promise<void>((resolve) => src.once('close', () => resolve()));
  src.destroy();
  await closed;
}

export function fdReadStream(fd: number, start: number, highWaterMark: number): fs.ReadStream {
  const keepOpen = { read: fs.read, open: fs.open, close: (_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => cb(null) };
  return fs.createReadStream('', { fd, start, autoClose: false, highWaterMark, fs: keepOpen });
}
