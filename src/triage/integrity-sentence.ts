// The case's integrity in one sentence for the triage summary: what verify proved, or plainly why nothing is proven.

import type { CaseInfo } from '../index/info.js';

const VERDICT: Record<number, string> = { 0: 'everything in range proven', 3: 'INTEGRITY FAILURE', 5: 'no failure, gaps in assurance' };

export function integritySentence(info: CaseInfo): string {
  const digests = info.sources['cloudtrail-digest'] ?? 0;
  const i = info.integrity;
  if (!i) {
    return digests === 0
      ? 'not verified: no digest files in the evidence, so every event is unverified'
      : `not verified: ${digests} digest files in the evidence but no verify run stored`;
  }
  const logs = i.sources.proven + i.sources.provisional + i.sources.unverified;
  const digestTotal = Object.values(i.digests).reduce((a, b) => a + b, 0);
  const chain = Object.entries(i.findings).map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`).join(', ');
  return (
    `verified ${i.finishedAt}: ${VERDICT[i.exitCode] ?? `verify exit ${i.exitCode}`}; ` +
    `log files ${i.sources.proven} of ${logs} proven, ${i.sources.provisional} provisional, ${i.sources.unverified} unverified; ` +
    `digests ${i.digests.valid ?? 0} of ${digestTotal} valid${chain ? `; chain: ${chain}` : ''}`
  );
}
