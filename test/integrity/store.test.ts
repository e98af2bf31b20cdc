// verify --db: results stored in the case, event trust labels, and reuse of the hashes recorded at ingest.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run.js';
import { openCase } from '../../src/index/open.js';
import type { Db } from '../../src/index/open.js';
import { loadKnownHashes, saveVerifyRun } from '../../src/index/integrity-store.js';
import { integritySummary, trustFilterSql, trustForEvents } from '../../src/index/trust.js';
import { verify } from '../../src/integrity/verifier.js';
import type { VerifyReport } from '../../src/model/integrity.js';
import { buildChain, scenario } from './vectors.js';

const c = buildChain({ count: 4 });
const head = c.digests[3];
const modified = c.digests[1].logs[0];
const trailing = c.digests[1].logs[1];
const injected = c.digests[0].logs[0].replace(/_[A-Za-z]{16}\.json\.gz$/, '_INJECTEDINJECTED.json.gz');
const rel = (k: string) => `${c.bucket}/${k}`;

let s: ReturnType<typeof scenario>;
let dbPath: string;

function eventIdsOf(db: Db, logKey: string): number[] {
  return db
    .prepare("SELECT DISTINCT o.event_id FROM occurrences o JOIN sources s ON s.id = o.source_id WHERE s.path LIKE '%' || ? ORDER BY 1")
    .pluck()
    .all(path.posix.basename(logKey)) as number[];
}

beforeAll(async () => {
  s = scenario('store', [c], {
    metaFor: [], // head without metadata: its logs are provisional
    mutate: (ev) => {
      const content = c.logs.get(modified) as Buffer;
      ev.files.set(rel(modified), zlib.gzipSync(Buffer.from(content.toString().replace('DescribeInstances', 'TerminateInstances'))));
      ev.files.set(rel(trailing), Buffer.concat([zlib.gzipSync(c.logs.get(trailing) as Buffer), zlib.gzipSync('{"Records":[]}')]));
      ev.files.set(rel(injected), zlib.gzipSync(Buffer.from((c.logs.get(modified) as Buffer).toString().replace(/"eventID":"(.)/g, '"eventID":"f'))));
    },
  });
  dbPath = path.join(s.dir, 'case.db');
  await runIngest({ dbPath, paths: [s.evidence], workers: 0 });
});

async function verifyWith(db: Db | null, evidence = s.evidence, checkFileBytes = false): Promise<VerifyReport> {
  const known = db ? loadKnownHashes(db) : null;
  return verify({ evidence: [evidence], publicKeys: s.publicKeys, workers: 0, knownHashes: known ? (p) => known.get(p) : undefined, checkFileBytes });
}

describe('verify --db', () => {
  it('reuses the hashes recorded at ingest and reaches the same results as a cold run', async () => {
    const db = openCase(dbPath);
    try {
      const cold = await verifyWith(null);
      const warm = await verifyWith(db);
      expect(warm.summary.reusedHashes).toBe(9);
      expect(warm.summary.hashedBytes).toBe(0);
      const view = (r: VerifyReport) => r.logs.map((l) => [l.key, l.status, l.contentSha256]);
      expect(view(warm)).toEqual(view(cold));
      expect(warm.logs.find((l) => l.key === trailing)?.status).toBe('trailing_data');
      expect(warm.logs.find((l) => l.key === modified)?.status).toBe('hash_mismatch');
      expect(warm.logs.find((l) => l.key === modified)?.flags).toContain('ingest_hash');
    } finally {
      db.close();
    }
  });

  it('re-hashes a file whose size changed since ingest, and with checkFileBytes one whose bytes changed', async () => {
    const copy = path.join(s.dir, 'changed');
    fs.cpSync(s.evidence, copy, { recursive: true });
    const db = openCase(dbPath);
    try {
      // same relative layout, different root: nothing to reuse
      const other = await verifyWith(db, copy);
      expect(other.summary.reusedHashes).toBe(0);
      // the ingested root, with one log rewritten after ingest
      const victim = path.join(s.evidence, rel(c.digests[0].logs[1]));
      const before = fs.readFileSync(victim);
      fs.writeFileSync(victim, zlib.gzipSync(Buffer.from('{"Records":[]}')));
      try {
        const r = await verifyWith(db);
        expect(r.summary.reusedHashes).toBe(8);
        expect(r.logs.find((l) => l.key === c.digests[0].logs[1])?.status).toBe('hash_mismatch');
        // same size, different bytes: the recorded hash (what the case holds) is reused unless --check-files
        const sameSize = Buffer.from(before);
        sameSize[sameSize.length - 9] ^= 0xff; // flip a CRC byte
        fs.writeFileSync(victim, sameSize);
        expect((await verifyWith(db)).summary.reusedHashes).toBe(9);
        const checked = await verifyWith(db, s.evidence, true);
        expect(checked.summary.reusedHashes).toBe(8);
        expect(checked.logs.find((l) => l.key === c.digests[0].logs[1])?.status).toBe('invalid_format');
      } finally {
        fs.writeFileSync(victim, before);
      }
    } finally {
      db.close();
    }
  });

  it('stores the run, labels every event, and filters by label', async () => {
    const db = openCase(dbPath);
    try {
      const all = db.prepare('SELECT id FROM events ORDER BY id').pluck().all() as number[];
      expect(all.length).toBeGreaterThan(20);
      // before any verify run: everything unverified
      expect(new Set(trustForEvents(db, all).values())).toEqual(new Set(['unverified']));
      expect(integritySummary(db)).toBeNull();

      const report = await verifyWith(db);
      const runId = saveVerifyRun(db, report, { args: ['verify'], toolVersion: 'test', startedAt: '2026-01-01T00:00:00Z' });
      expect(runId).toBe(1);
      const labels = trustForEvents(db, all);
      for (const id of eventIdsOf(db, c.digests[0].logs[1])) expect(labels.get(id)).toBe('proven');
      for (const id of eventIdsOf(db, head.logs[0])) expect(labels.get(id)).toBe('provisional');
      for (const id of eventIdsOf(db, modified)) expect(labels.get(id)).toBe('unverified');
      for (const id of eventIdsOf(db, injected)) expect(labels.get(id)).toBe('unverified');
      for (const id of eventIdsOf(db, trailing)) expect(labels.get(id)).toBe('unverified');

      const count = (label: 'proven' | 'provisional' | 'unverified') => {
        const f = trustFilterSql(label);
        return (db.prepare(`SELECT count(*) FROM events e WHERE ${f.sql}`).pluck().get(...f.params) as number);
      };
      const tally = (label: string) => [...labels.values()].filter((v) => v === label).length;
      expect(count('proven')).toBe(tally('proven'));
      expect(count('provisional')).toBe(tally('provisional'));
      expect(count('unverified')).toBe(tally('unverified'));
      expect(count('proven') + count('provisional') + count('unverified')).toBe(all.length);
      expect(tally('proven')).toBe(3 * 4); // digests 0 and 2: 2 logs each, 3 events per log
      expect(tally('provisional')).toBe(3 * 2);

      const sum = integritySummary(db);
      expect(sum).toMatchObject({ runId: 1, exitCode: 3, digests: { valid: 3, unverifiable_no_signature: 1 }, findings: { head_unverified: 1 } });
      expect(sum?.logs).toEqual({ hash_mismatch: 1, not_covered: 1, trailing_data: 1, valid: 4, valid_unauthenticated: 2 });
      expect(sum?.sources).toEqual({ proven: 4, provisional: 2, unverified: 3 });
      const stored = db.prepare('SELECT count(*) FROM integrity_digests WHERE run_id = 1').pluck().get();
      expect(stored).toBe(4);
      expect(() => trustFilterSql('bogus' as never)).toThrow(/unknown trust label bogus: use one of proven, provisional, unverified/);
    } finally {
      db.close();
    }
  });
});
