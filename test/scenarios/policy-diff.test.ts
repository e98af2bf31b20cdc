// Policy documents compared by meaning (src/scenarios/policy-diff.ts, and the trust diff of iam-policy.ts built on it):
// what normalisation ignores, and what it still reports.
import { describe, expect, it } from 'vitest';
import { diffPolicies, diffSummary, normaliseStatement } from '../../src/scenarios/policy-diff.js';
import { diffTrust } from '../../src/scenarios/iam-policy.js';

const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const EXT = 'arn:aws:iam::999988887777:root';

describe('normaliseStatement', () => {
  it('drops an empty Sid, sorts and de-duplicates lists, and reads lower-case element names', () => {
    expect(normaliseStatement({ sid: '', effect: 'allow', action: ['s3:PutObject', 's3:GetObject', 's3:getobject'], resource: 'arn:aws:s3:::b/*' })).toEqual({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: ['arn:aws:s3:::b/*'],
    });
  });
  it('writes principals one way: "*" is {AWS: ["*"]}, an account id is its root ARN', () => {
    expect(normaliseStatement({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }).Principal).toEqual({ AWS: ['*'] });
    expect(normaliseStatement({ Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole' }).Principal).toEqual({ AWS: [EXT] });
  });
});

describe('diffPolicies', () => {
  const before = doc({ Effect: 'Allow', Principal: { AWS: EXT }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x-1' } } });

  it('finds no change when only Sid:"", key order, list forms, case of action names or condition keys differ', () => {
    const after = { Statement: [{ Condition: { StringEquals: { 'STS:externalid': ['x-1'] } }, Action: ['sts:assumerole'], Principal: { AWS: ['999988887777'] }, Effect: 'Allow', Sid: '' }], Version: '2012-10-17' };
    const d = diffPolicies(before, after);
    expect(d).toEqual({ identical: true, versionChanged: null, addedStatements: [], removedStatements: [], changedStatements: [] });
    expect(diffSummary(d)).toBe('no change');
  });

  it('is order-insensitive over statements and ignores duplicate statements', () => {
    const a = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    const b = { Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' };
    expect(diffPolicies(doc(a, b), doc(b, a, a)).identical).toBe(true);
  });

  it('reports a changed condition as one changed statement, not a removal and an addition', () => {
    const d = diffPolicies(before, doc({ Effect: 'Allow', Principal: { AWS: EXT }, Action: 'sts:AssumeRole' }));
    expect(d.identical).toBe(false);
    expect(d.addedStatements).toEqual([]);
    expect(d.removedStatements).toEqual([]);
    expect(d.changedStatements).toHaveLength(1);
    expect(d.changedStatements[0].changes).toEqual([{ element: 'Condition', before: { StringEquals: { 'sts:ExternalId': ['x-1'] } }, after: null }]);
  });

  it('says which values an element gained and lost', () => {
    const d = diffPolicies(doc({ Sid: 'S3', Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }), doc({ Sid: 'S3', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::b/*' }));
    expect(d.changedStatements[0].changes).toEqual([
      { element: 'Action', before: ['s3:GetObject'], after: ['s3:GetObject', 's3:PutObject'], added: ['s3:PutObject'], removed: [] },
      { element: 'Resource', before: ['*'], after: ['arn:aws:s3:::b/*'], added: ['arn:aws:s3:::b/*'], removed: ['*'] },
    ]);
    expect(diffSummary(d)).toBe('1 statement changed (Action, Resource)');
  });

  it('reports unrelated statements as added and removed, and a Version change', () => {
    const d = diffPolicies(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), { Version: '2008-10-17', Statement: { Effect: 'Deny', Action: 'iam:*', Resource: 'x' } });
    expect(d.removedStatements).toEqual([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'] }]);
    expect(d.addedStatements).toEqual([{ Effect: 'Deny', Action: ['iam:*'], Resource: ['x'] }]);
    expect(d.versionChanged).toEqual({ before: '2012-10-17', after: '2008-10-17' });
    expect(d.identical).toBe(false);
  });
});

describe('diffTrust', () => {
  it('sees no principal added when an account id becomes its root ARN', () => {
    const d = diffTrust(doc({ Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: 'sts:AssumeRole' }), doc({ Effect: 'Allow', Principal: { AWS: [EXT] }, Action: 'sts:AssumeRole', Sid: '' }));
    expect(d).toMatchObject({ identical: true, addedPrincipals: [], removedPrincipals: [], changedConditions: [] });
  });
  it('reports a principal added to a statement, and a condition dropped with the condition as written', () => {
    const cond = { StringEquals: { 'sts:ExternalId': 'x-1' } };
    const d = diffTrust(doc({ Effect: 'Allow', Principal: { AWS: EXT }, Action: 'sts:AssumeRole', Condition: cond }), doc({ Effect: 'Allow', Principal: { AWS: [EXT, 'arn:aws:iam::111122223333:role/x'] }, Action: 'sts:AssumeRole', Condition: cond }));
    expect(d.addedPrincipals).toEqual(['AWS:arn:aws:iam::111122223333:role/x']);
    expect(d.changedStatements[0].changes).toEqual([expect.objectContaining({ element: 'Principal', added: ['AWS:arn:aws:iam::111122223333:role/x'], removed: [] })]);
    expect(d.changedConditions).toEqual([]);
    const dropped = diffTrust(doc({ Effect: 'Allow', Principal: { AWS: EXT }, Action: 'sts:AssumeRole', Condition: cond }), doc({ Effect: 'Allow', Principal: { AWS: EXT }, Action: 'sts:AssumeRole' }));
    expect(dropped.changedConditions).toEqual([{ principal: { AWS: EXT }, before: cond, after: null }]);
  });
});
