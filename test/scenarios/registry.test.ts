// The scenario registry: every shipped YAML scenario loads, declares what its SQL uses, and runs on a real case;
// definition errors name the file and the field.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { loadBuiltinScenarios } from '../../src/scenarios/builtin.js';
import { bindParameters, builtinScenarioDir, getScenario, parseScenarioYaml, runSqlScenario, type SqlScenario } from '../../src/scenarios/registry.js';
import { sharedCase } from '../helpers/cases.js';
import { repoRoot, sampleDir } from '../helpers/paths.js';

const truth = JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8'));
let db: Db;

beforeAll(() => {
  db = openCase(sharedCase('sample'), { readonly: true });
});
afterAll(() => {
  db?.close();
});

describe('shipped scenarios', () => {
  it('are all registered: one per YAML file, plus the five investigations', () => {
    const all = loadBuiltinScenarios();
    const files = fs.readdirSync(path.join(repoRoot, 'scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(builtinScenarioDir()).toBe(path.join(repoRoot, 'scenarios'));
    expect(all.filter((s) => s.kind === 'sql').map((s) => `${s.id}.yaml`).sort()).toEqual(files.sort());
    expect(all.filter((s) => s.kind === 'code').map((s) => s.id).sort()).toEqual([
      'investigate.access-key',
      'investigate.console-logins',
      'investigate.iam',
      'investigate.instance',
      'investigate.security-group',
    ]);
  });

  it('each YAML query runs on the sample and returns exactly its declared columns', () => {
    const k = truth.incidents.stolenAccessKey;
    const params: Record<string, Record<string, string>> = {
      'access-key.events': { accessKeyId: k.accessKeyId },
      'resource.events': { resourceName: truth.incidents.instanceStopTerminate.instanceId },
    };
    for (const s of loadBuiltinScenarios().filter((x): x is SqlScenario => x.kind === 'sql')) {
      const r = runSqlScenario(db, s, bindParameters(s, params[s.id] ?? {}));
      expect(r.rows.length, s.id).toBeGreaterThan(0);
      for (const row of r.rows) expect(Object.keys(row), s.id).toEqual(s.columns.map((c) => c.name));
    }
  });

  it('answer the seed runbook lookups', () => {
    const k = truth.incidents.stolenAccessKey;
    const rows = runSqlScenario(db, getScenario('access-key.events') as SqlScenario, bindParameters(getScenario('access-key.events'), { accessKeyId: k.accessKeyId, start: k.attackStart, end: k.attackEnd })).rows;
    expect(rows[0]).toMatchObject({ eventId: k.firstMaliciousEventId, eventTime: k.attackStart, sourceIPAddress: k.attackerIps[0] });
    const res = runSqlScenario(db, getScenario('resource.events') as SqlScenario, bindParameters(getScenario('resource.events'), { resourceName: truth.incidents.instanceStopTerminate.instanceId, resourceType: 'AWS::EC2::Instance' })).rows;
    expect(res.map((r) => r.eventName)).toEqual(expect.arrayContaining(truth.incidents.instanceStopTerminate.expectedEventNames));
    const stops = runSqlScenario(db, getScenario('cloudtrail.logging-changes') as SqlScenario, bindParameters(getScenario('cloudtrail.logging-changes'), {})).rows;
    expect(stops.map((r) => r.eventId)).toEqual(expect.arrayContaining([k.stopLoggingEventId, truth.incidents.iamChanges.trailGap.stopLoggingEventId]));
  });

  it('check parameter values', () => {
    const s = getScenario('errors.access-denied');
    expect(bindParameters(s, { minCount: '3', start: '2025-02-12' })).toEqual({ minCount: 3, start: Date.UTC(2025, 1, 12), end: null });
    expect(() => bindParameters(s, { minCount: 'many' })).toThrow('parameter minCount of errors.access-denied: "many" is not a whole number');
    expect(() => bindParameters(getScenario('access-key.events'), { accessKeyId: 'x' })).toThrow('does not match the expected form');
  });
});

describe('YAML definition errors name the file and the field', () => {
  const good = `id: x.y\ntitle: T\ndescription: D\nparameters:\n  a: {type: string, description: A}\nsql: SELECT :a AS v\ncolumns:\n  - {name: v, description: V}\n`;
  it('accepts a minimal scenario', () => {
    expect(parseScenarioYaml(good, '/s/x.y.yaml')).toMatchObject({ id: 'x.y', kind: 'sql', parameters: [{ name: 'a', type: 'string', required: false, default: null }] });
  });
  it.each([
    [good.replace('SELECT :a AS v', 'SELECT :a, :b AS v'), '/s/x.y.yaml: sql uses :b, which "parameters" does not declare'],
    [good.replace('SELECT :a AS v', 'DELETE FROM events WHERE :a'), '/s/x.y.yaml: sql must be one SELECT (or WITH ... SELECT) statement: scenarios only read the case'],
    [good.replace('type: string', 'type: date'), '/s/x.y.yaml: parameter a: unknown type "date"; allowed: string, integer, number, boolean, time'],
    [`${good}extra: 1\n`, '/s/x.y.yaml: unknown field "extra"; allowed: id, title, description, parameters, sql, columns'],
    [good.replace('id: x.y', 'id: X Y'), '/s/x.y.yaml: id "X Y" must be dotted lower-case words, e.g. iam.root-activity'],
  ])('%#', (text, message) => {
    expect(() => parseScenarioYaml(text, '/s/x.y.yaml')).toThrow(message);
  });
  it('requires the file to be named after the id', () => {
    expect(() => parseScenarioYaml(good, '/s/other.yaml')).toThrow('/s/other.yaml: the file of scenario "x.y" must be named x.y.yaml');
  });
});
