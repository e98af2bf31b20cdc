// What a case covers, as facts: event count, first and last event time, accounts and regions with their event
// counts. report/coverage.ts says it in a sentence when a search finds nothing.

import type { Db } from './open.js';

export interface CaseCoverage {
  events: number;
  firstEventTime: number | null;
  lastEventTime: number | null;
  accounts: { value: string; events: number }[];
  regions: { value: string; events: number }[];
}

export function caseCoverage(db: Db): CaseCoverage {
  const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const first = db.prepare('SELECT min(event_time) FROM events').pluck().get() as number | null;
  const last = db.prepare('SELECT max(event_time) FROM events').pluck().get() as number | null;
  const group = (col: string): { value: string; events: number }[] =>
    (
      db
        .prepare(`SELECT coalesce(s.value, '(none)') AS value, x.n AS events FROM (SELECT ${col} AS v, count(*) AS n FROM events GROUP BY ${col}) x LEFT JOIN strings s ON s.id = x.v ORDER BY x.n DESC`)
        .all() as { value: string; events: number }[]
    );
  return { events, firstEventTime: first, lastEventTime: last, accounts: group('recipient_account_id'), regions: group('aws_region') };
}
