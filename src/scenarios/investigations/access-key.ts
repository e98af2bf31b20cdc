// investigate.access-key: a suspected stolen access key (src/scenarios/access-key.ts), declared for the registry.

import { investigateAccessKey, type AccessKeyReport } from '../access-key.js';
import type { Investigation } from '../descriptor.js';
import { accessKeyLineage, accessKeyView } from '../views.js';
import { COMMON_OPTIONS } from './common-options.js';

export const accessKeyInvestigation: Investigation<AccessKeyReport> = {
  kind: 'code',
  id: 'investigate.access-key',
  name: 'access-key',
  command: 'investigate access-key <AKIA…|ASIA…>',
  title: 'Suspected stolen access key',
  description: `Owner, credential lineage (STS and CreateAccessKey, recursively, across accounts), every event signed by the key and what it minted, baseline anomalies and suspect window, sensitive actions, and aws-cli response commands. ${COMMON_OPTIONS}`,
  summary: 'Suspected stolen key: owner, credential lineage, every event, baseline anomalies, sensitive actions, response commands',
  menuTitle: 'Access key: owner, credential lineage, every event, anomalies',
  parameters: [
    {
      name: 'accessKeyId',
      type: 'string',
      description: 'The access key ID',
      required: true,
      default: null,
      pattern: '^A[A-Z0-9]{15,127}$',
      cli: { positional: true, describe: 'AKIA… (long-term) or ASIA… (temporary) key ID' },
      form: { label: 'Access key ID', example: 'AKIA… or ASIA…', fill: 'accessKey' },
    },
    {
      name: 'since',
      type: 'time',
      description: 'Start of the suspect window (default: the first anomaly found)',
      required: false,
      default: null,
      pattern: null,
      cli: { option: 'since', describe: 'Start of the suspect window (default: the first anomaly the tool finds)' },
    },
    {
      name: 'baselineDays',
      type: 'integer',
      description: "The owner's most recent active days before the window that form the baseline",
      required: false,
      default: 30,
      pattern: null,
      min: 1,
      cli: { option: 'baseline-days', describe: "Baseline: the owner's most recent N active days (days with events) before the window" },
    },
    {
      name: 'allEvents',
      type: 'boolean',
      description: 'List every event, not only those in the suspect window',
      required: false,
      default: false,
      pattern: null,
      cliOnly: true,
      cli: { option: 'all-events', describe: 'Table/md: list every event, not only those in the suspect window' },
    },
  ],
  example: ['trailhound investigate access-key AKIAXXXXXXXXXXXXXXXX --db case.db', 'Stolen key'],
  commandExamples: [['trailhound investigate access-key AKIAXXXXXXXXXXXXXXXX --db case.db --tz Asia/Seoul', 'Everything the key and its derived credentials did']],
  run: (db, p, common) => investigateAccessKey(db, String(p.accessKeyId), { ...common, since: p.since as number | null, baselineDays: p.baselineDays as number }),
  // The table shows the suspect window's events unless asked for all; the TUI and exports have every one.
  view: (r, { tz, params, full }) => accessKeyView(r, tz, { allEvents: params.allEvents === true || full }),
  notFound: (r) => (r.found ? null : `the case has no event signed with, creating or minting ${r.accessKeyId}`),
  tree: (r, tz) => (r.found ? { title: 'Credential lineage (tree)', lines: accessKeyLineage(r, tz) } : null),
};
