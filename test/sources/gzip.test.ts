// gzip decoding: one member exactly as CloudTrail hashes it, every member of a file, and what is reported when a
// file is truncated, followed by garbage or too large once decompressed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { GzipError } from '../../src/model/errors.js';
import { gunzipFirstMember, gunzipLenient, gunzipMembers, gzipHeaderLength, inflateFile, isGzip, type GzipTail } from '../../src/sources/gzip.js';

const A = Buffer.from('{"Records":[{"eventName":"A"}]}');
const B = Buffer.from('second member '.repeat(50));
const C = Buffer.from('third');

/** Text that deflates into several blocks, so a cut in the middle leaves readable data before it. */
function bulky(n: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < n; i++) {
    const line = `{"eventID":"${(i * 2654435761) % 1000003}-${i}","n":${i}}\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('').slice(0, n));
}

/** A gzip member with optional header fields (zlib.gzipSync writes none of them). */
function gzipWith(data: Buffer, opts: { extra?: Buffer; name?: string; comment?: string; hcrc?: boolean } = {}): Buffer {
  let flags = 0;
  const parts: Buffer[] = [];
  if (opts.extra) {
    flags |= 0x04;
    const len = Buffer.alloc(2);
    len.writeUInt16LE(opts.extra.length);
    parts.push(len, opts.extra);
  }
  if (opts.name !== undefined) {
    flags |= 0x08;
    parts.push(Buffer.from(`${opts.name}\0`, 'latin1'));
  }
  if (opts.comment !== undefined) {
    flags |= 0x10;
    parts.push(Buffer.from(`${opts.comment}\0`, 'latin1'));
  }
  if (opts.hcrc) {
    flags |= 0x02;
    parts.push(Buffer.from([0x12, 0x34]));
  }
  const header = Buffer.from([0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 0xff]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, ...parts, zlib.deflateRawSync(data), trailer]);
}

function gzError(fn: () => unknown): GzipError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GzipError);
    return e as GzipError;
  }
  throw new Error('expected a GzipError');
}

describe('isGzip', () => {
  it('needs the two magic bytes', () => {
    expect(isGzip(zlib.gzipSync(A))).toBe(true);
    expect(isGzip(Buffer.from([0x1f, 0x8b]))).toBe(true);
    expect(isGzip(Buffer.from([0x1f]))).toBe(false);
    expect(isGzip(Buffer.from([0x8b, 0x1f, 8]))).toBe(false);
    expect(isGzip(A)).toBe(false);
    expect(isGzip(new Uint8Array(0))).toBe(false);
  });
});

describe('gzipHeaderLength', () => {
  it('is 10 for a plain header', () => {
    expect(gzipHeaderLength(zlib.gzipSync(A))).toBe(10);
  });

  it('counts FEXTRA, FNAME, FCOMMENT and FHCRC', () => {
    const extra = Buffer.from([1, 2, 3, 4, 5]);
    expect(gzipHeaderLength(gzipWith(A, { extra }))).toBe(10 + 2 + 5);
    expect(gzipHeaderLength(gzipWith(A, { name: 'a.json' }))).toBe(10 + 7);
    expect(gzipHeaderLength(gzipWith(A, { comment: 'hi' }))).toBe(10 + 3);
    expect(gzipHeaderLength(gzipWith(A, { hcrc: true }))).toBe(12);
    expect(gzipHeaderLength(gzipWith(A, { extra, name: 'a.json', comment: 'hi', hcrc: true }))).toBe(10 + 7 + 7 + 3 + 2);
  });

  it('rejects what is not a usable gzip header, with a code', () => {
    expect(gzError(() => gzipHeaderLength(A)).code).toBe('not_gzip');
    expect(gzError(() => gzipHeaderLength(Buffer.from([0x1f, 0x8b, 8, 0]))).code).toBe('truncated');
    const method = zlib.gzipSync(A);
    method[2] = 7;
    expect(gzError(() => gzipHeaderLength(method))).toMatchObject({ code: 'corrupt', message: 'unsupported gzip compression method 7' });
    const reserved = zlib.gzipSync(A);
    reserved[3] = 0x20;
    expect(gzError(() => gzipHeaderLength(reserved))).toMatchObject({ code: 'corrupt', message: 'reserved gzip header flags set' });
    // FNAME whose terminating NUL is missing.
    const name = Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 0xff, 0x61, 0x62]);
    expect(gzError(() => gzipHeaderLength(name)).code).toBe('truncated');
    // FEXTRA longer than the buffer.
    const extra = Buffer.from([0x1f, 0x8b, 8, 0x04, 0, 0, 0, 0, 0, 0xff, 50, 0, 1]);
    expect(gzError(() => gzipHeaderLength(extra)).code).toBe('truncated');
  });
});

describe('gunzipFirstMember', () => {
  it('decodes one member and reports no trailing bytes', () => {
    const gz = zlib.gzipSync(A);
    const r = gunzipFirstMember(gz, 1 << 20);
    expect(r.data.equals(A)).toBe(true);
    expect(r.memberLength).toBe(gz.length);
    expect(r.trailing.length).toBe(0);
    expect(r.trailingIsMember).toBe(false);
    expect(r.trailingIsZeros).toBe(false);
  });

  it('decodes a member whose header has FEXTRA and FNAME', () => {
    const gz = gzipWith(A, { extra: Buffer.from('xyz'), name: 'f.json' });
    const r = gunzipFirstMember(gz, 1 << 20);
    expect(r.data.equals(A)).toBe(true);
    expect(r.memberLength).toBe(gz.length);
  });

  it('returns only the first member and what follows it', () => {
    const first = zlib.gzipSync(A);
    const second = zlib.gzipSync(B);
    const r = gunzipFirstMember(Buffer.concat([first, second]), 1 << 20);
    expect(r.data.equals(A)).toBe(true);
    expect(r.memberLength).toBe(first.length);
    expect(r.trailing.equals(second)).toBe(true);
    expect(r.trailingIsMember).toBe(true);
    expect(r.trailingIsZeros).toBe(false);
  });

  it('tells zero padding from garbage', () => {
    const gz = zlib.gzipSync(A);
    const zeros = gunzipFirstMember(Buffer.concat([gz, Buffer.alloc(16)]), 1 << 20);
    expect([zeros.trailing.length, zeros.trailingIsZeros, zeros.trailingIsMember]).toEqual([16, true, false]);
    const junk = gunzipFirstMember(Buffer.concat([gz, Buffer.from('junk')]), 1 << 20);
    expect([junk.trailing.toString(), junk.trailingIsZeros, junk.trailingIsMember]).toEqual(['junk', false, false]);
  });

  it('truncated deflate data and a missing trailer are "truncated"', () => {
    const gz = zlib.gzipSync(bulky(50_000));
    expect(gzError(() => gunzipFirstMember(gz.subarray(0, gz.length >> 1), 1 << 20))).toMatchObject({ code: 'truncated', message: 'truncated gzip data (unexpected end of file)' });
    expect(gzError(() => gunzipFirstMember(gz.subarray(0, gz.length - 4), 1 << 20))).toMatchObject({
      code: 'truncated',
      message: 'truncated gzip data (missing CRC32/ISIZE trailer)',
    });
  });

  it('a wrong CRC32 or ISIZE is "corrupt"', () => {
    const crc = zlib.gzipSync(A);
    crc[crc.length - 8] ^= 0xff;
    expect(gzError(() => gunzipFirstMember(crc, 1 << 20))).toMatchObject({ code: 'corrupt', message: 'gzip CRC32 mismatch: the data is corrupt' });
    const isize = zlib.gzipSync(A);
    isize.writeUInt32LE(A.length + 1, isize.length - 4);
    expect(gzError(() => gunzipFirstMember(isize, 1 << 20))).toMatchObject({ code: 'corrupt', message: `gzip ISIZE mismatch (trailer says ${A.length + 1} bytes, got ${A.length})` });
  });

  it('caps the output (gzip bomb): exactly the cap is fine, more is "too_large"', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(1_000_000));
    expect(bomb.length).toBeLessThan(2000);
    expect(gunzipFirstMember(bomb, 1_000_000).data.length).toBe(1_000_000);
    expect(gzError(() => gunzipFirstMember(bomb, 999_999))).toMatchObject({
      code: 'too_large',
      message: 'decompressed size exceeds the cap of 999999 bytes (possible gzip bomb; raise --max-decompressed)',
    });
  });
});

describe('gunzipMembers', () => {
  const gA = zlib.gzipSync(A);
  const gB = gzipWith(B, { name: 'b.json' });
  const gC = zlib.gzipSync(C);

  function collect(buf: Buffer, max = 1 << 20): { got: [string, number][]; tail: GzipTail } {
    const got: [string, number][] = [];
    const tail = gunzipMembers(buf, max, (d, m) => got.push([d.toString(), m]));
    return { got, tail };
  }

  it('hands over every member with its index', () => {
    const { got, tail } = collect(Buffer.concat([gA, gB, gC]));
    expect(got).toEqual([
      [A.toString(), 0],
      [B.toString(), 1],
      [C.toString(), 2],
    ]);
    expect(tail).toEqual({ members: 3, firstMemberBytes: gA.length, memberSizes: [A.length, B.length, C.length], trailingBytes: 0, trailingIsZeros: false, error: null });
  });

  it('reports garbage or zero padding after the last member', () => {
    expect(collect(Buffer.concat([gA, gC, Buffer.from('garbage!')])).tail).toMatchObject({ members: 2, trailingBytes: 8, trailingIsZeros: false });
    expect(collect(Buffer.concat([gA, Buffer.alloc(5)])).tail).toMatchObject({ members: 1, trailingBytes: 5, trailingIsZeros: true });
  });

  it('a truncated member throws after the members before it were delivered', () => {
    const big = bulky(50_000);
    const gBig = zlib.gzipSync(big);
    const got: number[] = [];
    const err = gzError(() => gunzipMembers(Buffer.concat([gA, gBig.subarray(0, gBig.length >> 1)]), 1 << 20, (_d, m) => got.push(m)));
    expect(err.code).toBe('truncated');
    expect(got).toEqual([0]);
  });

  it('the output cap is shared by all members', () => {
    const six = zlib.gzipSync(Buffer.alloc(600, 0x61));
    const got: number[] = [];
    expect(gzError(() => gunzipMembers(Buffer.concat([six, six]), 1000, (d) => got.push(d.length))).code).toBe('too_large');
    expect(got).toEqual([600]);
    expect(collect(Buffer.concat([six, six]), 1200).tail.memberSizes).toEqual([600, 600]);
  });
});

describe('gunzipLenient', () => {
  it('returns the members before the damage and what can be read of the truncated one', () => {
    const big = bulky(200_000);
    const gBig = zlib.gzipSync(big, { level: 1 });
    const cut = Buffer.concat([zlib.gzipSync(A), gBig.subarray(0, gBig.length >> 1)]);
    const out = gunzipLenient(cut, 1 << 22);
    expect(out.subarray(0, A.length).equals(A)).toBe(true);
    expect(out.length).toBeGreaterThan(A.length + 1000);
    expect(out.length).toBeLessThan(A.length + big.length);
    expect(big.subarray(0, out.length - A.length).equals(out.subarray(A.length))).toBe(true);
  });

  it('a whole file is the concatenation of its members; garbage after them is dropped', () => {
    expect(gunzipLenient(Buffer.concat([zlib.gzipSync(A), zlib.gzipSync(C), Buffer.from('junk')]), 1 << 20).toString()).toBe(A.toString() + C.toString());
  });

  it('what is not gzip gives nothing', () => {
    expect(gunzipLenient(A, 1 << 20).length).toBe(0);
  });
});

describe('inflateFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-gzip-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  async function inflate(buf: Buffer, max = 1 << 24): Promise<{ members: Buffer[]; tail: GzipTail }> {
    const file = path.join(dir, `f${n++}.gz`);
    fs.writeFileSync(file, buf);
    const fd = fs.openSync(file, 'r');
    const parts: Buffer[][] = [];
    try {
      const tail = await inflateFile(fd, buf.length, max, async (d, m) => {
        (parts[m] ??= []).push(Buffer.from(d));
        await Promise.resolve();
      });
      // The descriptor stays open (the caller owns it).
      expect(fs.fstatSync(fd).size).toBe(buf.length);
      return { members: parts.map((p) => Buffer.concat(p)), tail };
    } finally {
      fs.closeSync(fd);
    }
  }

  it('delivers the same members and tail as gunzipMembers', async () => {
    const big = bulky(3_000_000);
    const file = Buffer.concat([zlib.gzipSync(big), gzipWith(B, { extra: Buffer.from('e'), name: 'n' }), zlib.gzipSync(C), Buffer.alloc(7)]);
    const expected: Buffer[] = [];
    const expectedTail = gunzipMembers(file, 1 << 24, (d, m) => (expected[m] = Buffer.from(d)));
    const { members, tail } = await inflate(file);
    expect(members.length).toBe(3);
    members.forEach((m, i) => expect(m.equals(expected[i]), `member ${i}`).toBe(true));
    expect(tail).toEqual(expectedTail);
    expect(tail).toEqual({ members: 3, firstMemberBytes: zlib.gzipSync(big).length, memberSizes: [big.length, B.length, C.length], trailingBytes: 7, trailingIsZeros: true, error: null });
  });

  it('a truncated member ends with a "truncated" error; the data delivered is a prefix of the real data', async () => {
    const big = bulky(500_000);
    const gBig = zlib.gzipSync(big, { level: 1 });
    const { members, tail } = await inflate(Buffer.concat([zlib.gzipSync(A), gBig.subarray(0, gBig.length >> 1)]));
    expect(members[0].equals(A)).toBe(true);
    expect(tail.members).toBe(2);
    expect(tail.error?.code).toBe('truncated');
    const got = members[1] ?? Buffer.alloc(0);
    expect(tail.memberSizes).toEqual([A.length, got.length]);
    expect(tail.error?.message).toBe(`truncated gzip data in member 2 after ${got.length} decompressed bytes`);
    expect(big.subarray(0, got.length).equals(got)).toBe(true);
  });

  it('a missing trailer is "truncated"', async () => {
    const gz = zlib.gzipSync(A);
    const { members, tail } = await inflate(gz.subarray(0, gz.length - 3));
    expect(members[0].equals(A)).toBe(true);
    expect(tail.error).toMatchObject({ code: 'truncated', message: 'truncated gzip data (missing CRC32/ISIZE trailer)' });
  });

  it('garbage after a member is counted, not decoded', async () => {
    const { tail } = await inflate(Buffer.concat([zlib.gzipSync(A), Buffer.from('not gzip at all')]));
    expect(tail).toMatchObject({ members: 1, trailingBytes: 15, trailingIsZeros: false, error: null });
  });

  it('a file that is not gzip is an error, not data', async () => {
    const { members, tail } = await inflate(A);
    expect(members).toEqual([]);
    expect(tail.error?.code).toBe('not_gzip');
  });

  it('stops a gzip bomb at the cap', async () => {
    const { members, tail } = await inflate(zlib.gzipSync(Buffer.alloc(4_000_000)), 1_000_000);
    expect(tail.error).toMatchObject({ code: 'too_large', message: 'decompressed size exceeds the cap of 1000000 bytes (possible gzip bomb; raise --max-decompressed)' });
    expect((members[0] ?? Buffer.alloc(0)).length).toBeLessThanOrEqual(1_000_000);
  });

  it('a CRC32 mismatch is "corrupt"', async () => {
    const gz = zlib.gzipSync(A);
    gz[gz.length - 8] ^= 1;
    const { tail } = await inflate(gz);
    expect(tail.error).toMatchObject({ code: 'corrupt', message: 'gzip CRC32 mismatch in member 1: the data is corrupt' });
  });
});
