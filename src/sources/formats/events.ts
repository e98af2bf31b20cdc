// Events without an envelope: one event object, a JSON array of events, or one event per line (NDJSON / JSON
// Lines, and concatenated event documents). The generic shape, consulted after every specific format: it takes
// any top-level array (registry.ts keeps it last). The first event of a file must look like one (two core
// fields); once the file is known to hold events, one core field will do.

import type { JsonFormat } from './format.js';
import { asEvent, eventElement, eventRecord, looksLikeEventKeys } from './event-shape.js';

export const events: JsonFormat = {
  name: 'events',
  syntax: 'json',
  family: 'events',
  kind: ({ topValues }) => (topValues > 1 ? 'ndjson' : 'event-json'),
  arrayOf: () => true,
  arrayElement: eventElement,
  topValue: (parsed, at, known) => {
    const rec = asEvent(parsed);
    return rec && (known || looksLikeEventKeys(Object.keys(parsed as object))) ? eventRecord(rec, at) : null;
  },
};
