// The decisive-parameters table (src/scenarios/decisive-params.ts) on hand-made records in the shapes CloudTrail
// writes, and the rule every entry keeps: a short detail line that says the same as the parameters.
import { describe, expect, it } from 'vitest';
import { decisiveParams, DECISIVE_EVENT_NAMES, MAX_DETAIL } from '../../src/scenarios/decisive-params.js';

const rec = (requestParameters: unknown, responseElements: unknown = null) => ({ requestParameters, responseElements });

describe('decisive parameters', () => {
  it('snapshot and AMI sharing: accounts added and removed, all = public', () => {
    const shared = decisiveParams('ec2.amazonaws.com', 'ModifySnapshotAttribute', rec({ snapshotId: 'snap-1', createVolumePermission: { add: { items: [{ userId: '999988887777' }] } } }));
    expect(shared).toEqual({ parameters: { snapshotId: 'snap-1', sharedWith: ['999988887777'] }, detail: 'snapshotId=snap-1; sharedWith=999988887777' });
    const pub = decisiveParams('ec2.amazonaws.com', 'ModifyImageAttribute', rec({ imageId: 'ami-1', launchPermission: { add: { items: [{ group: 'all' }] } } }));
    expect(pub?.parameters).toEqual({ imageId: 'ami-1', sharedWith: ['all'], public: true });
    expect(pub?.detail).toBe('imageId=ami-1; sharedWith=all; PUBLIC');
    const removed = decisiveParams('ec2.amazonaws.com', 'ModifyImageAttribute', rec({ imageId: 'ami-1', launchPermission: { remove: { items: [{ group: 'all' }] } } }));
    expect(removed?.parameters).toEqual({ imageId: 'ami-1', unsharedFrom: ['all'] });
    expect(decisiveParams('rds.amazonaws.com', 'ModifyDBSnapshotAttribute', rec({ dBSnapshotIdentifier: 'db1', attributeName: 'restore', valuesToAdd: ['all'] }))?.parameters).toMatchObject({ sharedWith: ['all'], public: true });
  });

  it('bucket policies: who is granted what, public only for an unconditioned Allow to *', () => {
    const doc = { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject' }, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: ['s3:PutObject'] }] };
    expect(decisiveParams('s3.amazonaws.com', 'PutBucketPolicy', rec({ bucketName: 'b', bucketPolicy: doc }))?.parameters).toEqual({
      bucketName: 'b',
      grants: [
        { effect: 'Allow', principals: ['*'], actions: ['s3:GetObject'] },
        { effect: 'Allow', principals: ['AWS:arn:aws:iam::999988887777:root'], actions: ['s3:PutObject'] },
      ],
      public: true,
    });
    const conditioned = { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }] };
    expect(decisiveParams('s3.amazonaws.com', 'PutBucketPolicy', rec({ bucketName: 'b', policy: JSON.stringify(conditioned) }))?.parameters.public).toBeUndefined();
  });

  it('launches, reads, identities and federation', () => {
    const run = decisiveParams('ec2.amazonaws.com', 'RunInstances', rec({ instanceType: 'p3.16xlarge', instancesSet: { items: [{ imageId: 'ami-1', minCount: 4, maxCount: 4 }] } }, { instancesSet: { items: [{ instanceId: 'i-1' }] } }), 'eu-west-1');
    expect(run?.parameters).toEqual({ instanceType: 'p3.16xlarge', count: '4', imageId: 'ami-1', region: 'eu-west-1', instanceIds: ['i-1'] });
    expect(decisiveParams('ssm.amazonaws.com', 'GetParameters', rec({ names: ['/a', '/b'], withDecryption: true }))?.parameters).toEqual({ names: ['/a', '/b'] });
    expect(decisiveParams('secretsmanager.amazonaws.com', 'GetSecretValue', rec({ secretId: 'prod/db' }))?.detail).toBe('secretId=prod/db');
    expect(decisiveParams('iam.amazonaws.com', 'AttachRolePolicy', rec({ roleName: 'r', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }))?.parameters).toEqual({ roleName: 'r', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    expect(decisiveParams('iam.amazonaws.com', 'CreateSAMLProvider', rec({ name: 'okta', sAMLMetadataDocument: '<xml/>' }))?.parameters).toEqual({ name: 'okta' });
    expect(decisiveParams('rolesanywhere.amazonaws.com', 'CreateTrustAnchor', rec({ name: 'ca', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE' } }, { trustAnchor: { trustAnchorId: 't-1' } }))?.parameters).toEqual({ name: 'ca', trustAnchorId: 't-1', sourceType: 'CERTIFICATE_BUNDLE', enabled: true });
    expect(decisiveParams('ram.amazonaws.com', 'CreateResourceShare', rec({ name: 's', principals: ['999988887777'], resourceArns: ['arn:x'] }))?.parameters).toMatchObject({ principals: ['999988887777'] });
    expect(decisiveParams('lambda.amazonaws.com', 'AddPermission20150331v2', rec({ functionName: 'f', principal: '*', action: 'lambda:InvokeFunction' }))?.parameters).toEqual({ functionName: 'f', principal: '*', action: 'lambda:InvokeFunction', public: true });
    expect(decisiveParams('cloudtrail.amazonaws.com', 'PutEventSelectors', rec({ trailName: 't', eventSelectors: [{ readWriteType: 'All', includeManagementEvents: false }] }))?.parameters).toEqual({ trail: 't', eventSelectors: [{ readWriteType: 'All', includeManagementEvents: false }] });
  });

  it('no body or no entry: null; an unexpected shape still gives an object', () => {
    expect(decisiveParams('ec2.amazonaws.com', 'RunInstances', null)).toBeNull();
    expect(decisiveParams('ec2.amazonaws.com', 'DescribeInstances', rec({}))).toBeNull();
    expect(decisiveParams('ec2.amazonaws.com', 'ModifySnapshotAttribute', rec('not an object'))).toEqual({ parameters: {}, detail: '' });
  });

  it('every entry survives hostile parameters and keeps its detail short', () => {
    const long = 'x'.repeat(500);
    const hostile = { name: long, names: [long, long], bucketName: long, snapshotId: 7, policy: '{not json', instancesSet: { items: 'nope' }, eventSelectors: 'nope', principals: null };
    for (const name of DECISIVE_EVENT_NAMES) {
      const d = decisiveParams('any.amazonaws.com', name, rec(hostile));
      expect(d, name).not.toBeNull();
      expect(d!.detail.length, name).toBeLessThanOrEqual(MAX_DETAIL);
    }
  });
});
