// investigate.iam: the IAM change audit (src/scenarios/iam.ts), declared for the registry.

import type { Investigation } from '../descriptor.js';
import { investigateIam, type IamReport } from '../iam.js';
import { iamView } from '../views.js';
import { COMMON_OPTIONS } from './common-options.js';

export const iamInvestigation: Investigation<IamReport> = {
  kind: 'code',
  id: 'investigate.iam',
  name: 'iam',
  command: 'investigate iam [--principal NAME]',
  title: 'IAM change audit',
  description: `Every IAM write with policy documents decoded, trust-policy diffs, and findings: admin-equivalent grants, trust to external accounts, backdoor users. ${COMMON_OPTIONS}`,
  summary: 'Every IAM write with decoded policies and trust diffs; admin grants, external trust, backdoor users',
  menuTitle: 'IAM changes: policies, trust, admin grants, backdoor users',
  parameters: [
    {
      name: 'principal',
      type: 'string',
      description: 'Only changes to or by this user, role, group or policy',
      required: false,
      default: null,
      pattern: null,
      cli: { option: 'principal', describe: 'Only changes to or by this user, role, group or policy (name or ARN)' },
      form: { label: 'Principal (empty: all)', example: 'user or role name, or ARN' },
    },
  ],
  example: ['trailhound investigate iam --db case.db --start-time 2024-02-17 --end-time 2024-02-17', 'IAM changes of a day'],
  run: (db, p, common) => investigateIam(db, { ...common, principal: (p.principal as string | null) ?? null }),
  view: (r, { tz }) => iamView(r, tz),
};
