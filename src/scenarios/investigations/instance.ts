// investigate.instance: an EC2 instance's history (src/scenarios/instance.ts), declared for the registry.

import type { Investigation } from '../descriptor.js';
import { investigateInstance, type InstanceReport } from '../instance.js';
import { instanceView } from '../views.js';
import { COMMON_OPTIONS } from './common-options.js';

export const instanceInvestigation: Investigation<InstanceReport> = {
  kind: 'code',
  id: 'investigate.instance',
  name: 'instance',
  command: 'investigate instance <i-…>',
  title: 'EC2 instance history',
  description: `Every event that names the instance, with the actor fully attributed (role, session, who assumed it), lifecycle actions highlighted and service-initiated actions labelled; and its role sessions (instance-profile credentials): what they did, and calls from addresses that are not the instance's. ${COMMON_OPTIONS}`,
  summary: 'Every event that names an EC2 instance, with fully attributed actors and lifecycle actions highlighted, and its role sessions used elsewhere',
  menuTitle: 'Instance history: who launched, stopped, terminated it',
  parameters: [
    {
      name: 'instanceId',
      type: 'string',
      description: 'The instance ID',
      required: true,
      default: null,
      pattern: '^i-[0-9a-f]{8}([0-9a-f]{9})?$',
      cli: { positional: true, describe: 'Instance ID, i-…' },
      form: { label: 'Instance ID', example: 'i-…', fill: 'instanceId' },
    },
  ],
  example: ['trailhound investigate instance i-1234567890abcdef0 --db case.db', 'Who stopped/terminated an instance'],
  run: (db, p, common) => investigateInstance(db, String(p.instanceId), common),
  view: (r, { tz }) => instanceView(r, tz),
  notFound: (r) => (r.found ? null : `no event in the case names ${r.instanceId}`),
};
