// Investigation benchmark (issue 4 targets): milliseconds per investigation on a large case, median of a few runs
// after one warm-up, in-process, result objects built but not rendered. Targets: each investigation ≤ 1 s;
// access-key with lineage over 10 levels of chaining ≤ 2 s (measured when the facts name a deep chain's root key).
// Called by bench/run.ts with the case's ground truth; also runnable alone:
//   node dist/bench/investigate-bench.js CASE.db AKIA… i-… sg-… [CHAIN-ROOT-KEY]

import { openCase } from '../src/index/open.js';
import { investigateAccessKey } from '../src/scenarios/access-key.js';
import { investigateInstance } from '../src/scenarios/instance.js';
import { investigateAllSecurityGroups, investigateSecurityGroup } from '../src/scenarios/security-group.js';
import { investigateIam } from '../src/scenarios/iam.js';
import { investigateConsoleLogins } from '../src/scenarios/console-logins.js';
import type { InvestigationOptions } from '../src/scenarios/common.js';

const RUNS = 5;

export interface InvestigateFacts {
  accessKeyId: string;
  instanceId: string;
  groupId: string;
  /** Root key of a deep (≥ 10 levels) AssumeRole chain, when the case has one. */
  chainAccessKeyId?: string;
  /** The attack pack's leaked CI key: a key whose whole history is the attack (thin baseline), when planted. */
  leakedAccessKeyId?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number {
  fn();
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return Math.round(median(xs) * 10) / 10;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Accept the facts directly, or a fixture ground-truth.json (incidents.*). */
export function factsFrom(x: unknown): InvestigateFacts {
  const o = (x ?? {}) as Record<string, unknown>;
  if (typeof o.accessKeyId === 'string') return o as unknown as InvestigateFacts;
  const inc = (o.incidents ?? {}) as Record<string, Record<string, unknown>>;
  const chain = (inc.roleChain ?? inc.deepRoleChain ?? {}) as Record<string, unknown>;
  return {
    accessKeyId: String(inc.stolenAccessKey?.accessKeyId),
    instanceId: String(inc.instanceStopTerminate?.instanceId),
    groupId: String(inc.securityGroups?.createdGroupId),
    chainAccessKeyId: typeof chain.accessKeyId === 'string' ? chain.accessKeyId : typeof chain.rootAccessKeyId === 'string' ? chain.rootAccessKeyId : undefined,
    leakedAccessKeyId: str((inc.attackPack?.leakedKey as Record<string, unknown> | undefined)?.accessKeyId),
  };
}

export async function runInvestigateBench(caseDb: string, facts: InvestigateFacts | Record<string, unknown>): Promise<Record<string, number>> {
  const f = factsFrom(facts);
  const db = openCase(caseDb, { readonly: true });
  const opts: InvestigationOptions = { filter: {}, tz: 'UTC' };
  try {
    const out: Record<string, number> = {
      accessKeyMs: time(() => investigateAccessKey(db, f.accessKeyId, opts)),
      instanceMs: time(() => investigateInstance(db, f.instanceId, opts)),
      securityGroupMs: time(() => investigateSecurityGroup(db, f.groupId, opts)),
      securityGroupAllMs: time(() => investigateAllSecurityGroups(db, opts)),
      iamMs: time(() => investigateIam(db, opts)),
      consoleLoginsMs: time(() => investigateConsoleLogins(db, opts)),
    };
    if (f.leakedAccessKeyId) out.accessKeyLeakedMs = time(() => investigateAccessKey(db, f.leakedAccessKeyId!, opts));
    if (f.chainAccessKeyId) {
      let depth = 0;
      out.accessKeyDeepChainMs = time(() => {
        const r = investigateAccessKey(db, f.chainAccessKeyId!, opts);
        depth = Math.max(0, ...r.derivedCredentials.map((d) => d.depth));
      });
      out.deepChainLevels = depth;
    }
    out.derivedCredentials = investigateAccessKey(db, f.accessKeyId, opts).derivedCredentials.length;
    return out;
  } finally {
    db.close();
  }
}

if (process.argv[1] && /investigate-bench\.js$/.test(process.argv[1])) {
  const [dbPath, accessKeyId, instanceId, groupId, chainAccessKeyId] = process.argv.slice(2);
  if (!dbPath || !accessKeyId || !instanceId || !groupId) {
    process.stderr.write('usage: node dist/bench/investigate-bench.js CASE.db AKIA… i-… sg-… [CHAIN-ROOT-KEY]\n');
    process.exit(2);
  }
  runInvestigateBench(dbPath, { accessKeyId, instanceId, groupId, chainAccessKeyId }).then((r) => process.stdout.write(`${JSON.stringify(r)}\n`));
}
