// Verify benchmark (called by bench/run.ts, or standalone: node dist/bench/verify-bench.js <dir> [case.db]).
// Cold start: decompress + SHA-256 every log in worker threads; then with the case: reuse the content hashes
// recorded at ingest (only the compressed file bytes are hashed, to prove the file is what was ingested).
// MB/s are of decompressed log content. Wall time and CPU time (all threads) are both reported: on a shared
// machine, the CPU time says what the code costs.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verify } from '../src/integrity/verifier.js';
import type { VerifyReport } from '../src/model/integrity.js';
import { openCase } from '../src/index/open.js';
import { loadKnownHashes, saveVerifyRun } from '../src/index/integrity-store.js';

function inputs(dir: string): { evidence: string; publicKeys: string[]; digestMetadata: string[] } {
  const evidence = fs.existsSync(path.join(dir, 'evidence')) ? path.join(dir, 'evidence') : dir;
  const keys = path.join(evidence, 'keys', 'list-public-keys.json');
  const meta = path.join(evidence, 'digest-metadata.json');
  return { evidence, publicKeys: fs.existsSync(keys) ? [keys] : [], digestMetadata: fs.existsSync(meta) ? [meta] : [] };
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await f();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { value, seconds, cpuSeconds: (c.user + c.system) / 1e6 };
}

function problems(r: VerifyReport): { failures: number; nonGapFindings: number } {
  return { failures: r.summary.failures, nonGapFindings: r.chains.flatMap((c) => c.findings).filter((f) => f.kind !== 'gap').length };
}

export async function runVerifyBench(evidenceDir: string, caseDb?: string): Promise<Record<string, number>> {
  const inp = inputs(evidenceDir);
  const base = { evidence: [inp.evidence], publicKeys: inp.publicKeys, digestMetadata: inp.digestMetadata };
  const cold = await timed(() => verify(base));
  const mb = cold.value.summary.hashedBytes / 1e6;
  const out: Record<string, number> = {
    logFiles: cold.value.summary.logs.total,
    digests: cold.value.summary.digests.total,
    decompressedMB: +mb.toFixed(1),
    coldSeconds: +cold.seconds.toFixed(3),
    coldMBps: Math.round(mb / cold.seconds),
    coldCpuSeconds: +cold.cpuSeconds.toFixed(3),
    coldMBpsPerCpuSecond: Math.round(mb / cold.cpuSeconds),
    failures: problems(cold.value).failures,
    nonGapFindings: problems(cold.value).nonGapFindings,
    exitCode: cold.value.summary.exitCode,
  };
  if (caseDb && fs.existsSync(caseDb)) {
    const warm = await timed(async () => {
      const db = openCase(caseDb);
      try {
        const known = loadKnownHashes(db);
        const r = await verify({ ...base, knownHashes: (p) => known.get(p) });
        saveVerifyRun(db, r, { args: ['bench'], toolVersion: 'bench', startedAt: r.generatedAt });
        return r;
      } finally {
        db.close();
      }
    });
    out.dbSeconds = +warm.seconds.toFixed(3);
    out.dbCpuSeconds = +warm.cpuSeconds.toFixed(3);
    out.dbReusedHashes = warm.value.summary.reusedHashes;
    out.dbSpeedup = +(cold.seconds / warm.seconds).toFixed(2);
    out.dbEffectiveMBps = Math.round(mb / warm.seconds);
    out.dbFailures = warm.value.summary.failures;
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, db] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node dist/bench/verify-bench.js <generated dir or evidence dir> [case.db]\n');
    process.exit(2);
  }
  runVerifyBench(dir, db).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err: Error) => {
      process.stderr.write(`verify bench failed: ${err.stack}\n`);
      process.exit(1);
    },
  );
}
