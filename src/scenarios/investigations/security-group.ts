// investigate.security-group: rule changes of one security group or of all (src/scenarios/security-group.ts),
// declared for the registry.

import { InvestigationInputError } from '../../model/errors.js';
import type { Investigation } from '../descriptor.js';
import { investigateAllSecurityGroups, investigateSecurityGroup, type AllGroupsReport, type SecurityGroupReport } from '../security-group.js';
import { allGroupsView, securityGroupView } from '../views.js';
import { COMMON_OPTIONS } from './common-options.js';

type Result = SecurityGroupReport | AllGroupsReport;

const isAll = (r: Result): r is AllGroupsReport => 'groups' in r;

export const securityGroupInvestigation: Investigation<Result> = {
  kind: 'code',
  id: 'investigate.security-group',
  name: 'security-group',
  command: 'investigate security-group <sg-…> | --all',
  title: 'Security-group rule changes',
  description: `Rule changes normalised across every API form, failed attempts apart, the rule set at --at reconstructed from the evidence, world-open sensitive ports flagged. ${COMMON_OPTIONS}`,
  summary: 'Rule changes of a security group (or --all), failed attempts, and the rule set at a time',
  menuTitle: 'Security-group rule changes with rule diffs',
  parameters: [
    {
      name: 'groupId',
      type: 'string',
      description: 'The security group ID (or --all)',
      required: false,
      default: null,
      pattern: '^sg-[0-9a-f]{8}([0-9a-f]{9})?$',
      cli: { positional: true, describe: 'Security group ID, sg-…' },
      form: { label: 'Security group ID (empty: every group)', example: 'sg-…', fill: 'groupId' },
    },
    {
      name: 'all',
      type: 'boolean',
      description: 'Every group with changes in the range',
      required: false,
      default: false,
      pattern: null,
      cliOnly: true,
      cli: { option: 'all', describe: 'Every group with changes in the range' },
    },
    {
      name: 'at',
      type: 'time',
      description: 'Time of the reconstructed rule set (default: end of the range, else the last change)',
      required: false,
      default: null,
      pattern: null,
      cli: { option: 'at', describe: 'Time of the reconstructed rule set (default: --end-time, else the last change)' },
    },
  ],
  example: ['trailhound investigate security-group sg-0123456789abcdef0 --db case.db --at 2025-02-12T00:00:00Z', 'A group and its rules at a time'],
  check: (p) => {
    if (p.all && p.groupId) throw new InvestigationInputError('give either a security group ID or --all, not both');
    if (!p.all && !p.groupId) throw new InvestigationInputError('name a security group (sg-…) or use --all');
  },
  // Without a group ID (--all on the command line, an empty field in the TUI): every group.
  run: (db, p, common) => {
    const opts = { ...common, at: p.at as number | null };
    return p.groupId ? investigateSecurityGroup(db, String(p.groupId), opts) : investigateAllSecurityGroups(db, opts);
  },
  view: (r, { tz }) => (isAll(r) ? allGroupsView(r, tz) : securityGroupView(r, tz)),
  notFound: (r) => (isAll(r) || r.found ? null : `no security-group call in the case names ${r.groupId}`),
};
