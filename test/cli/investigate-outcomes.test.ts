// `investigate access-key` and `investigate iam` as a responder reads them in the terminal: each finding's outcome next
// to its type, and the sensitive tables' Outcome and Parameters columns (who a share went to, PUBLIC). Expected values
// come from fixtures/sample/ground-truth.json.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { sharedCase } from '../helpers/cases.js';
import { truth } from '../helpers/sample.js';

describe('investigate: outcomes and decisive parameters in the tables', () => {
  let db: string;
  const inv = (...args: string[]) => runCliInProcess(['investigate', ...args, '--db', db, '--width', '200']);
  beforeAll(() => {
    db = sharedCase('sample');
  });

  it('access-key: the defence-evasion finding is mixed, the share rows name the outside account and what went public', async () => {
    const pack = truth.incidents.attackPack;
    const r = await inv('access-key', pack.leakedKey.accessKeyId);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/defence-evasion \(mixed\)\s+logging\/defence changes succeeded: /);
    const sharing = r.stdout.slice(r.stdout.indexOf('── Sensitive: Snapshot / AMI sharing'));
    expect(sharing).toMatch(/Outcome\s+Parameters/);
    expect(sharing).toContain(`sharedWith=${truth.organization.externalAccount}`);
    expect(sharing).toMatch(/ModifyImageAttribute\s+succeeded\s+imageId=ami-\w+;/);
    expect(sharing).toContain('sharedWith=all;');
    expect(sharing).toContain('PUBLIC');
  });

  it('iam: the Roles Anywhere trust anchor and the failed SAML provider are listed', async () => {
    const r = await inv('iam', '--format', 'json');
    const changes = JSON.parse(r.stdout).changes as Array<{ eventName: string; eventSource: string; errorCode: string | null }>;
    expect(changes.filter((c) => c.eventSource === 'rolesanywhere.amazonaws.com').map((c) => c.eventName)).toEqual(expect.arrayContaining(['CreateTrustAnchor', 'CreateProfile']));
    expect(changes.find((c) => c.eventName === 'CreateSAMLProvider')?.errorCode).toBeTruthy();
  });
});
