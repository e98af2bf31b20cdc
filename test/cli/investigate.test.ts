// investigate through the built CLI on the sample: JSON contracts (docs/investigations.md), table/md output with
// attacker text escaped, usage errors asserted exactly, not-found explained, named queries run from scenarios/.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { sharedCase } from '../helpers/cases.js';
import { repoRoot } from '../helpers/paths.js';
import { truth } from '../helpers/sample.js';

describe('investigate (CLI)', () => {
  let db = '';
  const inv = (...args: string[]) => runCliInProcess(['investigate', ...args, '--db', db]);
  const json = async (...args: string[]) => {
    const r = await inv(...args, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return JSON.parse(r.stdout) as any;
  };
  beforeAll(() => {
    db = sharedCase('sample');
  });

  it('access-key --format json carries the documented fields', async () => {
    const k = truth.incidents.stolenAccessKey;
    const r = await json('access-key', k.accessKeyId);
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(['accessKeyId', 'owner', 'derivedCredentials', 'createdAccessKeys', 'events', 'sourceIps', 'newRegions', 'newServices', 'suspectWindow', 'response', 'findings']),
    );
    expect(r.owner).toMatchObject({ userName: k.userName, arn: k.userArn, accountId: k.account });
    expect(Object.keys(r.derivedCredentials[0])).toEqual(expect.arrayContaining(['accessKeyId', 'parentAccessKeyId', 'via', 'eventId', 'roleArn']));
    expect(Object.keys(r.events[0])).toEqual(expect.arrayContaining(['eventId', 'eventTime', 'eventName', 'eventSource', 'awsRegion', 'sourceIPAddress', 'accessKeyId', 'errorCode', 'trust']));
    expect(Object.keys(r.sourceIps[0])).toEqual(['ip', 'count', 'firstSeen', 'lastSeen', 'new']);
    expect(r.suspectWindow).toMatchObject({ start: k.attackStart, end: k.attackEnd });
    expect(r.events[0].eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('access-key as a table shows the lineage, the window in --tz and the response commands', async () => {
    const k = truth.incidents.stolenAccessKey;
    const r = await inv('access-key', k.accessKeyId, '--tz', '+09:00', '--width', '200');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('── Credential lineage');
    expect(r.stdout).toContain(k.crossAccount.accessKeyId);
    expect(r.stdout).toContain(`aws iam update-access-key --user-name ${k.userName} --access-key-id ${k.accessKeyId} --status Inactive`);
    // 23:41:07Z is 08:41:07 the next day at +09:00.
    const start = new Date(Date.parse(k.attackStart) + 9 * 3600_000).toISOString().slice(0, 19);
    expect(r.stdout).toContain(`${start}+09:00`);
    expect(r.stdout).not.toMatch(/\u001b/);
  });

  it('instance, security-group, iam and console-logins answer in JSON with their documented fields', async () => {
    const i = truth.incidents.instanceStopTerminate;
    const ir = await json('instance', i.instanceId);
    expect(ir.instanceId).toBe(i.instanceId);
    const stop = ir.events.find((e: { eventId: string }) => e.eventId === i.stopEventId);
    expect(Object.keys(stop.actor)).toEqual(expect.arrayContaining(['type', 'arn', 'sessionIssuerArn', 'assumedBy']));
    expect(stop.actor.sessionIssuerArn).toBe(i.roleArn);

    const g = truth.incidents.securityGroups;
    const sg = await json('security-group', g.createdGroupId, '--at', g.worldOpenWindow.from);
    expect(Object.keys(sg)).toEqual(expect.arrayContaining(['groupId', 'changes', 'failedAttempts', 'rulesAt']));
    expect(Object.keys(sg.changes[0])).toEqual(
      expect.arrayContaining(['eventId', 'eventTime', 'eventName', 'action', 'direction', 'protocol', 'fromPort', 'toPort', 'source', 'description', 'actorArn']),
    );
    expect(sg.rulesAt).toMatchObject({ time: g.worldOpenWindow.from, complete: true });
    expect((await json('security-group', '--all')).groups.length).toBeGreaterThanOrEqual(2);

    const iam = await json('iam', '--start-time', truth.incidents.iamChanges.day, '--end-time', truth.incidents.iamChanges.day);
    expect(Object.keys(iam.changes[0])).toEqual(expect.arrayContaining(['eventId', 'eventTime', 'eventName', 'target', 'detail', 'actorArn', 'sourceIPAddress']));
    expect(iam.changes).toHaveLength(truth.runbook.iamEventSourceLookup.events);

    const cl = await json('console-logins');
    expect(Object.keys(cl.logins[0])).toEqual(expect.arrayContaining(['eventId', 'eventTime', 'userArn', 'sourceIPAddress', 'result', 'mfaUsed', 'new']));
    expect(cl.findings.length).toBeGreaterThan(0);
  });

  it('markdown output is a report with headings and tables', async () => {
    const r = await inv('console-logins', '--format', 'md');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Console sign-ins\n/);
    expect(r.stdout).toContain('## Findings');
    expect(r.stdout).toContain('| --- |');
  });

  it('malformed identifiers are usage errors that say the expected form', async () => {
    const r = await inv('access-key', 'not-a-key');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `trailhound: access key ID "not-a-key" is malformed: expected 16 to 128 upper-case letters and digits starting with A, such as AKIAIOSFODNN7EXAMPLE (long-term key, AKIA…) or ASIA… (temporary credentials)\nRun 'trailhound investigate --help' for usage.\n`,
    );
    const s = await inv('security-group');
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('trailhound: name a security group (sg-…) or use --all');
    const b = await inv('access-key', 'AKIAXXXXXXXXXXXXXXXX', '--baseline-days', '0');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--baseline-days: "0" is not a whole number ≥ 1');
  });

  it('a subject the case has never seen is reported with what the case covers', async () => {
    const r = await inv('instance', 'i-0000000000000000f');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('trailhound: no event in the case names i-0000000000000000f (the evidence may simply not include it; the report lists what the case covers)\n');
    expect(r.stdout).toContain('Case covers');
    expect(r.stdout).toContain(truth.organization.productionAccount);
    const j = await runCliInProcess(['investigate', 'access-key', 'AKIAZZZZZZZZZZZZZZZZ', '--db', db, '--format', 'json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ found: false, coverage: { accounts: expect.arrayContaining([truth.organization.managementAccount]) } });
  });

  it('lists scenarios and runs the named queries of scenarios/*.yaml', async () => {
    const l = await runCliInProcess(['investigate', 'list', '--format', 'json']);
    expect(l.code).toBe(0);
    const ids = (JSON.parse(l.stdout) as Array<{ id: string }>).map((s) => s.id);
    const yamlIds = fs.readdirSync(path.join(repoRoot, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    expect(ids).toEqual(expect.arrayContaining([...yamlIds, 'investigate.access-key', 'investigate.iam']));
    const k = truth.incidents.stolenAccessKey;
    const q = await json('run', 'access-key.events', '-p', `accessKeyId=${k.accessKeyId}`, '-p', `start=${k.attackStart}`, '-p', `end=${k.attackEnd}`);
    expect(q.rows.length).toBeGreaterThan(0);
    expect(q.rows[0]).toMatchObject({ eventId: k.firstMaliciousEventId, eventTime: k.attackStart });
    const bad = await inv('run', 'access-key.events', '-p', 'nope=1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('scenario access-key.events has no parameter "nope"; its parameters: accessKeyId, start, end');
    const missing = await inv('run', 'access-key.events');
    expect(missing.stderr).toContain('scenario access-key.events needs parameter accessKeyId (string)');
  });
});
