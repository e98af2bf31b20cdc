// S3 key layouts of a trail bucket (spec §1): where AWSLogs/ is, which folder, and the digest and log file names.
//   [<prefix>/]AWSLogs/[<org-id>/]<account>/<Folder>/<region>/YYYY/MM/DD/<file>
// Digest names are parsed anchored on both sides because trail names may contain '_' and '.' (§1.2).

import type { KeyPathInfo } from '../model/types.js';
import { parseKeyPath, REGION_PATTERN } from '../sources/key-path.js';

export { REGION_PATTERN };

/** A bucket key read by the ingester's parser, in the names the verifier uses. */
export type ParsedKey = Omit<KeyPathInfo, 's3Key' | 'fileTime'> & {
  fileName: string;
  /** The key from AWSLogs/ on. */
  awsLogsKey: string;
};

/** Parse a key or relative path containing an AWSLogs/ segment (the ingester's parser); null when it is not a trail bucket layout. */
export function parseKey(key: string): ParsedKey | null {
  const k = parseKeyPath(key);
  if (!k) return null;
  return { prefix: k.prefix, orgId: k.orgId, accountId: k.accountId, folder: k.folder, region: k.region, date: k.date, fileName: key.slice(key.lastIndexOf('/') + 1), awsLogsKey: k.s3Key };
}

export interface DigestName {
  accountId: string;
  srcRegion: string;
  trailName: string;
  homeRegion: string;
  /** The name's timestamp (the digest end time), ISO. */
  endTime: string;
  backfill: boolean;
  /** The account or region in the name differs from the folders. */
  nameMismatch: boolean;
}

const DIGEST_SUFFIX_RE = new RegExp(`_(${REGION_PATTERN})_(\\d{8}T\\d{6}Z)(_backfill)?\\.json\\.gz$`);
const DIGEST_PREFIX_RE = new RegExp(`^(\\d{12})_CloudTrail-Digest_(${REGION_PATTERN})_`);

/**
 * Parse `<account>_CloudTrail-Digest_<src-region>_<trail>_<home-region>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz`.
 * The account and source region are taken from the folders when the name agrees (§1.2 step 1).
 */
export function parseDigestName(fileName: string, folderAccount?: string, folderRegion?: string): DigestName | null {
  const suffix = DIGEST_SUFFIX_RE.exec(fileName);
  if (!suffix) return null;
  let accountId: string;
  let srcRegion: string;
  let rest: string;
  let nameMismatch = false;
  const anchored = folderAccount && folderRegion ? `${folderAccount}_CloudTrail-Digest_${folderRegion}_` : null;
  if (anchored && fileName.startsWith(anchored)) {
    accountId = folderAccount as string;
    srcRegion = folderRegion as string;
    rest = fileName.slice(anchored.length);
  } else {
    const pre = DIGEST_PREFIX_RE.exec(fileName);
    if (!pre) return null;
    accountId = pre[1];
    srcRegion = pre[2];
    rest = fileName.slice(pre[0].length);
    nameMismatch = anchored !== null;
  }
  const suffixLen = suffix[0].length;
  if (rest.length <= suffixLen) return null;
  const trailName = rest.slice(0, rest.length - suffixLen);
  return {
    accountId,
    srcRegion,
    trailName,
    homeRegion: suffix[1],
    endTime: compactToIso(suffix[2]),
    backfill: suffix[3] !== undefined,
    nameMismatch,
  };
}

const LOG_NAME_RE = /^(\d{12})_CloudTrail(?:-Insight)?_([a-z0-9-]+)_(\d{8}T\d{4}Z)_[A-Za-z0-9]+\.json(?:\.gz)?$/;

/** `<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`: the delivery time, ISO. */
export function parseLogName(fileName: string): { accountId: string; region: string; deliveryTime: string } | null {
  const m = LOG_NAME_RE.exec(fileName);
  if (!m) return null;
  return { accountId: m[1], region: m[2], deliveryTime: compactToIso(m[3]) };
}

/** 20231015T230404Z or 20231015T2304Z to 2023-10-15T23:04:04Z. */
function compactToIso(t: string): string {
  const sec = t.length >= 16 ? t.slice(13, 15) : '00';
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${sec}Z`;
}

export type FileClass = 'digest' | 'log' | 'metadata' | 'other';

/** Classify an evidence file by its relative path (§6.2 step 1). */
export function classifyPath(rel: string): { cls: FileClass; parsed: ParsedKey | null } {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (isSidecarName(base)) return { cls: 'metadata', parsed: null };
  const parsed = parseKey(rel);
  if (!parsed) return { cls: 'other', parsed: null };
  if (parsed.folder === 'CloudTrail-Digest') {
    return { cls: base.endsWith('.json.gz') || base.endsWith('.json') ? 'digest' : 'other', parsed };
  }
  if (parsed.folder.startsWith('CloudTrail') && (base.endsWith('.json.gz') || base.endsWith('.json'))) {
    return { cls: 'log', parsed };
  }
  return { cls: 'other', parsed };
}

/** Sidecar metadata next to a digest: `<digest name>.metadata.json` (also .headers / .metadata.txt dumps). */
function isSidecarName(base: string): boolean {
  return /\.json\.gz\.(metadata\.json|metadata\.txt|metadata|headers|headers\.txt)$/i.test(base);
}

/** The digest file name a sidecar belongs to. */
export function sidecarTarget(base: string): string | null {
  const m = /^(.*\.json\.gz)\.(metadata\.json|metadata\.txt|metadata|headers|headers\.txt)$/i.exec(base);
  return m ? m[1] : null;
}

/** `s3://bucket/key` (bucket may be unknown). */
export function s3Uri(bucket: string | null, key: string): string {
  return `s3://${bucket ?? '?'}/${key}`;
}
