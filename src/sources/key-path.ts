// Reading the S3 key layout of a trail bucket copy:
//   [<bucket>/][<prefix>/]AWSLogs/[o-<org>/]<account>/<Folder>/<region>/YYYY/MM/DD/<file>
// Folder is CloudTrail, CloudTrail-Digest, CloudTrail-Insight (or another sibling, kept as is).

import type { KeyPathInfo } from '../model/types.js';

/** AWS region names (also us-gov-west-1, cn-north-1). */
export const REGION_PATTERN = '[a-z]{2}(?:-[a-z]+)+-\\d+';
const REGION_RE = new RegExp(`^${REGION_PATTERN}$`);
const ACCOUNT_RE = /^\d{12}$/;
const ORG_RE = /^o-[a-z0-9]{10,32}$/;
// <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json[.gz]
const LOG_NAME_RE = /^(\d{12})_CloudTrail(?:-Insight)?_([a-z0-9-]+)_(\d{8}T\d{4}Z)_[A-Za-z0-9]+\.json(\.gz)?$/;

/**
 * Parse a path (POSIX separators) that contains an AWSLogs/ segment; null when it is not a bucket layout.
 * The trail prefix may itself contain an "AWSLogs" segment, so occurrences are tried from the last backwards.
 */
export function parseKeyPath(relPath: string): KeyPathInfo | null {
  const parts = relPath.split('/');
  for (let at = parts.lastIndexOf('AWSLogs'); at >= 0; at = at > 0 ? parts.lastIndexOf('AWSLogs', at - 1) : -1) {
    const r = parseAt(parts, at);
    if (r) return r;
  }
  return null;
}

function parseAt(parts: string[], at: number): KeyPathInfo | null {
  let i = at + 1;
  let orgId: string | null = null;
  if (ORG_RE.test(parts[i] ?? '') && ACCOUNT_RE.test(parts[i + 1] ?? '')) orgId = parts[i++];
  const accountId = parts[i++] ?? '';
  if (!ACCOUNT_RE.test(accountId)) return null;
  const folder = parts[i++] ?? '';
  const region = parts[i++] ?? '';
  if (!folder || !REGION_RE.test(region) || i >= parts.length) return null;
  const [y, m, d] = [parts[i], parts[i + 1], parts[i + 2]];
  const date = /^\d{4}$/.test(y ?? '') && /^\d{2}$/.test(m ?? '') && /^\d{2}$/.test(d ?? '') && parts.length > i + 3 ? `${y}-${m}-${d}` : null;
  const fileName = parts[parts.length - 1];
  let fileTime: string | null = null;
  const nm = LOG_NAME_RE.exec(fileName);
  if (nm) {
    const t = nm[3];
    fileTime = `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:00Z`;
  }
  return {
    // Everything between the bucket folder and AWSLogs/ is ambiguous offline (bucket dir vs trail prefix):
    // keep it whole; integrity reconciles it with the digests' s3Object values.
    prefix: parts.slice(0, at).join('/'),
    orgId,
    accountId,
    folder,
    region,
    date,
    s3Key: parts.slice(at).join('/'),
    fileTime,
  };
}

/** Account and region named in a log file's name, to cross-check the folders. */
export function parseLogFileName(fileName: string): { accountId: string; region: string; time: string } | null {
  const nm = LOG_NAME_RE.exec(fileName);
  if (!nm) return null;
  return { accountId: nm[1], region: nm[2], time: nm[3] };
}
