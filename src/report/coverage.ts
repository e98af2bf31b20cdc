// What a case covers, in one sentence for stderr when a query finds nothing, so the user knows whether the
// evidence could contain what they looked for. The facts come from index/query-coverage.ts.

import type { CaseCoverage } from '../index/query-coverage.js';

/** One line for stderr: "the case holds N events from T1 to T2; accounts: ...; regions: ...". */
export function describeCoverage(c: CaseCoverage, iso: (ms: number | null) => string | null): string {
  if (c.events === 0) return 'the case holds no events';
  const list = (xs: { value: string; events: number }[]): string => {
    const shown = xs.slice(0, 12).map((x) => `${x.value} (${x.events})`);
    return xs.length > 12 ? `${shown.join(', ')} and ${xs.length - 12} more` : shown.join(', ');
  };
  return `the case holds ${c.events} events from ${iso(c.firstEventTime) ?? '?'} to ${iso(c.lastEventTime) ?? '?'}; accounts: ${list(c.accounts)}; regions: ${list(c.regions)}`;
}
