// What a case covers: accounts, regions and time range (said when a search finds nothing, so the user
// knows whether the evidence could contain what they looked for).

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

/** One line for stderr: "the case holds N events from T1 to T2; accounts: ...; regions: ...". */
export function describeCoverage(c: CaseCoverage, iso: (ms: number | null) => string | null): string {
  if (c.events === 0) return 'the case holds no events';
  const list = (xs: { value: string; events: number }[]): string => {
    const shown = xs.slice(0, 12).map((x) => `${x.value} (${x.events})`);
    return xs.length > 12 ? `${shown.join(', ')} and ${xs.length - 12} more` : shown.join(', ');
  };
  return `the case holds ${c.events} events from ${iso(c.firstEventTime) ?? '?'} to ${iso(c.lastEventTime) ?? '?'}; accounts: ${list(c.accounts)}; regions: ${list(c.regions)}`;
}
