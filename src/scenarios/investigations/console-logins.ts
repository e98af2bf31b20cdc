// investigate.console-logins: console sign-ins (src/scenarios/console-logins.ts), declared for the registry.

import { investigateConsoleLogins, type ConsoleLoginReport } from '../console-logins.js';
import type { Investigation } from '../descriptor.js';
import { consoleLoginsView } from '../views.js';
import { COMMON_OPTIONS } from './common-options.js';

export const consoleLoginsInvestigation: Investigation<ConsoleLoginReport> = {
  kind: 'code',
  id: 'investigate.console-logins',
  name: 'console-logins',
  command: 'investigate console-logins',
  title: 'Console sign-ins',
  description: `Successes and failures, root logins, logins without MFA, failure bursts by source IP, logins from IPs new for the user. ${COMMON_OPTIONS}`,
  summary: 'Console sign-ins: failures, root, no MFA, failure bursts, new IPs',
  menuTitle: 'Console sign-ins: failures, root, no MFA, new IPs',
  parameters: [],
  example: ['trailhound investigate console-logins --db case.db --format json', 'Sign-ins as JSON'],
  run: (db, _p, common) => investigateConsoleLogins(db, common),
  view: (r, { tz }) => consoleLoginsView(r, tz),
};
