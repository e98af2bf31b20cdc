// Deterministic integrity test vectors (spec §7): digest chains signed with the committed TEST-ONLY keys, built
// in memory as a map of S3 keys to bytes, then mutated by each test (delete, modify, inject) and written to a
// temporary folder. Modelled on aws-cli's create_scenario(): a chain is a script of windows.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const SHARED = path.resolve(REPO, '../shared');

export const KEY1 = crypto.createPrivateKey(fs.readFileSync(path.join(REPO, 'fixtures/keys/TEST-ONLY-cloudtrail-signing-key.pem')));
export const KEY2 = crypto.createPrivateKey(fs.readFileSync(path.join(REPO, 'fixtures/keys/TEST-ONLY-cloudtrail-signing-key-2.pem')));

export function pkcs1Der(priv: crypto.KeyObject): Buffer {
  return crypto.createPublicKey(priv).export({ type: 'pkcs1', format: 'der' });
}
export function spkiDer(priv: crypto.KeyObject): Buffer {
  return crypto.createPublicKey(priv).export({ type: 'spki', format: 'der' });
}
export function fingerprint(priv: crypto.KeyObject, form: 'pkcs1' | 'spki' = 'pkcs1'): string {
  return crypto.createHash('md5').update(form === 'pkcs1' ? pkcs1Der(priv) : spkiDer(priv)).digest('hex');
}
export const sha256 = (b: Buffer | string): string => crypto.createHash('sha256').update(b).digest('hex');

export interface KeySpec {
  priv: crypto.KeyObject;
  form?: 'pkcs1' | 'spki';
  start: number; // epoch seconds
  end: number;
  fingerprint?: string;
  der?: Buffer;
}

/** A list-public-keys output in the CLI v1 (epoch numbers), v2 (ISO) or docs (publicKeyList, numeric strings) shape. */
export function keyList(keys: KeySpec[], style: 'v1' | 'v2' | 'docs' = 'v1'): string {
  const list = keys.map((k) => {
    const der = k.der ?? (k.form === 'spki' ? spkiDer(k.priv) : pkcs1Der(k.priv));
    const fp = k.fingerprint ?? crypto.createHash('md5').update(der).digest('hex');
    const t = (s: number) => (style === 'v1' ? s : style === 'docs' ? `${s}.0` : new Date(s * 1000).toISOString().replace('.000Z', '+00:00'));
    return { ValidityStartTime: t(k.start), ValidityEndTime: t(k.end), Value: der.toString('base64'), Fingerprint: fp };
  });
  return JSON.stringify(style === 'docs' ? { publicKeyList: list } : { PublicKeyList: list }, null, 2);
}

export const T0 = Date.parse('2015-08-17T13:01:31Z');
const HOUR = 3_600_000;
export const ACCOUNT = '123456789012';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const compact = (ms: number) => iso(ms).replace(/[-:]/g, '');

export interface ChainSpec {
  bucket?: string;
  prefix?: string;
  orgId?: string;
  account?: string;
  region?: string;
  homeRegion?: string;
  trail?: string;
  backfill?: boolean;
  start?: number;
  /** Number of digests. */
  count?: number;
  /** Log files per window; windows listed in `empty` get none. */
  logsPerWindow?: number;
  empty?: number[];
  /** Digest indexes that start a new chain (all previous fields null); the window before it is skipped (a gap). */
  restarts?: number[];
  /** Key for digest i. */
  keyFor?: (i: number) => crypto.KeyObject;
  /** Escape '/' as '\/' like real digests (default true). */
  escapeSlashes?: boolean;
  /** Hook to alter a digest object before it is serialised and signed. */
  mutate?: (i: number, d: Record<string, unknown>) => void;
  /** Bucket of digest i and its logs (bucket change mid-chain); default `bucket`. */
  bucketFor?: (i: number) => string;
  /** Hook to sign something other than the proper signing string. */
  sign?: (i: number, signing: string, key: crypto.KeyObject) => Buffer;
}

export interface BuiltDigest {
  key: string;
  bucket: string;
  json: Buffer;
  signature: string;
  signing: string;
  start: number;
  end: number;
  logs: string[];
}

export interface BuiltChain {
  bucket: string;
  digests: BuiltDigest[];
  /** Log key → decompressed content. */
  logs: Map<string, Buffer>;
  /** Log key → bucket. */
  logBuckets: Map<string, string>;
}

export function logKey(s: Required<Pick<ChainSpec, 'account' | 'region'>> & ChainSpec, ms: number, n: number): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  const name = `${s.account}_CloudTrail_${s.region}_${compact(ms).slice(0, 13)}Z_${sha256(`${s.trail}${ms}${n}`).slice(0, 16).replace(/[0-9]/g, (c) => 'ABCDEFGHIJ'[Number(c)])}.json.gz`;
  return `${s.prefix ? `${s.prefix}/` : ''}AWSLogs/${s.orgId ? `${s.orgId}/` : ''}${s.account}/CloudTrail/${s.region}/${date}/${name}`;
}

export function digestKey(s: Required<Pick<ChainSpec, 'account' | 'region' | 'trail' | 'homeRegion'>> & ChainSpec, endMs: number): string {
  const d = new Date(endMs);
  const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  const name = `${s.account}_CloudTrail-Digest_${s.region}_${s.trail}_${s.homeRegion}_${compact(endMs)}${s.backfill ? '_backfill' : ''}.json.gz`;
  return `${s.prefix ? `${s.prefix}/` : ''}AWSLogs/${s.orgId ? `${s.orgId}/` : ''}${s.account}/CloudTrail-Digest/${s.region}/${date}/${name}`;
}

function logContent(trail: string, ms: number, n: number, account: string, region: string): Buffer {
  const records = [0, 1, 2].map((r) => ({
    eventVersion: '1.08',
    eventID: crypto.createHash('md5').update(`${trail}/${ms}/${n}/${r}`).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    eventTime: iso(ms - 5 * 60_000 + r * 1000),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: region,
    recipientAccountId: account,
  }));
  return Buffer.from(JSON.stringify({ Records: records }));
}

export function serialize(d: Record<string, unknown>, escapeSlashes: boolean): Buffer {
  const s = JSON.stringify(d);
  return Buffer.from(escapeSlashes ? s.replace(/\//g, '\\/') : s);
}

export function signingString(end: string, bucket: string, key: string, contentSha: string, prevSig: string | null): string {
  return `${end}\n${bucket}/${key}\n${contentSha}\n${prevSig ?? 'null'}`;
}

export function buildChain(spec: ChainSpec = {}): BuiltChain {
  const s = {
    bucket: 'trail-bucket',
    account: ACCOUNT,
    region: 'us-east-1',
    homeRegion: spec.region ?? 'us-east-1',
    trail: 'main-trail',
    start: T0,
    count: 4,
    logsPerWindow: 2,
    empty: [] as number[],
    restarts: [] as number[],
    keyFor: () => KEY1,
    escapeSlashes: true,
    ...spec,
  };
  const digests: BuiltDigest[] = [];
  const logs = new Map<string, Buffer>();
  const logBuckets = new Map<string, string>();
  let start = s.start;
  let prev: BuiltDigest | null = null;
  for (let i = 0; i < s.count; i++) {
    if (s.restarts.includes(i)) {
      start += 3 * HOUR;
      prev = null;
    }
    const end = start + HOUR;
    const bucket = s.bucketFor ? s.bucketFor(i) : s.bucket;
    const logKeys: string[] = [];
    const logFiles: Array<Record<string, unknown>> = [];
    if (!s.empty.includes(i)) {
      for (let n = 0; n < s.logsPerWindow; n++) {
        const deliver = start + (n + 1) * 10 * 60_000;
        const k = logKey(s, deliver, n);
        const content = logContent(s.trail, deliver, n, s.account, s.region);
        logs.set(k, content);
        logBuckets.set(k, bucket);
        logKeys.push(k);
        logFiles.push({
          s3Bucket: bucket,
          s3Object: k,
          hashValue: sha256(content),
          hashAlgorithm: 'SHA-256',
          newestEventTime: iso(deliver - 5 * 60_000 + 2000),
          oldestEventTime: iso(deliver - 5 * 60_000),
        });
      }
    }
    const key = digestKey(s, end);
    const d: Record<string, unknown> = {
      awsAccountId: s.account,
      digestStartTime: iso(start),
      digestEndTime: iso(end),
      digestS3Bucket: bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint(s.keyFor(i)),
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: logFiles.length ? (logFiles[logFiles.length - 1].newestEventTime as string) : null,
      oldestEventTime: logFiles.length ? (logFiles[0].oldestEventTime as string) : null,
      previousDigestS3Bucket: prev ? prev.bucket : null,
      previousDigestS3Object: prev ? prev.key : null,
      previousDigestHashValue: prev ? sha256(prev.json) : null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev ? prev.signature : null,
      logFiles,
    };
    s.mutate?.(i, d);
    const json = serialize(d, s.escapeSlashes);
    const signing = signingString(d.digestEndTime as string, d.digestS3Bucket as string, d.digestS3Object as string, sha256(json), d.previousDigestSignature as string | null);
    const sig = s.sign ? s.sign(i, signing, s.keyFor(i)) : crypto.sign('sha256', Buffer.from(signing), s.keyFor(i));
    const built: BuiltDigest = { key, bucket, json, signature: sig.toString('hex'), signing, start, end, logs: logKeys };
    digests.push(built);
    prev = built;
    start = end;
  }
  return { bucket: s.bucket, digests, logs, logBuckets };
}

export interface Evidence {
  /** relative path → bytes exactly as written. */
  files: Map<string, Buffer>;
}

/** Gzip every log and digest of the chains into relative paths `[<bucket>/]<key>`. */
export function toEvidence(chains: BuiltChain[], opts: { bucketFolder?: boolean } = {}): Evidence {
  const files = new Map<string, Buffer>();
  for (const c of chains) {
    const base = (b: string) => (opts.bucketFolder === false ? '' : `${b}/`);
    for (const [k, v] of c.logs) files.set(base(c.logBuckets.get(k) ?? c.bucket) + k, zlib.gzipSync(v));
    for (const d of c.digests) files.set(base(d.bucket) + d.key, zlib.gzipSync(d.json));
  }
  return { files };
}

/** The plain metadata map `{"<key>": {"signature", "signature-algorithm"}}` for the given digests. */
export function metadataMap(digests: BuiltDigest[]): string {
  const o: Record<string, Record<string, string>> = {};
  for (const d of digests) o[d.key] = { signature: d.signature, 'signature-algorithm': 'SHA256withRSA' };
  return JSON.stringify(o, null, 2);
}

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `th-integrity-${tag}-`));
}

export function writeEvidence(ev: Evidence, dir: string): string {
  for (const [rel, bytes] of ev.files) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, bytes);
  }
  return dir;
}

/** Write evidence, a key list and (optionally) a metadata map for `metaFor` digests; returns verify() inputs. */
export function scenario(
  tag: string,
  chains: BuiltChain[],
  opts: {
    keys?: KeySpec[];
    keyStyle?: 'v1' | 'v2' | 'docs';
    keyFileName?: string;
    metaFor?: BuiltDigest[];
    mutate?: (ev: Evidence) => void;
    bucketFolder?: boolean;
  } = {},
): { dir: string; evidence: string; publicKeys: string[]; digestMetadata: string[] } {
  const dir = tmpDir(tag);
  const ev = toEvidence(chains, { bucketFolder: opts.bucketFolder });
  opts.mutate?.(ev);
  const evidence = writeEvidence(ev, path.join(dir, 'evidence'));
  const keys = opts.keys ?? [{ priv: KEY1, start: T0 / 1000 - 86400, end: T0 / 1000 + 29 * 86400 }];
  const keyFile = path.join(dir, opts.keyFileName ?? 'keys-us-east-1.json');
  fs.writeFileSync(keyFile, keyList(keys, opts.keyStyle));
  const digestMetadata: string[] = [];
  if (opts.metaFor && opts.metaFor.length) {
    const m = path.join(dir, 'metadata.json');
    fs.writeFileSync(m, metadataMap(opts.metaFor));
    digestMetadata.push(m);
  }
  return { dir, evidence, publicKeys: [keyFile], digestMetadata };
}
