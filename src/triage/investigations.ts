// The investigations a triage runs without being asked a question: the case-wide ones (iam, console-logins,
// security-group --all) from the registry, then `access-key` on every key a high or critical finding cites (its
// lineage, suspect window and response plan). Each runs with its registry defaults.

import type { Db } from '../index/open.js';
import { loadBuiltinInvestigations } from '../scenarios/builtin.js';
import { getScenario } from '../scenarios/registry.js';
import type { Investigation, ParameterValues } from '../scenarios/descriptor.js';
import type { InvestigationOptions } from '../scenarios/common.js';
import type { InvestigationFindingInput } from './findings.js';
import type { KeyFollowUp } from './actors.js';
import type { ResponseInput } from './next-steps.js';

/** The case-wide investigations and the parameters that make them case-wide. */
export const CASE_WIDE: ReadonlyArray<{ name: string; params: ParameterValues }> = [
  { name: 'iam', params: {} },
  { name: 'console-logins', params: {} },
  { name: 'security-group', params: { all: true } },
];

function investigation(name: string): Investigation {
  loadBuiltinInvestigations();
  const s = getScenario(`investigate.${name}`);
  if (s.kind !== 'code') throw new Error(`investigate.${name} is not a code investigation`);
  return s;
}

function withDefaults(inv: Investigation, given: ParameterValues): ParameterValues {
  const out: ParameterValues = {};
  for (const p of inv.parameters) out[p.name] = p.default;
  return { ...out, ...given };
}

interface WithFindings {
  findings?: Array<{ type: string; severity: string; message: string; eventIds: string[] }>;
}

/** Run one investigation; its findings tagged with its name. */
export function runInvestigation(db: Db, name: string, params: ParameterValues, common: InvestigationOptions): { result: unknown; findings: InvestigationFindingInput[] } {
  const inv = investigation(name);
  const result = inv.run(db, withDefaults(inv, params), common);
  const findings = ((result as WithFindings).findings ?? []).map((f) => ({ type: f.type, severity: f.severity, message: f.message, eventIds: f.eventIds, investigation: name }));
  return { result, findings };
}

interface AccessKeyResult {
  found: boolean;
  accessKeyId: string;
  owner: { arn?: string | null; userName?: string | null } | null;
  suspectWindow: KeyFollowUp['suspectWindow'];
  createdAccessKeys?: Array<{ accessKeyId: string; userName?: string | null }>;
  derivedCredentials?: Array<{ accessKeyId: string; via: string; roleArn?: string | null }>;
  response?: ResponseInput[];
}

/** `investigate access-key` on one key, as the triage uses it; null when the case has nothing of the key. */
export function followUpKey(db: Db, key: string, common: InvestigationOptions): { followUp: KeyFollowUp; findings: InvestigationFindingInput[]; responses: ResponseInput[] } | null {
  const { result, findings } = runInvestigation(db, 'access-key', { accessKeyId: key }, common);
  const r = result as AccessKeyResult;
  if (!r.found) return null;
  return {
    followUp: {
      accessKeyId: key,
      owner: r.owner ? { arn: r.owner.arn ?? null, userName: r.owner.userName ?? null } : null,
      suspectWindow: r.suspectWindow && r.suspectWindow.start && r.suspectWindow.end ? r.suspectWindow : null,
      createdAccessKeys: (r.createdAccessKeys ?? []).map((c) => ({ accessKeyId: c.accessKeyId, userName: c.userName ?? null })),
      derivedCredentials: (r.derivedCredentials ?? []).map((d) => ({ accessKeyId: d.accessKeyId, via: d.via, roleArn: d.roleArn ?? null })),
    },
    findings,
    // A response plan only for a key the investigation found a suspect window for: a key that merely appears in a
    // severe finding (a victim of a failed sign-in burst) is not to be disabled on that alone.
    // A window judged with low confidence (a thin baseline) says so in every command's description: confirm first.
    responses: r.suspectWindow?.start
      ? (r.response ?? []).map((x) => ({ description: r.suspectWindow?.confidence === 'low' ? `if the activity is confirmed malicious (suspect window of low confidence): ${x.description}` : x.description, command: x.command }))
      : [],
  };
}
