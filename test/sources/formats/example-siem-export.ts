// A test-only evidence format, to prove that a new format is one module plus its registration: a SIEM search
// export (Elasticsearch/OpenSearch `_search` response) wrapping events as {"hits":{"hits":[{"_source":{…}}]}}.
// The container is nested, so the whole response is one top-level value (at most 4 MiB, READ_LIMITS).

import type { JsonFormat, RawRecord } from '../../../src/sources/formats/format.js';
import { asEvent, badRecord, describe, NOT_EVENT } from '../../../src/sources/formats/event-shape.js';

export const exampleSiemExport: JsonFormat = {
  name: 'example-siem-export',
  syntax: 'json',
  family: 'siem-hits',
  kind: () => 'event-json',
  topValue: (parsed, at) => {
    const hits = (parsed as { hits?: { hits?: unknown } } | null)?.hits?.hits;
    if (!Array.isArray(hits)) return null;
    return hits.map((h): RawRecord => {
      const source = (h as { _source?: unknown } | null)?._source;
      const rec = asEvent(source);
      if (!rec) return badRecord(at, 'not_an_event', `hit is ${describe(source)}: ${NOT_EVENT}`);
      return { index: 0, record: rec, text: JSON.stringify(source), offset: null, length: null, partial: false, error: null };
    });
  },
};
