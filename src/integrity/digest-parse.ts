// Reading one digest file (spec §2): exactly one gzip member (trailing bytes reported), the hash of the
// decompressed bytes, JSON, and the required fields with their types. JSON is parsed only to read fields:
// every hash is over the bytes as found, never over re-serialised JSON.

import crypto from 'node:crypto';
import { gunzipFirstMember, isGzip } from '../sources/gzip.js';
import { GzipError } from '../model/errors.js';

export interface DigestLogEntry {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
}

export interface DigestFields {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogEntry[];
}

export interface ParsedDigest {
  /** Null when the file cannot be read as a digest (see error). */
  fields: DigestFields | null;
  error: string | null;
  contentSha256: string | null;
  trailingBytes: number;
  storedDecompressed: boolean;
  hasCR: boolean;
}

const MAX_DIGEST_BYTES = 256 * 1024 * 1024;

const REQUIRED_STRINGS = [
  'awsAccountId',
  'digestStartTime',
  'digestEndTime',
  'digestS3Bucket',
  'digestS3Object',
  'digestPublicKeyFingerprint',
  'digestSignatureAlgorithm',
] as const;
const NULLABLE_STRINGS = [
  'newestEventTime',
  'oldestEventTime',
  'previousDigestS3Bucket',
  'previousDigestS3Object',
  'previousDigestHashValue',
  'previousDigestHashAlgorithm',
] as const;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function parseDigestBytes(buf: Buffer): ParsedDigest {
  const out: ParsedDigest = { fields: null, error: null, contentSha256: null, trailingBytes: 0, storedDecompressed: false, hasCR: false };
  let content: Buffer;
  if (isGzip(buf)) {
    try {
      const g = gunzipFirstMember(buf, MAX_DIGEST_BYTES);
      content = g.data;
      out.trailingBytes = g.trailing.length;
    } catch (err) {
      out.error = err instanceof GzipError ? err.message : `cannot decompress: ${(err as Error).message}`;
      return out;
    }
  } else {
    content = buf;
    out.storedDecompressed = true;
  }
  out.contentSha256 = crypto.createHash('sha256').update(content).digest('hex');
  out.hasCR = content.indexOf(13) >= 0;
  let doc: unknown;
  try {
    doc = JSON.parse(content.toString('utf8'));
  } catch (err) {
    out.error = out.storedDecompressed ? 'not gzip and not JSON' : `not JSON (${(err as Error).message})`;
    return out;
  }
  const r = checkFields(doc);
  if (typeof r === 'string') out.error = r;
  else out.fields = r;
  return out;
}

/** Check required fields and types (§6.3 step 1); returns the reason when the document is unusable. */
function checkFields(doc: unknown): DigestFields | string {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'the JSON is not an object';
  const o = doc as Record<string, unknown>;
  for (const k of REQUIRED_STRINGS) {
    if (!(k in o)) return `required field ${k} is missing`;
    if (typeof o[k] !== 'string') return `field ${k} is not a string`;
  }
  for (const k of ['digestStartTime', 'digestEndTime'] as const) {
    if (!ISO_RE.test(o[k] as string)) return `field ${k} is not an ISO-8601 UTC time`;
  }
  if (!('previousDigestSignature' in o)) return 'required field previousDigestSignature is missing (it must be present, null for a starting digest)';
  if (o.previousDigestSignature !== null && typeof o.previousDigestSignature !== 'string') return 'field previousDigestSignature is not a string or null';
  for (const k of NULLABLE_STRINGS) {
    if (k in o && o[k] !== null && typeof o[k] !== 'string') return `field ${k} is not a string or null`;
  }
  if (!('logFiles' in o)) return 'required field logFiles is missing';
  if (!Array.isArray(o.logFiles)) return 'field logFiles is not an array';
  const logFiles: DigestLogEntry[] = [];
  for (let i = 0; i < o.logFiles.length; i++) {
    const e = o.logFiles[i] as Record<string, unknown>;
    if (!e || typeof e !== 'object' || Array.isArray(e)) return `logFiles[${i}] is not an object`;
    for (const k of ['s3Bucket', 's3Object', 'hashValue'] as const) {
      if (typeof e[k] !== 'string') return `logFiles[${i}].${k} is missing or not a string`;
    }
    if ('hashAlgorithm' in e && typeof e.hashAlgorithm !== 'string') return `logFiles[${i}].hashAlgorithm is not a string`;
    logFiles.push({
      s3Bucket: e.s3Bucket as string,
      s3Object: e.s3Object as string,
      hashValue: e.hashValue as string,
      hashAlgorithm: typeof e.hashAlgorithm === 'string' ? e.hashAlgorithm : 'SHA-256',
      newestEventTime: typeof e.newestEventTime === 'string' ? e.newestEventTime : null,
      oldestEventTime: typeof e.oldestEventTime === 'string' ? e.oldestEventTime : null,
    });
  }
  const str = (k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : null);
  return {
    awsAccountId: o.awsAccountId as string,
    digestStartTime: o.digestStartTime as string,
    digestEndTime: o.digestEndTime as string,
    digestS3Bucket: o.digestS3Bucket as string,
    digestS3Object: o.digestS3Object as string,
    digestPublicKeyFingerprint: o.digestPublicKeyFingerprint as string,
    digestSignatureAlgorithm: o.digestSignatureAlgorithm as string,
    newestEventTime: str('newestEventTime'),
    oldestEventTime: str('oldestEventTime'),
    previousDigestS3Bucket: str('previousDigestS3Bucket'),
    previousDigestS3Object: str('previousDigestS3Object'),
    previousDigestHashValue: str('previousDigestHashValue'),
    previousDigestHashAlgorithm: str('previousDigestHashAlgorithm'),
    previousDigestSignature: str('previousDigestSignature'),
    logFiles,
  };
}
