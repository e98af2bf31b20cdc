// Test helper for the finding-type tests: CloudTrail records built from a plausible default with overrides, and a
// case ingested from them through the real ingester (bodies included: investigations read requestParameters).
import fs from 'node:fs';
import path from 'node:path';
import { runIngest } from '../../../src/ingest/run.js';
import { openCase, type Db } from '../../../src/index/open.js';
import type { InvestigationFinding, InvestigationOptions } from '../../../src/scenarios/common.js';
import { tmpDir } from '../../helpers/paths.js';
import { apiCall } from '../../helpers/evidence.js';

export const ACCT = '123456789012';
/** An account outside the case (no event is recorded for it). */
export const OUTSIDE = '999988887777';

/** Investigation options over the whole case, in UTC. */
export const OPTS: InvestigationOptions = { filter: {}, tz: 'UTC', now: Date.UTC(2025, 0, 20) };

/** ISO time `min` minutes after 2025-01-10T00:00:00Z. */
export function at(min: number): string {
  return new Date(Date.UTC(2025, 0, 10) + min * 60_000).toISOString().replace('.000Z', 'Z');
}

let n = 0;
/** A fresh event ID (a UUID), unique within the test run. */
export function newId(): string {
  return `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}

/** The identity of IAM user `name` of the case's account, signing with `key`. */
export function iamUser(name: string, key: string): Record<string, unknown> {
  return { type: 'IAMUser', principalId: `AIDA${name.toUpperCase()}`, arn: `arn:aws:iam::${ACCT}:user/${name}`, accountId: ACCT, accessKeyId: key, userName: name };
}

/** A successful read-only EC2 call by alice at 2025-01-10T00:00Z, with `over` applied. */
export function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return apiCall({ identity: iamUser('alice', 'AKIAALICE00000000001'), eventTime: at(0), eventId: newId(), account: ACCT }, over);
}

/** A case holding `records`, ingested into a temp dir; close() closes it and removes the dir. */
export async function syntheticCase(records: Record<string, unknown>[]): Promise<{ db: Db; close: () => void }> {
  const dir = tmpDir('trailhound-findings-');
  const evidence = path.join(dir, 'evidence');
  fs.mkdirSync(evidence);
  fs.writeFileSync(path.join(evidence, 'records.json'), JSON.stringify({ Records: records }));
  const dbPath = path.join(dir, 'case.db');
  await runIngest({ dbPath, paths: [evidence], workers: 0 });
  const db = openCase(dbPath, { readonly: true });
  return {
    db,
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The findings of one type. */
export function ofType(findings: readonly InvestigationFinding[], type: string): InvestigationFinding[] {
  return findings.filter((f) => f.type === type);
}
