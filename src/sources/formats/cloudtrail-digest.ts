// CloudTrail digest files (CloudTrail-Digest/ folder, or saved anywhere): recognised by their keys and recorded
// for integrity verification (trailhound verify), never read for events.

import type { JsonFormat } from './format.js';

const DIGEST_KEYS = ['digestS3Object', 'digestStartTime', 'digestEndTime', 'logFiles'];

export const cloudTrailDigest: JsonFormat = {
  name: 'cloudtrail-digest',
  syntax: 'json',
  family: 'cloudtrail-digest',
  kind: () => 'cloudtrail-digest',
  skipFile: ({ keys }) =>
    keys.some((k) => DIGEST_KEYS.includes(k)) && keys.includes('logFiles') ? 'CloudTrail digest file (recorded for integrity verification, not events)' : null,
};
