// Saved S3 metadata of digest files, which carries their signatures: {"<s3 key>": {"signature": …}} maps and
// head-object sidecars {"Metadata": {"signature": …}}. An input for trailhound verify, never read for events.

import type { JsonFormat } from './format.js';

export const digestMetadata: JsonFormat = {
  name: 'digest-metadata',
  syntax: 'json',
  family: 'digest-metadata',
  kind: () => 'digest-metadata',
  skipFile: ({ keys, text }) => {
    const signed = /"signature"\s*:/.test(text.slice(0, 65536));
    return signed && (keys.includes('Metadata') || (keys.length > 0 && keys.every((k) => k.includes('CloudTrail-Digest/'))))
      ? 'saved S3 metadata of digest files (signatures): input for trailhound verify, not events'
      : null;
  },
};
