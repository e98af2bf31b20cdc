// What to run next: the trailhound commands that dig into each actor, instance, security group and address the
// triage points at, and the response commands (aws-cli) the access-key follow-ups propose. Printed, never executed;
// every value from the evidence is shell-quoted.

import { shellQuote as q } from '../model/shell.js';
import { levelRank } from '../model/detection.js';
import type { BlindSpot, NextStep, TriageActor, TriageFinding } from '../model/triage.js';

/** Steps of each kind at most. */
const MAX_EACH = 10;

export interface ResponseInput {
  description: string;
  command: string;
}

function ids(findings: readonly TriageFinding[], re: RegExp): string[] {
  const out = new Set<string>();
  for (const f of findings) {
    const text = [...Object.values(f.details).flat(), f.title].join(' ');
    for (const m of text.matchAll(re)) out.add(m[0]);
  }
  return [...out].sort();
}

export function nextSteps(input: {
  db: string;
  findings: readonly TriageFinding[];
  actors: readonly TriageActor[];
  blindSpots: readonly BlindSpot[];
  responses: readonly ResponseInput[];
  /** Instances stopped or terminated by people (not AWS services). */
  instances: readonly string[];
  /** Source IPs first seen after the baseline (stack counts' "new"). */
  newIps: ReadonlySet<string>;
}): NextStep[] {
  const db = q(input.db);
  const out: NextStep[] = [];
  if (input.blindSpots.some((b) => b.kind === 'not-verified')) {
    out.push({ kind: 'investigate', command: `trailhound verify --db ${db}`, why: 'nothing is proven yet: verify the digest chains (add --public-keys with the saved list-public-keys output if the evidence lacks it)' });
  }
  for (const a of input.actors.filter((x) => x.kind === 'access-key').slice(0, MAX_EACH)) {
    out.push({ kind: 'investigate', command: `trailhound investigate access-key ${q(a.id)} --db ${db}`, why: `everything key ${a.id} and the sessions it spawned did (${a.findingIds.length} findings)` });
  }
  for (const a of input.actors.filter((x) => x.kind === 'principal').slice(0, MAX_EACH)) {
    out.push({ kind: 'investigate', command: `trailhound search --db ${db} --principal-arn ${q(a.id)} --order oldest`, why: `every call of ${a.id} (${a.events} events, ${a.findingIds.length} findings)` });
  }
  const severe = input.findings.filter((f) => levelRank(f.level) >= levelRank('high'));
  const instances = [...new Set([...ids(severe, /\bi-[0-9a-f]{8,17}\b/g), ...input.instances])].sort().slice(0, MAX_EACH);
  for (const i of instances) out.push({ kind: 'investigate', command: `trailhound investigate instance ${q(i)} --db ${db}`, why: `who launched, stopped or terminated ${i}, and what its role session did` });
  for (const g of ids(severe, /\bsg-[0-9a-f]{8,17}\b/g).slice(0, MAX_EACH)) {
    out.push({ kind: 'investigate', command: `trailhound investigate security-group ${q(g)} --db ${db}`, why: `every rule change on ${g}, opened and closed` });
  }
  // New addresses behind severe findings: whoever else used them.
  const ips = new Set<string>();
  for (const f of severe) for (const ip of f.sourceIps) if (input.newIps.has(ip)) ips.add(ip);
  for (const ip of [...ips].slice(0, MAX_EACH)) out.push({ kind: 'investigate', command: `trailhound search --db ${db} --source-ip ${q(ip)} --order oldest`, why: `every call from ${ip}, whoever made it` });
  out.push({ kind: 'investigate', command: `trailhound detect --db ${db} --min-level low`, why: 'every rule finding, low ones included' });
  out.push({ kind: 'investigate', command: `trailhound tui --db ${db}`, why: 'browse the findings and events interactively' });
  const seen = new Set<string>();
  for (const r of input.responses) {
    if (seen.has(r.command)) continue;
    seen.add(r.command);
    out.push({ kind: 'response', command: r.command, why: r.description });
  }
  return out;
}
