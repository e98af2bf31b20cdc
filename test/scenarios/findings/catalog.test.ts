// Every finding an investigation emits is in the catalog (src/model/finding-types.ts), at the catalog's level: checked
// at run time over every subject of the committed sample (each access key, instance and security group, IAM and the
// console sign-ins), beside the compile-time check of finding()'s typed id. And every catalog type has its tests in
// this folder, in a describe block named after its id.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../../src/index/open.js';
import { FINDING_TYPES, findingType, isFindingTypeId } from '../../../src/model/finding-types.js';
import { investigateAccessKey } from '../../../src/scenarios/access-key.js';
import type { InvestigationFinding } from '../../../src/scenarios/common.js';
import { investigateConsoleLogins } from '../../../src/scenarios/console-logins.js';
import { investigateIam } from '../../../src/scenarios/iam.js';
import { investigateInstance } from '../../../src/scenarios/instance.js';
import { investigateAllSecurityGroups, investigateSecurityGroup } from '../../../src/scenarios/security-group.js';
import { loadBuiltinInvestigations } from '../../../src/scenarios/builtin.js';
import { listScenarios } from '../../../src/scenarios/registry.js';
import { sharedCase } from '../../helpers/cases.js';
import { OPTS } from './synthetic-case.js';

const SEVERITY = { informational: 'info', low: 'low', medium: 'medium', high: 'high' } as const;

let db: Db;
/** Every finding of every investigation over every subject of the sample, with what emitted it. */
const emitted: Array<{ by: string; finding: InvestigationFinding }> = [];

beforeAll(() => {
  db = openCase(sharedCase('sample'), { readonly: true });
  const distinct = (sql: string) => (db.prepare(sql).all() as Array<{ v: string }>).map((r) => r.v);
  const add = (by: string, findings: readonly InvestigationFinding[]) => findings.forEach((finding) => emitted.push({ by, finding }));
  for (const k of distinct('SELECT DISTINCT access_key_id AS v FROM events_v WHERE access_key_id IS NOT NULL')) add(`access-key ${k}`, investigateAccessKey(db, k, OPTS).findings);
  const resources = (type: string) => distinct(`SELECT DISTINCT resource_name AS v FROM event_resources_v WHERE resource_type = '${type}'`);
  for (const i of resources('AWS::EC2::Instance').filter((x) => /^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(x))) add(`instance ${i}`, investigateInstance(db, i, OPTS).findings);
  for (const g of resources('AWS::EC2::SecurityGroup').filter((x) => /^sg-[0-9a-f]+$/.test(x))) add(`security-group ${g}`, investigateSecurityGroup(db, g, OPTS).findings);
  add('security-group --all', investigateAllSecurityGroups(db, OPTS).findings);
  add('iam', investigateIam(db, OPTS).findings);
  add('console-logins', investigateConsoleLogins(db, OPTS).findings);
});

afterAll(() => db?.close());

describe('the findings of the investigations on the sample', () => {
  it('cover every investigation (the check has something to check)', () => {
    const by = new Set(emitted.map((e) => e.by.split(' ')[0]));
    expect([...by].sort()).toEqual(['access-key', 'console-logins', 'iam', 'instance', 'security-group']);
    expect(new Set(emitted.map((e) => e.finding.type)).size).toBeGreaterThanOrEqual(15);
  });

  it('are all of a catalog type, emitted by the investigation the catalog names', () => {
    const unknown = emitted.filter((e) => !isFindingTypeId(e.finding.type)).map((e) => `${e.by}: ${e.finding.type}`);
    expect(unknown).toEqual([]);
    const elsewhere = emitted.filter((e) => !e.by.startsWith(findingType(e.finding.type).investigation)).map((e) => `${e.by}: ${e.finding.type}`);
    expect(elsewhere).toEqual([]);
  });

  it("have the catalog's level (or its alternate level) as severity", () => {
    const wrong = emitted.filter(({ finding: f }) => {
      const t = findingType(f.type);
      return f.severity !== SEVERITY[t.level] && f.severity !== (t.alternateLevel && SEVERITY[t.alternateLevel.level]);
    });
    expect(wrong.map((e) => `${e.by}: ${e.finding.type} ${e.finding.severity}`)).toEqual([]);
  });

  it('have the JSON fields every finding has', () => {
    for (const { finding: f } of emitted) {
      expect(Object.keys(f).slice(0, 4)).toEqual(['type', 'severity', 'message', 'eventIds']);
      expect(f.message.length).toBeGreaterThan(0);
    }
  });
});

describe('the catalog', () => {
  it('names only investigations that exist', () => {
    loadBuiltinInvestigations();
    const names = listScenarios().flatMap((s) => (s.kind === 'code' ? [s.name] : []));
    expect(FINDING_TYPES.filter((t) => !names.includes(t.investigation)).map((t) => t.id)).toEqual([]);
  });
});

describe('the finding-type tests', () => {
  const dir = path.dirname(new URL(import.meta.url).pathname);
  const text = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  it('have a describe block named after each catalog id', () => {
    expect(FINDING_TYPES.filter((t) => !text.includes(`describe('${t.id}', () => {`)).map((t) => t.id)).toEqual([]);
  });
});
