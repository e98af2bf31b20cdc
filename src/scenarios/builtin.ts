// The scenarios trailhound ships: the investigations that need code (one descriptor each, in investigations/) and
// the YAML named queries in scenarios/, all in one registry (`trailhound investigate list`). The order below is the
// order of `trailhound investigate --help` and of the TUI's investigations menu.

import type { Investigation } from './descriptor.js';
import { accessKeyInvestigation } from './investigations/access-key.js';
import { consoleLoginsInvestigation } from './investigations/console-logins.js';
import { iamInvestigation } from './investigations/iam.js';
import { instanceInvestigation } from './investigations/instance.js';
import { securityGroupInvestigation } from './investigations/security-group.js';
import { builtinScenarioDir, listScenarios, loadScenarioDir, registerScenario, type Scenario } from './registry.js';

const INVESTIGATIONS: readonly Investigation[] = [
  accessKeyInvestigation,
  instanceInvestigation,
  securityGroupInvestigation,
  iamInvestigation,
  consoleLoginsInvestigation,
];

let investigationsLoaded = false;
let queriesLoaded = false;

/** Register the shipped code investigations once (they cannot fail to load). */
export function loadBuiltinInvestigations(): void {
  if (investigationsLoaded) return;
  for (const d of INVESTIGATIONS) registerScenario(d);
  investigationsLoaded = true;
}

/** Register every shipped scenario once (YAML from `dir`, default the shipped scenarios/ folder); returns the registry's list. */
export function loadBuiltinScenarios(dir?: string): Scenario[] {
  loadBuiltinInvestigations();
  if (!queriesLoaded) {
    loadScenarioDir(dir ?? builtinScenarioDir());
    queriesLoaded = true;
  }
  return listScenarios();
}
