// The scenarios trailhound ships: the YAML queries in scenarios/ and the investigations that need code, all in one
// registry (`trailhound investigate list`).

import { builtinScenarioDir, listScenarios, loadScenarioDir, registerScenario, type CodeScenario, type Scenario } from './registry.js';

const COMMON = 'Common options: --db, --start-time/--end-time, --account, --region, --tz, --format table|json|md.';

const CODE: readonly CodeScenario[] = [
  {
    kind: 'code',
    id: 'investigate.access-key',
    command: 'investigate access-key <AKIA…|ASIA…>',
    title: 'Suspected stolen access key',
    description: `Owner, credential lineage (STS and CreateAccessKey, recursively, across accounts), every event signed by the key and what it minted, baseline anomalies and suspect window, sensitive actions, and aws-cli response commands. ${COMMON}`,
    parameters: [
      { name: 'accessKeyId', type: 'string', description: 'The access key ID', required: true, default: null, pattern: '^A[A-Z0-9]{15,127}$' },
      { name: 'since', type: 'time', description: 'Start of the suspect window (default: the first anomaly found)', required: false, default: null, pattern: null },
      { name: 'baselineDays', type: 'integer', description: "The owner's most recent active days before the window that form the baseline", required: false, default: 30, pattern: null },
    ],
  },
  {
    kind: 'code',
    id: 'investigate.instance',
    command: 'investigate instance <i-…>',
    title: 'EC2 instance history',
    description: `Every event that names the instance, with the actor fully attributed (role, session, who assumed it), lifecycle actions highlighted and service-initiated actions labelled. ${COMMON}`,
    parameters: [{ name: 'instanceId', type: 'string', description: 'The instance ID', required: true, default: null, pattern: '^i-[0-9a-f]{8}([0-9a-f]{9})?$' }],
  },
  {
    kind: 'code',
    id: 'investigate.security-group',
    command: 'investigate security-group <sg-…> | --all',
    title: 'Security-group rule changes',
    description: `Rule changes normalised across every API form, failed attempts apart, the rule set at --at reconstructed from the evidence, world-open sensitive ports flagged. ${COMMON}`,
    parameters: [
      { name: 'groupId', type: 'string', description: 'The security group ID (or --all)', required: false, default: null, pattern: '^sg-[0-9a-f]{8}([0-9a-f]{9})?$' },
      { name: 'at', type: 'time', description: 'Time of the reconstructed rule set (default: end of the range, else the last change)', required: false, default: null, pattern: null },
    ],
  },
  {
    kind: 'code',
    id: 'investigate.iam',
    command: 'investigate iam [--principal NAME]',
    title: 'IAM change audit',
    description: `Every IAM write with policy documents decoded, trust-policy diffs, and findings: admin-equivalent grants, trust to external accounts, backdoor users. ${COMMON}`,
    parameters: [{ name: 'principal', type: 'string', description: 'Only changes to or by this user, role, group or policy', required: false, default: null, pattern: null }],
  },
  {
    kind: 'code',
    id: 'investigate.console-logins',
    command: 'investigate console-logins',
    title: 'Console sign-ins',
    description: `Successes and failures, root logins, logins without MFA, failure bursts by source IP, logins from IPs new for the user. ${COMMON}`,
    parameters: [],
  },
];

let loaded = false;

/** Register the shipped scenarios once (YAML from `dir`, default the shipped scenarios/ folder). */
export function loadBuiltinScenarios(dir?: string): Scenario[] {
  if (!loaded) {
    for (const s of CODE) registerScenario(s);
    loadScenarioDir(dir ?? builtinScenarioDir());
    loaded = true;
  }
  return listScenarios();
}
