// The evidence formats, in the order the record reader consults them: files that are recognised but hold no
// events first, then the envelopes ("Records", "Events"), then the generic event shapes, which take any top-level
// array and so come last. The console CSV is the only format for files that are not JSON.
//
// Adding a format: write its module next to these (format.ts says what it may implement), add it to BUILT_IN,
// and test it in test/sources/formats/. registerFormat adds one at run time, in the thread that calls it (tests
// use it with an in-process ingest; ingest's worker threads load this module and see the built-in list).

import type { EvidenceFormat } from './format.js';
import { cloudTrailDigest } from './cloudtrail-digest.js';
import { publicKeys } from './public-keys.js';
import { digestMetadata } from './digest-metadata.js';
import { cloudTrailRecords } from './cloudtrail-records.js';
import { lookupEvents } from './lookup-events.js';
import { events } from './events.js';
import { consoleCsv } from './console-csv.js';

const BUILT_IN: readonly EvidenceFormat[] = [cloudTrailDigest, publicKeys, digestMetadata, cloudTrailRecords, lookupEvents, events, consoleCsv];

const formats: EvidenceFormat[] = [...BUILT_IN];

/** The formats in consultation order. */
export function evidenceFormats(): readonly EvidenceFormat[] {
  return formats;
}

/**
 * Add a format, consulted after the built-in specific ones and before the generic event shapes (events.ts).
 * Returns a function that removes it again.
 */
export function registerFormat(format: EvidenceFormat): () => void {
  if (formats.some((f) => f.name === format.name)) throw new Error(`evidence format "${format.name}" is already registered; pick another name`);
  formats.splice(formats.indexOf(events), 0, format);
  return () => {
    const at = formats.indexOf(format);
    if (at >= 0) formats.splice(at, 1);
  };
}
