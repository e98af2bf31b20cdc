// Saved `aws cloudtrail list-public-keys` output: the keys that sign digests, an input for trailhound verify,
// never read for events.

import type { JsonFormat } from './format.js';

export const publicKeys: JsonFormat = {
  name: 'public-keys',
  syntax: 'json',
  family: 'public-keys',
  kind: () => 'public-keys',
  skipFile: ({ keys }) =>
    keys.includes('PublicKeyList') || keys.includes('publicKeyList') ? 'CloudTrail public keys (list-public-keys output): input for trailhound verify, not events' : null,
};
