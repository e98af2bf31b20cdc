// The hash pool: worker threads (compiled worker from dist/) give the same results as in-process hashing, and the
// streaming path (large files) agrees with the one-shot path on good, trailing, truncated and corrupt gzip.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hashFiles } from '../../src/integrity/hash-pool.js';
import { tmpDir } from './vectors.js';

const dir = tmpDir('pool');
const content = Buffer.from(JSON.stringify({ Records: Array.from({ length: 2000 }, (_v, i) => ({ eventID: `e${i}`, eventName: 'Describe', n: i })) }));
const gz = zlib.gzipSync(content);
const files: Record<string, Buffer> = {
  good: gz,
  member: Buffer.concat([gz, zlib.gzipSync('{"Records":[]}')]),
  zeros: Buffer.concat([gz, Buffer.alloc(100)]),
  truncated: gz.subarray(0, gz.length - 100),
  crc: Buffer.concat([gz.subarray(0, gz.length - 8), Buffer.from([0, 0, 0, 0]), gz.subarray(gz.length - 4)]),
  plain: content,
  notgzip: Buffer.from([0x1f, 0x8b, 0x09, 0x00]),
};
for (const [n, b] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), b);
const jobs = Object.keys(files).map((n) => ({ file: path.join(dir, n) }));
const sha = crypto.createHash('sha256').update(content).digest('hex');
const view = (rs: Awaited<ReturnType<typeof hashFiles>>['results']) =>
  rs.map((r) => ({ f: path.basename(r.file), h: r.contentSha256, t: r.trailingBytes, m: r.trailingIsMember, z: r.trailingIsZeros, e: r.error ? r.error.split(' ')[0] : null, s: r.storedDecompressed }));

describe('hash pool', () => {
  it('in-process results', async () => {
    const r = await hashFiles(jobs, { workers: 0 });
    expect(view(r.results)).toEqual([
      { f: 'good', h: sha, t: 0, m: false, z: false, e: null, s: false },
      { f: 'member', h: sha, t: 34, m: true, z: false, e: null, s: false },
      { f: 'zeros', h: sha, t: 100, m: false, z: true, e: null, s: false },
      { f: 'truncated', h: null, t: 0, m: false, z: false, e: 'truncated', s: false },
      { f: 'crc', h: null, t: 0, m: false, z: false, e: 'gzip', s: false },
      { f: 'plain', h: sha, t: 0, m: false, z: false, e: null, s: true },
      { f: 'notgzip', h: null, t: 0, m: false, z: false, e: 'truncated', s: false },
    ]);
  });

  it('the streaming path agrees with the one-shot path', async () => {
    const one = await hashFiles(jobs, { workers: 0 });
    const streamed = await hashFiles(jobs, { workers: 0, streamThreshold: 16 });
    expect(view(streamed.results)).toEqual(view(one.results));
  });

  // The worker runs dist/src/integrity/hash-worker.js, compiled from today's sources by test/setup/global.ts.
  it('worker threads give the same results', async () => {
    const one = await hashFiles(jobs, { workers: 0 });
    const pooled = await hashFiles([...jobs, ...jobs, ...jobs], { workers: 2 });
    expect(pooled.workers).toBe(2);
    expect(pooled.fallbackReason).toBeNull();
    expect(view(pooled.results)).toEqual([...view(one.results), ...view(one.results), ...view(one.results)]);
  });

  it('reuses a recorded hash only when the file bytes are unchanged', async () => {
    const fileSha = crypto.createHash('sha256').update(gz).digest('hex');
    const [same, other] = (await hashFiles([{ file: path.join(dir, 'good'), expectFileSha256: fileSha }, { file: path.join(dir, 'zeros'), expectFileSha256: fileSha }], { workers: 0 })).results;
    expect(same.reused).toBe(true);
    expect(same.contentSha256).toBeNull();
    expect(other.reused).toBe(false);
    expect(other.contentSha256).toBe(sha);
  });
});
