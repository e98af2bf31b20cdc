// Inputs of the verifier: metadata forms (§3.1), key lists (§4.1), digest names (§1.2), bad input, and the
// real samples in ../shared/corpora (skipped with a message when the corpora are absent).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/integrity/verifier.js';
import { parseDigestBytes } from '../../src/integrity/digest-parse.js';
import { loadKeyFiles } from '../../src/integrity/keys.js';
import { classifyPath, parseDigestName, parseKey, parseLogName } from '../../src/integrity/layout.js';
import { addMetadataFile, emptyMetadataIndex, lookupMetadata } from '../../src/integrity/metadata.js';
import { SHARED, buildChain, scenario, sha256, tmpDir } from './vectors.js';

const head = buildChain({ count: 2 });
const h = head.digests[1];

describe('digest metadata forms (§3.1)', () => {
  async function withMeta(tag: string, write: (dir: string, evidence: string) => string[]) {
    const s = scenario(tag, [head]);
    const extra = write(s.dir, s.evidence);
    return verify({ evidence: [s.evidence], publicKeys: s.publicKeys, digestMetadata: extra, workers: 0 });
  }
  const sigMeta = { signature: h.signature, 'signature-algorithm': 'SHA256withRSA' };

  it('(a) a head-object sidecar next to the digest in the evidence', async () => {
    const r = await withMeta('sidecar', (_d, ev) => {
      fs.writeFileSync(path.join(ev, 'trail-bucket', `${h.key}.metadata.json`), JSON.stringify({ AcceptRanges: 'bytes', ContentLength: 1, Metadata: sigMeta }));
      return [];
    });
    const d = r.digests.find((x) => x.key === h.key);
    expect(d?.status).toBe('valid');
    expect(d?.metadataSources[0]).toMatch(/\.metadata\.json$/);
    expect(r.otherFiles).toEqual([]);
  });

  it('(a) a head-object JSON in a --digest-metadata folder, named after the digest', async () => {
    const r = await withMeta('headobj', (d) => {
      const dir = path.join(d, 'meta');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, `${path.posix.basename(h.key)}.json`), JSON.stringify({ Metadata: { 'X-Amz-Meta-Signature': h.signature, 'x-amz-meta-signature-algorithm': 'SHA256withRSA' } }));
      return [dir];
    });
    expect(r.digests.find((x) => x.key === h.key)?.status).toBe('valid');
  });

  it('(b) a manifest: JSON array and JSONL', async () => {
    for (const jsonl of [false, true]) {
      const r = await withMeta(`manifest${jsonl}`, (d) => {
        const f = path.join(d, 'm.json');
        const item = { Bucket: 'trail-bucket', Key: h.key, Metadata: sigMeta };
        fs.writeFileSync(f, jsonl ? `${JSON.stringify(item)}\n` : JSON.stringify([item]));
        return [f];
      });
      expect(r.digests.find((x) => x.key === h.key)?.status).toBe('valid');
    }
  });

  it('(c) raw header dumps: with a request line, and named after the digest', async () => {
    const r = await withMeta('headers', (d) => {
      const f = path.join(d, 'dump.txt');
      fs.writeFileSync(f, `> HEAD /${h.key} HTTP/1.1\r\n> Host: trail-bucket.s3.amazonaws.com\r\n>\r\n< HTTP/1.1 200 OK\r\n< x-amz-meta-signature: ${h.signature}\r\n< x-amz-meta-signature-algorithm: SHA256withRSA\r\n`);
      return [f];
    });
    expect(r.digests.find((x) => x.key === h.key)?.status).toBe('valid');
    const r2 = await withMeta('headers2', (d) => {
      const f = path.join(d, `${path.posix.basename(h.key)}.headers`);
      fs.writeFileSync(f, `HTTP/1.1 200 OK\nX-Amz-Meta-Signature: ${h.signature}\nX-Amz-Meta-Signature-Algorithm: SHA256withRSA\n`);
      return [f];
    });
    expect(r2.digests.find((x) => x.key === h.key)?.status).toBe('valid');
  });

  it('(d) the plain map, with s3:// locations', async () => {
    const r = await withMeta('map', (d) => {
      const f = path.join(d, 'map.json');
      fs.writeFileSync(f, JSON.stringify({ [`s3://trail-bucket/${h.key}`]: sigMeta }));
      return [f];
    });
    expect(r.digests.find((x) => x.key === h.key)?.status).toBe('valid');
  });

  it('metadata for keys that do not exist, and files of the wrong shape, are reported by name', async () => {
    const r = await withMeta('unmatched', (d) => {
      const a = path.join(d, 'a.json');
      fs.writeFileSync(a, JSON.stringify({ 'AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2020/01/01/nope.json.gz': sigMeta }));
      const b = path.join(d, 'b.json');
      fs.writeFileSync(b, '{"hello": 1}');
      const c = path.join(d, 'c.json');
      fs.writeFileSync(c, '[1, 2]');
      return [a, b, c, path.join(d, 'does-not-exist.json')];
    });
    const w = r.warnings.map((x) => `${path.basename(x.file)} ${x.code}`);
    expect(w).toContain('a.json metadata_unmatched');
    expect(w).toContain('b.json metadata_invalid');
    expect(w).toContain('c.json metadata_invalid');
    expect(r.warnings.find((x) => x.file.endsWith('c.json'))?.message).toMatch(/c\.json\[0\]: manifest entry is not an object/);
    expect(w).toContain('does-not-exist.json metadata_unreadable');
    expect(r.warnings.find((x) => x.code === 'metadata_unmatched')?.message).toMatch(/nope\.json\.gz matches no digest/);
    expect(r.digests.find((x) => x.key === h.key)?.status).toBe('unverifiable_no_signature');
  });

  it('lookup matches exact keys, keys with a bucket folder, and names only', () => {
    const idx = emptyMetadataIndex();
    addMetadataFile(idx, JSON.stringify({ [`trail-bucket/${h.key}`]: { signature: 'ab' } }), 'x', null);
    expect(lookupMetadata(idx, 'trail-bucket', h.key)).toHaveLength(1);
    expect(lookupMetadata(idx, 'trail-bucket', h.key.replace('us-east-1_2015', 'us-east-1_2016'))).toHaveLength(0);
  });
});

describe('bad input is named and verification continues', () => {
  it('key files of the wrong shape', () => {
    const d = tmpDir('badkeys');
    const files = {
      'notjson.json': 'nope',
      'wrongshape.json': '{"Keys": []}',
      'badentry.json': '{"PublicKeyList": [{"Fingerprint": "x"}, {"Value": "!!!"}]}',
    };
    for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(d, n), t);
    const ring = loadKeyFiles([...Object.keys(files).map((n) => path.join(d, n)), path.join(d, 'missing.json')]);
    const w = ring.warnings.filter((x) => x.code !== 'key_region_unknown').map((x) => `${path.basename(x.file)}: ${x.message}`);
    expect(w).toEqual([
      expect.stringMatching(/^notjson\.json: not a list-public-keys output: invalid JSON/),
      'wrongshape.json: not a list-public-keys output: expected {"PublicKeyList": [{"Value", "Fingerprint", "ValidityStartTime", "ValidityEndTime"}]}',
      'badentry.json: key entry 0: no Value (base64 DER public key)',
      'badentry.json: key entry 1: Value is not base64',
      expect.stringMatching(/^missing\.json: cannot read public key file/),
    ]);
  });

  it('evidence paths that are not bucket copies', async () => {
    const d = tmpDir('notbucket');
    fs.writeFileSync(path.join(d, 'readme.txt'), 'hello');
    const r = await verify({ evidence: [d, path.join(d, 'readme.txt'), path.join(d, 'nothing-here')], workers: 0 });
    expect(r.warnings.map((w) => w.code)).toEqual(['evidence_not_bucket', 'evidence_not_bucket', 'evidence_unreadable']);
    expect(r.warnings[0].message).toMatch(/not a CloudTrail bucket copy/);
    expect(r.summary.digests.total).toBe(0);
    expect(r.summary.exitCode).toBe(5);
    expect(r.otherFiles).toHaveLength(1);
  });

  it('a malformed digest does not stop the others (missing fields named)', async () => {
    const c = buildChain({ count: 3 });
    const s = scenario('malformed', [c], {
      metaFor: [c.digests[2]],
      mutate: (ev) => ev.files.set(`trail-bucket/${c.digests[0].key}`, zlib.gzipSync('{"awsAccountId":"123456789012"}')),
    });
    const r = await verify({ evidence: [s.evidence], publicKeys: s.publicKeys, digestMetadata: s.digestMetadata, workers: 0 });
    expect(r.digests.map((x) => x.status)).toEqual(['invalid_format', 'valid', 'valid']);
    expect(r.digests[0].reason).toBe('invalid format: required field digestStartTime is missing');
    expect(r.digests[0].files[0].path).toBe(`trail-bucket/${c.digests[0].key}`);
  });
});

describe('layout and names (§1)', () => {
  it('parses digest names anchored on both sides', () => {
    expect(parseDigestName('111122223333_CloudTrail-Digest_us-east-2_my_trail.v2_us-gov-west-1_20150817T150131Z_backfill.json.gz', '111122223333', 'us-east-2')).toEqual({
      accountId: '111122223333',
      srcRegion: 'us-east-2',
      trailName: 'my_trail.v2',
      homeRegion: 'us-gov-west-1',
      endTime: '2015-08-17T15:01:31Z',
      backfill: true,
      nameMismatch: false,
    });
    expect(parseDigestName('111122223333_CloudTrail-Digest_eu-west-1_t_us-east-1_20150817T150131Z.json.gz', '111122223333', 'us-east-2')?.nameMismatch).toBe(true);
    expect(parseDigestName('garbage.json.gz')).toBeNull();
  });

  it('parses keys with prefixes, org ids and the log name time', () => {
    const k = parseKey('bucket/x/AWSLogs/y/AWSLogs/o-abcdefghij/111122223333/CloudTrail/cn-north-1/2015/08/01/111122223333_CloudTrail_cn-north-1_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz');
    expect(k).toMatchObject({ prefix: 'bucket/x/AWSLogs/y', orgId: 'o-abcdefghij', accountId: '111122223333', folder: 'CloudTrail', region: 'cn-north-1', date: '2015-08-01' });
    expect(parseLogName('111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz')?.deliveryTime).toBe('2015-08-01T02:10:00Z');
    expect(classifyPath('b/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2015/08/01/x.json.gz.metadata.json').cls).toBe('metadata');
    expect(classifyPath('b/AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2015/08/01/x.json.gz').cls).toBe('log');
    expect(classifyPath('b/notes.txt').cls).toBe('other');
  });
});

const haveCorpora = fs.existsSync(path.join(SHARED, 'corpora'));
if (!haveCorpora) console.warn(`skipping real-corpus integrity tests: ${SHARED}/corpora is absent`);

describe.skipIf(!haveCorpora)('real samples (../shared/corpora)', () => {
  const corpora = path.join(SHARED, 'corpora');

  it('parses the real llm-guard digest (escaped slashes, unsorted logFiles) and its name', () => {
    const dir = path.join(corpora, 'digest-samples/llm-guard');
    const name = fs.readdirSync(dir).find((n) => n.endsWith('.json')) as string;
    const bytes = fs.readFileSync(path.join(dir, name));
    expect(bytes.length).toBe(3324);
    const p = parseDigestBytes(bytes);
    expect(p.error).toBeNull();
    expect(p.storedDecompressed).toBe(true);
    expect(p.contentSha256).toBe('4277102dccf54c0c247738ca5e6e3504b7370206ef1c82855994ec23441ae1ed');
    expect(p.fields?.digestEndTime).toBe('2023-10-15T23:04:04Z');
    expect(p.fields?.digestPublicKeyFingerprint).toBe('be2f0b997552f44942837300ba1aba9d');
    expect(p.fields?.previousDigestSignature).toHaveLength(512);
    expect(p.fields?.logFiles).toHaveLength(5);
    const key = p.fields?.digestS3Object as string;
    expect(key.includes('\\/')).toBe(false);
    const pk = parseKey(key);
    expect(parseDigestName(pk?.fileName as string, pk?.accountId, pk?.region)).toMatchObject({ trailName: 'llm-guard-trail', srcRegion: 'ap-northeast-1', homeRegion: 'us-west-2', endTime: '2023-10-15T23:04:04Z' });
  });

  it('verifies a bucket copy holding the real digest: unverifiable (no signature, no key), its logs missing, never invalid', async () => {
    const src = path.join(corpora, 'digest-samples/llm-guard');
    const bytes = fs.readFileSync(path.join(src, fs.readdirSync(src).find((n) => n.endsWith('.json')) as string));
    const p = parseDigestBytes(bytes);
    const d = tmpDir('real');
    const target = path.join(d, 'llm-guard-trail', p.fields?.digestS3Object as string);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, zlib.gzipSync(bytes));
    const keys = path.join(corpora, 'awscli-cloudtrail-examples/list-public-keys.output.json');
    const r = await verify({ evidence: [d], publicKeys: [keys], workers: 0 });
    expect(r.digests.map((x) => x.status)).toEqual(['unverifiable_no_signature']);
    expect(r.digests[0].notes).toContain('public key be2f0b997552f44942837300ba1aba9d is not in the key lists given either');
    expect(r.digests[0].chainId).toBe('327878933619/ap-northeast-1/llm-guard-trail@us-west-2');
    expect(r.digests[0].contentSha256).toBe(sha256(bytes));
    expect(r.logs.map((l) => l.status)).toEqual(Array(5).fill('missing'));
    expect(r.chains[0].findings.map((f) => f.kind)).toEqual(['orphan_segment', 'head_unverified']);
  });

  it('parses the AWS docs key list (publicKeyList, string times, one SPKI key) and checks every fingerprint', () => {
    const ring = loadKeyFiles([path.join(corpora, 'digest-samples/awsdocs/list-public-keys.custom-validation-sample.json')]);
    const info = ring.files[0].keys;
    expect(info.map((k) => [k.fingerprint, k.form, k.error])).toEqual([
      ['8eba5db5bea9b640d1c96a77256fe7f2', 'pkcs1', null],
      ['8933b39ddc64d26d8e14ffbf6566fee4', 'pkcs1', null],
      ['31e8b5433410dfb61a9dc45cc65b22ff', 'spki', null],
    ]);
    for (const k of info) expect(Date.parse(k.validityEnd as string) - Date.parse(k.validityStart as string)).toBe(30 * 86400 * 1000);
    expect(ring.inconsistent.size).toBe(0);
    for (const e of ring.byFingerprint.values()) expect(e[0].key?.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('parses the aws-cli example key list (CLI v1 epoch numbers)', () => {
    const ring = loadKeyFiles([path.join(corpora, 'awscli-cloudtrail-examples/list-public-keys.output.json')]);
    expect(ring.files[0].keys).toEqual([{ fingerprint: '7f3f401420072e50a65a141430817ab3', form: 'pkcs1', validityStart: '2016-01-18T00:25:02Z', validityEnd: '2016-02-17T00:25:02Z', error: null }]);
  });

  it('parses the AWS docs sample digests (pretty-printed, unescaped slashes, an empty one)', () => {
    for (const n of [1, 2]) {
      const f = path.join(corpora, `awsdocs-cloudtrail-examples/examples/cloudtrail-log-file-validation-digest-file-structure.${n}.json`);
      const p = parseDigestBytes(fs.readFileSync(f));
      expect(p.error).toBeNull();
      expect(p.fields?.digestPublicKeyFingerprint).toBe('31e8b5433410dfb61a9dc45cc65b22ff');
      if (n === 2) {
        expect(p.fields?.logFiles).toEqual([]);
        expect(p.fields?.newestEventTime).toBeNull();
      }
    }
  });
});
