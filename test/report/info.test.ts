import { describe, expect, it } from 'vitest';
import type { CaseInfo } from '../../src/index/info.js';
import type { CaseCoverage } from '../../src/index/query-coverage.js';
import { describeCoverage } from '../../src/report/coverage.js';
import { renderInfoText } from '../../src/report/info.js';
import { isoUtc } from '../../src/model/time.js';

const INFO: CaseInfo = {
  schemaVersion: 3,
  events: 2,
  occurrences: 3,
  sources: { 's3-log': 1 },
  sourceStatus: { done: 1 },
  accounts: ['123456789012'],
  regions: ['us-east-1', 'evil\u001b[2Jregion'],
  timeRange: { start: '2024-02-17T10:00:00Z', end: '2024-02-17T11:00:00Z' },
  categories: { Management: 2 },
  partialEvents: 0,
  conflicts: 1,
  warnings: 2,
  warningErrors: 1,
  warningsByCode: { gzip_truncated: 1, record_skipped: 1 },
  embeddedBytes: 1_500_000,
  ingestRuns: 1,
  lastIngest: '2024-02-18T00:00:00Z',
  integrity: null,
  integrityStatus: { state: 'not_verified', digestFiles: 1, logFiles: 1, events: 2 },
};

describe('renderInfoText (the info table)', () => {
  it('says the facts line by line, escaping what came from the evidence', () => {
    expect(renderInfoText(INFO, 'my case.db')).toBe(
      [
        'case         my case.db (schema v3)',
        'events       2 unique, 3 records seen, 1 with conflicting bodies',
        'sources      1 s3-log',
        'accounts     123456789012',
        'regions      us-east-1, evil\\e[2Jregion',
        'time range   2024-02-17T10:00:00Z .. 2024-02-17T11:00:00Z',
        'categories   Management 2',
        "warnings     2 (1 error): top codes gzip_truncated 1, record_skipped 1; list them: trailhound warnings --db 'my case.db'",
        'embedded     1.5 MB of evidence bytes',
        "integrity    not verified (run: trailhound verify --db 'my case.db')",
        '',
      ].join('\n'),
    );
  });
});

describe('describeCoverage (the sentence for empty results)', () => {
  const c: CaseCoverage = {
    events: 5,
    firstEventTime: Date.UTC(2024, 1, 17, 10),
    lastEventTime: Date.UTC(2024, 1, 17, 12),
    accounts: [{ value: '123456789012', events: 5 }],
    regions: Array.from({ length: 14 }, (_, i) => ({ value: `r${i}`, events: 1 })),
  };

  it('names the count, the range, the accounts and at most 12 regions', () => {
    expect(describeCoverage(c, isoUtc)).toBe(
      'the case holds 5 events from 2024-02-17T10:00:00Z to 2024-02-17T12:00:00Z; accounts: 123456789012 (5); regions: r0 (1), r1 (1), r2 (1), r3 (1), r4 (1), r5 (1), r6 (1), r7 (1), r8 (1), r9 (1), r10 (1), r11 (1) and 2 more',
    );
  });

  it('says so when the case is empty', () => {
    expect(describeCoverage({ ...c, events: 0 }, isoUtc)).toBe('the case holds no events');
  });
});
