// Persistence and exposure of the leaked CI key on the committed sample (ground truth: incidents.attackPack
// .revertedPersistence): what the administrator undid within the hour is reported undone and gets no command; what
// stayed in place gets the aws command that undoes it. Ids come from the ground truth, never from here.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { investigateAccessKey, type AccessKeyReport } from '../../src/scenarios/access-key.js';
import { sharedCase } from '../helpers/cases.js';
import { sampleDir } from '../helpers/paths.js';

const truth = JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8'));
const pack = truth.incidents.attackPack;
const rp = pack.revertedPersistence;

let db: Db;
let r: AccessKeyReport;

beforeAll(() => {
  db = openCase(sharedCase('sample'), { readonly: true });
  r = investigateAccessKey(db, pack.leakedKey.accessKeyId, { filter: {}, tz: 'UTC', now: Date.UTC(2025, 1, 20) });
});

afterAll(() => {
  db?.close();
});

const commandsFor = (eventId: string) => r.response.filter((c) => c.eventIds.includes(eventId));
const allCommands = () => r.response.map((c) => c.command).join('\n');
const skippedIds = () => r.responseSkipped.flatMap((s) => s.eventIds);

describe('created keys the administrator deleted or deactivated', () => {
  it('carry the deletion and the deactivation, with who and when', () => {
    const first = r.createdAccessKeys.find((c) => c.accessKeyId === rp.firstKey.accessKeyId)!;
    expect(first.eventId).toBe(rp.firstKey.createEventId);
    expect(first.revert).toMatchObject({ state: 'deleted', eventId: rp.firstKey.deleteEventId, eventName: 'DeleteAccessKey', by: rp.adminArn });
    const second = r.createdAccessKeys.find((c) => c.accessKeyId === rp.secondKey.accessKeyId)!;
    expect(second.revert).toMatchObject({ state: 'deactivated', eventId: rp.secondKey.deactivateEventId, eventName: 'UpdateAccessKey', by: rp.adminArn });
  });

  it('says "deleted N minutes later by …" in the finding instead of "not used"', () => {
    const first = r.createdAccessKeys.find((c) => c.accessKeyId === rp.firstKey.accessKeyId)!;
    const minutes = Math.round((Date.parse(first.revert.eventTime!) - Date.parse(first.eventTime!)) / 60_000);
    expect(minutes).toBeGreaterThanOrEqual(15);
    const f = r.findings.find((x) => x.type === 'persistence-access-key' && x.eventIds.includes(rp.firstKey.createEventId))!;
    expect(f.message).toContain(`deleted ${minutes} minutes later by ${rp.adminArn} (DeleteAccessKey)`);
    expect(f.message).not.toContain('not used in the evidence');
    // It cites the creation only (its principal is the intruder), and names the undoing call apart.
    expect(f.eventIds).toEqual([rp.firstKey.createEventId]);
    expect(f.undoneBy).toBe(rp.firstKey.deleteEventId);
    const g = r.findings.find((x) => x.type === 'persistence-access-key' && x.eventIds.includes(rp.secondKey.createEventId))!;
    expect(g.message).toMatch(/, deactivated \d+ minutes? later by /);
  });

  it('gets no deactivate or delete command, and one informational line instead', () => {
    for (const k of [rp.firstKey.accessKeyId, rp.secondKey.accessKeyId]) expect(allCommands()).not.toContain(k);
    expect(skippedIds()).toEqual(expect.arrayContaining([rp.firstKey.deleteEventId, rp.secondKey.deactivateEventId]));
  });
});

describe('a role the key created, assumed, and the administrator deleted', () => {
  it('is in the lineage, reverted, and gets no put-role-policy', () => {
    expect(r.derivedCredentials.find((d) => d.accessKeyId === rp.role.sessionAccessKeyId)).toMatchObject({ roleArn: rp.role.roleArn, eventId: rp.role.assumeRoleEventId });
    expect(r.exposures.find((e) => e.eventId === rp.role.createEventId)).toMatchObject({ kind: 'role', resource: rp.role.roleName, revert: { state: 'reverted', eventId: rp.role.deleteEventId } });
    expect(allCommands()).not.toContain(`--role-name ${rp.role.roleName}`);
    expect(r.responseSkipped.find((s) => s.description.includes(`sessions of role ${rp.role.roleArn}`))?.eventIds).toContain(rp.role.deleteEventId);
  });
});

describe('login profile and snapshot share undone', () => {
  it('are reverted by the undoing calls and get no command', () => {
    expect(r.exposures.find((e) => e.eventId === rp.loginProfile.createEventId)).toMatchObject({ kind: 'login-profile', revert: { state: 'reverted', eventId: rp.loginProfile.deleteEventId, by: rp.adminArn } });
    expect(allCommands()).not.toContain(`delete-login-profile --user-name ${rp.loginProfile.userName}`);
    expect(r.exposures.find((e) => e.eventId === rp.snapshotShare.shareEventId)).toMatchObject({ kind: 'snapshot-share', grantees: [rp.snapshotShare.account], revert: { state: 'reverted', eventId: rp.snapshotShare.revokeEventId } });
    expect(allCommands()).not.toContain(rp.snapshotShare.snapshotId);
  });

  it('a public share the intruder took back is undone, the account share of the same image is not', () => {
    const pub = r.exposures.find((e) => e.eventId === rp.revertedByTheIntruder.publicImageShareEventId)!;
    expect(pub).toMatchObject({ kind: 'image-share', grantees: ['all'], revert: { state: 'reverted' } });
    const acct = r.exposures.find((e) => e.eventId === rp.stillInPlace.ModifyImageAttribute)!;
    expect(acct.revert.state).toBe('not-reverted');
    expect(acct.resource).toBe(pub.resource);
  });
});

describe('what stayed in place', () => {
  // The command each kind of change calls for (the values come from the change itself).
  const expected: Record<string, string> = {
    AttachUserPolicy: 'aws iam detach-user-policy --user-name ',
    PutRolePolicy: 'aws iam delete-role-policy --role-name ',
    UpdateLoginProfile: 'aws iam delete-login-profile --user-name ',
    CreateUser: 'aws iam delete-user --user-name ',
    CreateTrustAnchor: 'aws rolesanywhere delete-trust-anchor --region ',
    CreateProfile: 'aws rolesanywhere delete-profile --region ',
    CreateOpenIDConnectProvider: 'aws iam delete-open-id-connect-provider --open-id-connect-provider-arn ',
    ModifyImageAttribute: 'aws ec2 modify-image-attribute --region ',
    ModifyDBSnapshotAttribute: 'aws rds modify-db-snapshot-attribute --region ',
    DeletePublicAccessBlock: 'aws s3api put-public-access-block --bucket ',
    PutBucketPolicy: 'aws s3api delete-bucket-policy --bucket ',
    PutBucketAcl: 'aws s3api put-bucket-acl --bucket ',
    AddPermission20150331v2: 'aws lambda remove-permission --region ',
    CreateGrant: 'aws kms revoke-grant --region ',
  };
  it('lists every kept change as not reverted, each with the command that undoes it', () => {
    expect(Object.keys(rp.stillInPlace).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, eventId] of Object.entries(rp.stillInPlace as Record<string, string>)) {
      const e = r.exposures.find((x) => x.eventId === eventId);
      expect(e?.revert.state, name).toBe('not-reverted');
      const cmds = commandsFor(eventId);
      expect(cmds.length, name).toBeGreaterThan(0);
      expect(cmds[0].command.startsWith(expected[name]), `${name}: ${cmds[0].command}`).toBe(true);
      expect(cmds[0].command, name).toContain(e!.resource.includes(' ') ? `'${e!.resource}'` : e!.resource);
      expect(cmds[0].accountId, name).toBe(pack.leakedKey.account);
    }
  });

  it('names what a share gives away in the command: the account, the statement, the grant', () => {
    const img = commandsFor(rp.stillInPlace.ModifyImageAttribute)[0].command;
    expect(img).toContain(`--launch-permission 'Remove=[{UserId=${rp.snapshotShare.account}}]'`);
    expect(commandsFor(rp.stillInPlace.ModifyDBSnapshotAttribute)[0].command).toContain(`--attribute-name restore --values-to-remove ${rp.snapshotShare.account}`);
    const lambda = r.exposures.find((e) => e.eventId === rp.stillInPlace.AddPermission20150331v2)!;
    expect(commandsFor(lambda.eventId)[0].command).toContain(`--statement-id ${lambda.handles[0]}`);
    const grant = r.exposures.find((e) => e.eventId === rp.stillInPlace.CreateGrant)!;
    expect(grant.handles).toHaveLength(1);
    expect(commandsFor(grant.eventId)[0].command).toContain(`--grant-id ${grant.handles[0]}`);
  });

  it('proposes nothing for a change undone in the evidence, and says so for each', () => {
    const reverted = r.exposures.filter((e) => e.revert.state === 'reverted');
    expect(reverted.length).toBeGreaterThanOrEqual(6);
    for (const e of reverted) {
      expect(commandsFor(e.eventId), e.eventId).toEqual([]);
      expect(skippedIds(), e.eventId).toContain(e.eventId);
    }
  });

  it('leaves failed calls out: they changed nothing', () => {
    const failed = new Set(r.events.filter((e) => e.errorCode).map((e) => e.eventId));
    expect(failed.size).toBeGreaterThan(0);
    expect(r.exposures.filter((e) => failed.has(e.eventId))).toEqual([]);
  });

  it('deletes the users and roles after what hangs off them', () => {
    const at = (eventId: string) => r.response.findIndex((c) => c.eventIds.includes(eventId));
    expect(at(rp.stillInPlace.CreateUser)).toBeGreaterThan(at(rp.stillInPlace.AttachUserPolicy));
  });
});

describe('revert state on sensitive rows and findings', () => {
  const row = (eventId: string) => r.sensitiveActions.flatMap((g) => g.events).find((e) => e.eventId === eventId);

  it('a sensitive change undone later names the undoing call; one still in place says so', () => {
    expect(row(rp.firstKey.createEventId)?.revert).toMatchObject({ state: 'reverted', eventId: rp.firstKey.deleteEventId, by: rp.adminArn });
    expect(row(rp.loginProfile.createEventId)?.revert).toMatchObject({ state: 'reverted', eventId: rp.loginProfile.deleteEventId });
    expect(row(rp.snapshotShare.shareEventId)?.revert).toMatchObject({ state: 'reverted', eventId: rp.snapshotShare.revokeEventId });
    expect(row(rp.stillInPlace.AttachUserPolicy)?.revert).toMatchObject({ state: 'not-reverted', eventId: null });
  });

  it('a failed call has nothing to undo', () => {
    const failed = r.sensitiveActions.flatMap((g) => g.events).filter((e) => e.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const e of failed) expect(e.revert?.state).toBe('not-applicable');
  });

  it('every finding carries its revert state; the deleted key\'s finding is reverted', () => {
    for (const f of r.findings) expect(['reverted', 'partly-reverted', 'not-reverted', 'not-applicable']).toContain(f.revert?.state);
    const first = r.findings.find((f) => f.type === 'persistence-access-key' && f.eventIds.includes(rp.firstKey.createEventId))!;
    expect(first.revert).toMatchObject({ state: 'reverted', eventIds: [rp.firstKey.deleteEventId] });
  });
});
