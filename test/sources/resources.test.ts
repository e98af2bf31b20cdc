import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractResources, typeFromArn } from '../../src/sources/resources.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared');
const elasticDir = path.join(shared, 'corpora/elastic-aws-cloudtrail/integrations-pipeline-tests');

const pairs = (r: Record<string, unknown>): string[] => extractResources(r).map((x) => `${x.type}=${x.name}`);

describe('extractResources: synthetic records', () => {
  it('EC2 RunInstances names instance, AMI, key pair, security group, subnet, VPC and ENI', () => {
    const r = {
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      requestParameters: { instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890', keyName: 'attacker-key' }] }, clientToken: 'x' },
      responseElements: {
        instancesSet: {
          items: [
            {
              instanceId: 'i-1234567890abcdef0',
              keyName: 'attacker-key',
              subnetId: 'subnet-0123abcd',
              vpcId: 'vpc-0123abcd',
              groupSet: { items: [{ groupId: 'sg-0123abcd', groupName: 'default' }] },
              networkInterfaceSet: { items: [{ networkInterfaceId: 'eni-0123abcd', attachment: { attachmentId: 'eni-attach-0123abcd' } }] },
              blockDeviceMapping: { items: [{ ebs: { volumeId: 'vol-0123abcd' } }] },
            },
          ],
        },
      },
    };
    expect(pairs(r)).toEqual([
      'AWS::EC2::Ami=ami-0abcdef1234567890',
      'AWS::EC2::KeyPair=attacker-key',
      'AWS::EC2::Instance=i-1234567890abcdef0',
      'AWS::EC2::Subnet=subnet-0123abcd',
      'AWS::EC2::VPC=vpc-0123abcd',
      'AWS::EC2::SecurityGroup=sg-0123abcd',
      'AWS::EC2::NetworkInterface=eni-0123abcd',
      'AWS::EC2::Volume=vol-0123abcd',
    ]);
  });

  it('security group rules, snapshots and tags on instances', () => {
    expect(
      pairs({
        eventSource: 'ec2.amazonaws.com',
        eventName: 'RevokeSecurityGroupIngress',
        requestParameters: { groupId: 'sg-0f63fecfa17ef4fee', securityGroupRuleIds: { items: [{ securityGroupRuleId: 'sgr-027eb7c59241731e0' }] } },
      }),
    ).toEqual(['AWS::EC2::SecurityGroup=sg-0f63fecfa17ef4fee', 'AWS::EC2::SecurityGroupRule=sgr-027eb7c59241731e0']);
    expect(
      pairs({ eventSource: 'ec2.amazonaws.com', eventName: 'CreateTags', requestParameters: { resourcesSet: { items: [{ resourceId: 'i-1234567890abcdef0' }, { resourceId: 'snap-0a392d80692e2526a' }] } } }),
    ).toEqual(['AWS::EC2::Instance=i-1234567890abcdef0', 'AWS::EC2::Snapshot=snap-0a392d80692e2526a']);
  });

  it('does not take look-alike values for EC2 ids', () => {
    expect(pairs({ eventSource: 'ec2.amazonaws.com', eventName: 'X', requestParameters: { description: 'i-1234567890abcdef0 was here', id: 'i-xyz', t: 'sg-12' } })).toEqual([]);
  });

  it('IAM: users, groups, roles, policies, access keys, instance profiles, login profiles, MFA devices', () => {
    expect(pairs({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', requestParameters: { userName: 'username' }, responseElements: { user: { userName: 'username', arn: 'arn:aws:iam::123456789012:user/username' } } })).toEqual(['AWS::IAM::User=username']);
    expect(pairs({ eventSource: 'iam.amazonaws.com', eventName: 'AttachUserPolicy', requestParameters: { userName: 'u', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } })).toEqual([
      'AWS::IAM::User=u',
      'AWS::IAM::Policy=arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
    expect(pairs({ eventSource: 'iam.amazonaws.com', eventName: 'AddUserToGroup', requestParameters: { userName: 'u', groupName: 'admins' } })).toEqual(['AWS::IAM::User=u', 'AWS::IAM::Group=admins']);
    expect(pairs({ eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', requestParameters: { roleName: 'r', policyName: 'inline', policyDocument: '{}' } })).toEqual(['AWS::IAM::Role=r', 'AWS::IAM::Policy=inline']);
    expect(
      pairs({ eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', requestParameters: { userName: 'u' }, responseElements: { accessKey: { userName: 'u', accessKeyId: 'AKIAXXXXXXXXXXXXXXXX', status: 'Active' } } }),
    ).toEqual(['AWS::IAM::User=u', 'AWS::IAM::AccessKey=AKIAXXXXXXXXXXXXXXXX']);
    expect(pairs({ eventSource: 'iam.amazonaws.com', eventName: 'AddRoleToInstanceProfile', requestParameters: { instanceProfileName: 'p', roleName: 'r' } })).toEqual(['AWS::IAM::InstanceProfile=p', 'AWS::IAM::Role=r']);
    expect(pairs({ eventSource: 'iam.amazonaws.com', eventName: 'CreateLoginProfile', requestParameters: { userName: 'u', passwordResetRequired: false } })).toEqual(['AWS::IAM::User=u', 'AWS::IAM::LoginProfile=u']);
    expect(pairs({ eventSource: 'iam.amazonaws.com', eventName: 'EnableMFADevice', requestParameters: { userName: 'u', serialNumber: 'arn:aws:iam::123456789012:mfa/u' } })).toEqual([
      'AWS::IAM::User=u',
      'AWS::IAM::MFADevice=arn:aws:iam::123456789012:mfa/u',
    ]);
  });

  it('STS AssumeRole: the role, the temporary key and the session', () => {
    expect(
      pairs({
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        resources: [{ ARN: 'arn:aws:iam::123456789012:role/admin', accountId: '123456789012', type: 'AWS::IAM::Role' }],
        requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/admin', roleSessionName: 'sess' },
        responseElements: {
          credentials: { accessKeyId: 'ASIAEXAMPLEEXAMPLE01', sessionToken: 'tok', expiration: 'x' },
          assumedRoleUser: { assumedRoleId: 'AROA:sess', arn: 'arn:aws:sts::123456789012:assumed-role/admin/sess' },
        },
      }),
    ).toEqual(['AWS::IAM::Role=arn:aws:iam::123456789012:role/admin', 'AWS::IAM::AccessKey=ASIAEXAMPLEEXAMPLE01', 'AWS::STS::AssumedRole=sess']);
  });

  it('S3: bucket by name, objects by ARN (from resources or derived), type derived when missing', () => {
    expect(
      pairs({
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        resources: [
          { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::b/k.txt' },
          { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b', accountId: '1' },
        ],
        requestParameters: { bucketName: 'b', key: 'k.txt', Host: 'b.s3.amazonaws.com' },
      }),
    ).toEqual(['AWS::S3::Object=arn:aws:s3:::b/k.txt', 'AWS::S3::Bucket=b']);
    expect(pairs({ eventSource: 's3.amazonaws.com', eventName: 'PutObject', requestParameters: { bucketName: 'b', key: 'x/y' } })).toEqual(['AWS::S3::Bucket=b', 'AWS::S3::Object=arn:aws:s3:::b/x/y']);
    expect(pairs({ eventSource: 's3.amazonaws.com', eventName: 'ListObjects', resources: [{ type: 'AWS::S3::Object', ARNPrefix: 'arn:aws:s3:::b/logs/' }] })).toEqual(['AWS::S3::Object=arn:aws:s3:::b/logs/']);
    expect(pairs({ eventSource: 'ssm.amazonaws.com', eventName: 'GetParameter', resources: [{ ARN: 'arn:aws:ssm:us-east-1:1:parameter/p' }] })[0]).toBe('AWS::SSM::Parameter=arn:aws:ssm:us-east-1:1:parameter/p');
  });

  it('KMS keys and aliases, Lambda functions, CloudTrail trails', () => {
    expect(pairs({ eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', requestParameters: { keyId: 'alias/prod' } })).toEqual(['AWS::KMS::Alias=alias/prod']);
    expect(pairs({ eventSource: 'kms.amazonaws.com', eventName: 'CreateAlias', requestParameters: { aliasName: 'alias/x', targetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } })).toEqual([
      'AWS::KMS::Alias=alias/x',
      'AWS::KMS::Key=1234abcd-12ab-34cd-56ef-1234567890ab',
    ]);
    expect(pairs({ eventSource: 'lambda.amazonaws.com', eventName: 'GetFunction20150331v2', requestParameters: { functionName: 'f' } })).toEqual(['AWS::Lambda::Function=f']);
    expect(pairs({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'arn:aws:cloudtrail:us-east-1:1:trail/main-trail' } })).toEqual(['AWS::CloudTrail::Trail=arn:aws:cloudtrail:us-east-1:1:trail/main-trail']);
  });

  it('read-only calls name only what their resources array lists, as in Event history', () => {
    expect(pairs({ eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true, requestParameters: { instancesSet: { items: [{ instanceId: 'i-1234567890abcdef0' }] } } })).toEqual([]);
    expect(pairs({ eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', readOnly: true, resources: [{ type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:1:key/k' }], requestParameters: { keyId: 'k' } })).toEqual([
      'AWS::KMS::Key=arn:aws:kms:us-east-1:1:key/k',
    ]);
  });

  it('names trails by ARN', () => {
    expect(pairs({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', awsRegion: 'us-east-1', recipientAccountId: '111122223333', requestParameters: { name: 'org-trail' } })).toEqual([
      'AWS::CloudTrail::Trail=arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail',
    ]);
  });

  it('ignores redacted values, non-ARNs under ARN keys, and survives odd input', () => {
    expect(pairs({ eventSource: 'sns.amazonaws.com', eventName: 'Subscribe', responseElements: { subscriptionArn: 'pending confirmation' } })).toEqual([]);
    expect(pairs({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', requestParameters: { userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' } })).toEqual([]);
    expect(pairs({ resources: 'x', requestParameters: 5, responseElements: null })).toEqual([]);
    expect(pairs({})).toEqual([]);
    // deep nesting is bounded, not a stack overflow
    let deep: Record<string, unknown> = { instanceId: 'i-1234567890abcdef0' };
    for (let i = 0; i < 10000; i++) deep = { a: deep };
    expect(pairs({ eventSource: 'ec2.amazonaws.com', requestParameters: deep })).toEqual([]);
  });

  it('typeFromArn', () => {
    expect(typeFromArn('arn:aws:ssmmessages:us-east-1:1:control-channel/i-1')).toBe('AWS::SSMMessages::ControlChannel');
    expect(typeFromArn('arn:aws:s3:::b')).toBe('AWS::S3::Bucket');
    expect(typeFromArn('not-an-arn')).toBeNull();
  });
});

describe.skipIf(!fs.existsSync(elasticDir))('extractResources against the Elastic corpus', () => {
  const byFile = new Map<string, Record<string, unknown>[]>();
  if (fs.existsSync(elasticDir)) {
    for (const f of fs.readdirSync(elasticDir)) {
      if (!f.endsWith('.log')) continue;
      const recs: Record<string, unknown>[] = [];
      for (const line of fs.readFileSync(path.join(elasticDir, f), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const r = JSON.parse(line) as Record<string, unknown>;
          if (r.eventName) recs.push(r);
        } catch {
          /* not an event line */
        }
      }
      byFile.set(f, recs);
    }
  }
  const first = (f: string): string[] => pairs(byFile.get(f)![0]);
  it('finds the resources Event history would list', () => {
    expect(first('test-terminate-instances-json.log')).toEqual(['AWS::EC2::Instance=i-00000000000000000']);
    expect(first('test-authorize-security-group-ingress-json.log')).toEqual(['AWS::EC2::SecurityGroup=sg-0f63fecfa17ef4fee', 'AWS::EC2::SecurityGroupRule=sgr-027eb7c59241731e0']);
    expect(first('test-create-key-pair-json.log')).toEqual(['AWS::EC2::KeyPair=mykeypair']);
    expect(first('test-run-instances-json.log')).toEqual(
      expect.arrayContaining(['AWS::EC2::Instance=i-0f2f135de18b555e3', 'AWS::EC2::Ami=ami-00a4cd63f089232e0', 'AWS::EC2::SecurityGroup=sg-4e483165']),
    );
    expect(first('test-attach-user-policy-json.log')).toEqual(expect.arrayContaining(['AWS::IAM::Policy=arn:aws:iam::aws:policy/AdministratorAccess']));
    expect(first('test-disable-key-json.log')).toEqual(['AWS::KMS::Key=arn:aws:kms:us-east-1:1010101010101:key/65479477-67d5-4b84-b71c-d540f7a8f31f']);
    expect(first('test-put-object-json.log')).toEqual(['AWS::S3::Object=arn:aws:s3:::elastic-cspm-cloudtrail-test-bucket/test.json', 'AWS::S3::Bucket=elastic-cspm-cloudtrail-test-bucket']);
    expect(first('test-create-document-json.log')).toEqual(['AWS::SSM::Document=EncryptFilesAndUploadRansomNote']);
    const trail = byFile.get('test-update-trail-json.log')![0];
    expect(first('test-update-trail-json.log')).toEqual([`AWS::CloudTrail::Trail=arn:aws:cloudtrail:${String(trail.awsRegion)}:${String(trail.recipientAccountId)}:trail/myTrail2`]);
  });
  it('names at least one resource for most resource-changing events and never an empty name', () => {
    let events = 0;
    let withResources = 0;
    for (const recs of byFile.values()) {
      for (const r of recs) {
        const res = extractResources(r);
        for (const x of res) {
          expect(x.name.length).toBeGreaterThan(0);
          expect(x.type).toMatch(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
        }
        if (r.requestParameters) {
          events++;
          if (res.length > 0) withResources++;
        }
      }
    }
    expect(withResources / events).toBeGreaterThan(0.8);
  });
});
