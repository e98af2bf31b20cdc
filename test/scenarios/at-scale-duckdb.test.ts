// An investigation at scale, end to end without a cluster: `sql-for … investigate` run on DuckDB (standing in for
// Athena over the AWS CloudTrail table of the sample's trails) names the log files holding the events the
// investigation reads; those files alone, ingested into a fresh case, give the same investigation result as the
// whole evidence does. That is the documented way back from an organization's lake to a local case (docs/scale.md).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { investigationSql, scalePlan } from '../../src/scenarios/at-scale.js';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { sampleDir, tmpDir } from '../helpers/paths.js';
import { cloudTrailTableSql, duckdb, rows } from '../helpers/duckdb-trino.js';

const CASES: Array<{ name: string; subject?: string; compare: (r: Record<string, unknown>) => unknown }> = [
  {
    name: 'access-key',
    subject: 'AKIAXXXXXXXXXXXXXXXX',
    // Everything but the trust labels (the small case has no digests) and the filter echo.
    // Everything but the trust labels (the small case has no digests) and the response commands' "issued before now".
    compare: (r) => JSON.parse(JSON.stringify({ ...r, events: (r.events as Array<Record<string, unknown>>).map(({ trust: _t, ...e }) => e) }).replace(/TokenIssueTime\\":\\"[^\\]+\\"/g, 'TokenIssueTime')) as unknown,
  },
  { name: 'instance', subject: 'i-1234567890abcdef0', compare: (r) => r },
  { name: 'security-group', subject: 'sg-0123456789abcdef0', compare: (r) => r },
  // `accounts` lists the accounts the case holds: the small case holds fewer.
  { name: 'iam', compare: ({ accounts: _a, ...r }) => r },
  { name: 'console-logins', compare: (r) => r },
];

async function investigate(db: string, name: string, subject: string | undefined): Promise<Record<string, unknown>> {
  const r = await runCliInProcess(['investigate', name, ...(subject ? [subject] : []), '--db', db, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('sql-for investigate on DuckDB, then back into a case', () => {
  let dir: string;
  let logs: string[];
  let full: string;
  let c: DuckDBConnection;
  let close: () => void;

  beforeAll(async () => {
    dir = tmpDir('trailhound-atscale-');
    const evidence = path.join(dir, 'evidence');
    for (const trail of ['org-trail-bucket', 'acct-trail-bucket']) fs.cpSync(path.join(sampleDir, 'evidence', trail), path.join(evidence, trail), { recursive: true });
    logs = (fs.readdirSync(evidence, { recursive: true }) as string[]).filter((f) => /(^|\/)CloudTrail\/.*\.json\.gz$/.test(f)).map((f) => path.join(evidence, f));
    full = path.join(dir, 'full.db');
    expect([0, 4]).toContain(runCli(['ingest', ...logs, '--db', full, '--quiet']).code);
    ({ c, close } = await duckdb());
    await c.run(cloudTrailTableSql(logs));
  }, 240_000);

  afterAll(() => close?.());

  for (const { name, subject, compare } of CASES) {
    it(`${name} ${subject ?? ''}: the files the SQL names give the same result as all the evidence`, async () => {
      const sql = investigationSql(scalePlan(name, subject, 'cloudtrail', 'cloudtrail_logs'), 'cloudtrail', 'cloudtrail_logs');
      const found = await rows(c, sql);
      const files = [...new Set(found.map((r) => String(r.source_file)))];
      expect(files.length).toBeGreaterThan(0);
      expect(files.length).toBeLessThan(logs.length); // the point: a fraction of the evidence
      const small = path.join(dir, `${name}.db`);
      expect([0, 4]).toContain(runCli(['ingest', ...files, '--db', small, '--quiet']).code);
      const want = await investigate(full, name, subject);
      expect((want.events as unknown[] | undefined)?.length ?? 1).toBeGreaterThan(0);
      expect(compare(await investigate(small, name, subject))).toEqual(compare(want));
    });
  }
});
