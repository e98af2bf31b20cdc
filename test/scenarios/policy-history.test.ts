// Permission-policy documents followed through IAM writes (src/scenarios/policy-history.ts): each write that replaces a
// document is compared by meaning with the one it replaces, and says so when the evidence lacks it.
import { describe, expect, it } from 'vitest';
import { PolicyHistory } from '../../src/scenarios/policy-history.js';
import type { PolicyDiff } from '../../src/scenarios/policy-diff.js';

const ACCT = '111122223333';
const ARN = `arn:aws:iam::${ACCT}:policy/app`;
const doc = (actions: string[], sid?: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ ...(sid !== undefined ? { Sid: sid } : {}), Effect: 'Allow', Action: actions, Resource: '*' }] });
const rec = (requestParameters: Record<string, unknown>, responseElements: Record<string, unknown> | null = null) => ({ requestParameters, responseElements });

describe('PolicyHistory', () => {
  it('inline policies: the first put has no previous document, a re-put is compared, a re-save in another form is no change', () => {
    const h = new PolicyHistory();
    const put = (d: string, ok = true) => h.apply('PutRolePolicy', ACCT, rec({ roleName: 'app', policyName: 'inline', policyDocument: encodeURIComponent(d) }), ok);
    expect(put(doc(['s3:GetObject']))).toEqual({ previousPolicyDocument: null, policyDiff: 'previous policy document not in the evidence' });
    const same = put(doc(['S3:getobject'], ''));
    expect((same!.policyDiff as PolicyDiff).identical).toBe(true);
    const denied = put(doc(['iam:*']), false);
    expect((denied!.policyDiff as PolicyDiff).identical).toBe(false);
    // The denied put changed nothing: the next one is compared with the last successful document.
    const wider = put(doc(['s3:GetObject', 's3:PutObject']))!.policyDiff as PolicyDiff;
    expect(wider.changedStatements[0].changes).toEqual([expect.objectContaining({ element: 'Action', added: ['s3:PutObject'], removed: [] })]);
    // Another role's policy of the same name is another document.
    expect(h.apply('PutRolePolicy', ACCT, rec({ roleName: 'other', policyName: 'inline', policyDocument: doc(['s3:GetObject']) }), true)!.policyDiff).toBe('previous policy document not in the evidence');
    h.apply('DeleteRolePolicy', ACCT, rec({ roleName: 'app', policyName: 'inline' }), true);
    expect(put(doc(['s3:GetObject']))!.policyDiff).toBe('previous policy document not in the evidence');
  });

  it('managed policies: CreatePolicyVersion against the default, SetDefaultPolicyVersion between versions', () => {
    const h = new PolicyHistory();
    expect(h.apply('CreatePolicy', ACCT, rec({ policyName: 'app', policyDocument: doc(['s3:GetObject']) }, { policy: { arn: ARN, defaultVersionId: 'v1' } }), true)).toBeNull();
    const v2 = h.apply('CreatePolicyVersion', ACCT, rec({ policyArn: ARN, policyDocument: doc(['*']), setAsDefault: false }, { policyVersion: { versionId: 'v2' } }), true)!;
    expect(v2.previousPolicyDocument).toEqual(JSON.parse(doc(['s3:GetObject'])));
    expect((v2.policyDiff as PolicyDiff).changedStatements[0].changes[0]).toMatchObject({ element: 'Action', added: ['*'], removed: ['s3:GetObject'] });
    const set = h.apply('SetDefaultPolicyVersion', ACCT, rec({ policyArn: ARN, versionId: 'v2' }), true)!;
    expect((set.policyDiff as PolicyDiff).identical).toBe(false);
    expect(set.previousPolicyDocument).toEqual(JSON.parse(doc(['s3:GetObject'])));
    expect(h.apply('SetDefaultPolicyVersion', ACCT, rec({ policyArn: ARN, versionId: 'v7' }), true)!.policyDiff).toBe('version v7 not in the evidence');
    expect(h.apply('CreatePolicyVersion', ACCT, rec({ policyArn: `arn:aws:iam::${ACCT}:policy/unknown`, policyDocument: doc(['*']) }, { policyVersion: { versionId: 'v3' } }), true)!.policyDiff).toBe('previous policy document not in the evidence');
  });
});
