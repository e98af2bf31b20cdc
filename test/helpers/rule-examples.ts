// Evidence that exercises every rule: each shipped rule's own example records (ones it must match and ones it must
// not) in one CloudTrail log file, beside the bundled sample's two trails. Used to check that the SQL trailhound
// generates for other engines finds what trailhound's own engine finds.
import fs from 'node:fs';
import path from 'node:path';
import type { Rule } from '../../src/detect/rule.js';
import { writeLog } from './evidence.js';
import { sampleDir } from './paths.js';

/** Every example record of the rules, each with its own eventID and a time (added where missing). */
export function exampleRecords(rules: readonly Rule[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  let n = 0;
  for (const r of rules) {
    for (const ex of r.examples) {
      for (const rec of ex.records) {
        n++;
        const copy = structuredClone(rec);
        // Examples reuse placeholder ids ("1", "EID12345"): each record gets its own, as CloudTrail's are unique.
        copy.eventID = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
        copy.eventTime ??= new Date(Date.UTC(2024, 1, 17, 0, 0, n)).toISOString().replace('.000Z', 'Z');
        out.push(copy);
      }
    }
  }
  return out;
}

/** Writes the examples' log file and copies the sample's trails under `evidence`; returns every CloudTrail log file. */
export function writeRuleEvidence(evidence: string, rules: readonly Rule[]): string[] {
  writeLog(evidence, exampleRecords(rules), { name: 'examples.json.gz' });
  for (const trail of ['org-trail-bucket', 'acct-trail-bucket']) fs.cpSync(path.join(sampleDir, 'evidence', trail), path.join(evidence, trail), { recursive: true });
  return (fs.readdirSync(evidence, { recursive: true }) as string[]).filter((f) => /(^|\/)CloudTrail\/.*\.json\.gz$/.test(f)).map((f) => path.join(evidence, f));
}
