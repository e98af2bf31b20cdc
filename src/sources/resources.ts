// The resources an event names, as CloudTrail Event history shows them: (AWS::Service::Type, name) pairs
// taken from the record's `resources` array and from the request/response parameters of the APIs that
// name resources. Pure: the ingester calls extractResources() for every event and stores the rows in
// `event_resources`. The mapping is documented in docs/resources.md; keep the two in step.

import type { CloudTrailRecord, EventResource } from '../model/types.js';

/** EC2-style identifiers recognised by value wherever they appear in the parameters, by prefix. */
const EC2_ID_TYPES: Readonly<Record<string, string>> = {
  i: 'AWS::EC2::Instance',
  sg: 'AWS::EC2::SecurityGroup',
  sgr: 'AWS::EC2::SecurityGroupRule',
  vpc: 'AWS::EC2::VPC',
  subnet: 'AWS::EC2::Subnet',
  eni: 'AWS::EC2::NetworkInterface',
  vol: 'AWS::EC2::Volume',
  snap: 'AWS::EC2::Snapshot',
  ami: 'AWS::EC2::Ami',
  key: 'AWS::EC2::KeyPair',
  igw: 'AWS::EC2::InternetGateway',
  rtb: 'AWS::EC2::RouteTable',
  acl: 'AWS::EC2::NetworkAcl',
  nat: 'AWS::EC2::NatGateway',
  eipalloc: 'AWS::EC2::EIP',
  lt: 'AWS::EC2::LaunchTemplate',
  vpce: 'AWS::EC2::VPCEndpoint',
  pcx: 'AWS::EC2::VPCPeeringConnection',
  tgw: 'AWS::EC2::TransitGateway',
  fl: 'AWS::EC2::FlowLog',
  tmf: 'AWS::EC2::TrafficMirrorFilter',
  tmfr: 'AWS::EC2::TrafficMirrorFilterRule',
  tms: 'AWS::EC2::TrafficMirrorSession',
  tmt: 'AWS::EC2::TrafficMirrorTarget',
};

const EC2_ID_RE = new RegExp(`^(${Object.keys(EC2_ID_TYPES).sort((a, b) => b.length - a.length).join('|')})-[0-9a-f]{8,17}$`);

/** Which parameter names name which resource type, per event source. */
interface SourceRule {
  /** Keys looked up anywhere in requestParameters. */
  request?: Readonly<Record<string, string>>;
  /** Keys looked up anywhere in responseElements. */
  response?: Readonly<Record<string, string>>;
}

const IAM_KEYS: Readonly<Record<string, string>> = {
  userName: 'AWS::IAM::User',
  groupName: 'AWS::IAM::Group',
  roleName: 'AWS::IAM::Role',
  policyArn: 'AWS::IAM::Policy',
  policyName: 'AWS::IAM::Policy',
  accessKeyId: 'AWS::IAM::AccessKey',
  instanceProfileName: 'AWS::IAM::InstanceProfile',
  serialNumber: 'AWS::IAM::MFADevice',
  virtualMFADeviceName: 'AWS::IAM::MFADevice',
  sAMLProviderArn: 'AWS::IAM::SAMLProvider',
  openIDConnectProviderArn: 'AWS::IAM::OIDCProvider',
  serverCertificateName: 'AWS::IAM::ServerCertificate',
  sSHPublicKeyId: 'AWS::IAM::SSHPublicKey',
};

const RULES: Readonly<Record<string, SourceRule>> = {
  'iam.amazonaws.com': { request: IAM_KEYS, response: IAM_KEYS },
  'sts.amazonaws.com': {
    request: { roleArn: 'AWS::IAM::Role', principalArn: 'AWS::IAM::SAMLProvider', name: 'AWS::STS::FederatedUser' },
    response: { accessKeyId: 'AWS::IAM::AccessKey' },
  },
  'ec2.amazonaws.com': {
    request: { keyName: 'AWS::EC2::KeyPair', groupName: 'AWS::EC2::SecurityGroup' },
    response: { keyName: 'AWS::EC2::KeyPair' },
  },
  's3.amazonaws.com': { request: { bucketName: 'AWS::S3::Bucket' } },
  'kms.amazonaws.com': {
    request: { keyId: 'AWS::KMS::Key', aliasName: 'AWS::KMS::Alias', targetKeyId: 'AWS::KMS::Key', destinationKeyId: 'AWS::KMS::Key' },
    response: { keyId: 'AWS::KMS::Key' },
  },
  'lambda.amazonaws.com': {
    request: { functionName: 'AWS::Lambda::Function', layerName: 'AWS::Lambda::LayerVersion' },
    response: { functionArn: 'AWS::Lambda::Function' },
  },
  'cloudtrail.amazonaws.com': {
    request: { name: 'AWS::CloudTrail::Trail', trailName: 'AWS::CloudTrail::Trail', trailNameList: 'AWS::CloudTrail::Trail' },
    response: { trailARN: 'AWS::CloudTrail::Trail' },
  },
  'rds.amazonaws.com': {
    request: {
      dBInstanceIdentifier: 'AWS::RDS::DBInstance',
      dBClusterIdentifier: 'AWS::RDS::DBCluster',
      dBSnapshotIdentifier: 'AWS::RDS::DBSnapshot',
      dBClusterSnapshotIdentifier: 'AWS::RDS::DBClusterSnapshot',
      globalClusterIdentifier: 'AWS::RDS::GlobalCluster',
      targetDBInstanceIdentifier: 'AWS::RDS::DBInstance',
      sourceDBInstanceIdentifier: 'AWS::RDS::DBInstance',
    },
  },
  'secretsmanager.amazonaws.com': { request: { secretId: 'AWS::SecretsManager::Secret', name: 'AWS::SecretsManager::Secret', secretIdList: 'AWS::SecretsManager::Secret' } },
  'ssm.amazonaws.com': { request: { name: 'AWS::SSM::Parameter', names: 'AWS::SSM::Parameter', documentName: 'AWS::SSM::Document', target: 'AWS::EC2::Instance' } },
  'sns.amazonaws.com': { request: { topicArn: 'AWS::SNS::Topic' }, response: { topicArn: 'AWS::SNS::Topic', subscriptionArn: 'AWS::SNS::Subscription' } },
  'sqs.amazonaws.com': { request: { queueUrl: 'AWS::SQS::Queue', queueName: 'AWS::SQS::Queue' } },
  'cloudformation.amazonaws.com': { request: { stackName: 'AWS::CloudFormation::Stack', stackSetName: 'AWS::CloudFormation::StackSet' } },
  'logs.amazonaws.com': { request: { logGroupName: 'AWS::Logs::LogGroup', logStreamName: 'AWS::Logs::LogStream' } },
  'guardduty.amazonaws.com': { request: { detectorId: 'AWS::GuardDuty::Detector' }, response: { detectorId: 'AWS::GuardDuty::Detector' } },
  'config.amazonaws.com': { request: { configurationRecorderName: 'AWS::Config::ConfigurationRecorder', configRuleName: 'AWS::Config::ConfigRule' } },
  'dynamodb.amazonaws.com': { request: { tableName: 'AWS::DynamoDB::Table' } },
  'ecr.amazonaws.com': { request: { repositoryName: 'AWS::ECR::Repository' } },
  'monitoring.amazonaws.com': { request: { alarmNames: 'AWS::CloudWatch::Alarm', alarmName: 'AWS::CloudWatch::Alarm' } },
  'elasticfilesystem.amazonaws.com': { request: { fileSystemId: 'AWS::EFS::FileSystem', mountTargetId: 'AWS::EFS::MountTarget' } },
};

/** Event names whose only resource is a login profile named after the user. */
const LOGIN_PROFILE_EVENTS = new Set(['CreateLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile', 'GetLoginProfile']);

/** Service prefixes in ARNs → the Service part of AWS::Service::Type (for `resources` entries without a type). */
const ARN_SERVICE: Readonly<Record<string, string>> = {
  ec2: 'EC2', s3: 'S3', iam: 'IAM', sts: 'STS', kms: 'KMS', lambda: 'Lambda', cloudtrail: 'CloudTrail', ssm: 'SSM',
  sns: 'SNS', sqs: 'SQS', rds: 'RDS', dynamodb: 'DynamoDB', logs: 'Logs', secretsmanager: 'SecretsManager',
  ssmmessages: 'SSMMessages', ecr: 'ECR', cloudformation: 'CloudFormation', guardduty: 'GuardDuty',
};

const MAX_NODES = 5000;
const MAX_DEPTH = 12;
const MAX_NAME_LENGTH = 2048;
const REDACTED = new Set(['HIDDEN_DUE_TO_SECURITY_REASONS', '<sensitiveDataRemoved>']);

/** The resources an event names, in discovery order (resources array, request, response), without duplicates. */
export function extractResources(record: CloudTrailRecord): EventResource[] {
  const out: EventResource[] = [];
  const seen = new Set<string>();
  const add = (type: string, name: string): void => {
    if (!name || name.length > MAX_NAME_LENGTH || REDACTED.has(name)) return;
    const k = `${type}\u0000${name}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ type, name });
  };

  const eventSource = typeof record.eventSource === 'string' ? record.eventSource : '';
  const eventName = typeof record.eventName === 'string' ? record.eventName : '';

  // 1. The record's own `resources` array.
  let hasS3Object = false;
  if (Array.isArray(record.resources)) {
    for (const r of record.resources) {
      if (!isObject(r)) continue;
      const arn = typeof r.ARN === 'string' ? r.ARN : typeof r.ARNPrefix === 'string' ? r.ARNPrefix : null;
      if (!arn) continue;
      const type = typeof r.type === 'string' && r.type ? r.type : typeFromArn(arn);
      if (!type) continue;
      if (type === 'AWS::S3::Object') hasS3Object = true;
      add(type, type === 'AWS::S3::Bucket' ? s3BucketName(arn) : arn);
    }
  }

  // Like Event history, a read-only call names only what its `resources` array lists (DescribeInstances with an
  // instance id in its request does not come up in a ResourceName lookup). `search --text` finds those.
  if (record.readOnly === true || record.readOnly === 'true') return out;

  // CloudTrail trails are named by ARN, as Event history shows them; a bare name gets the event's region and account.
  const trailArn = (name: string): string => {
    if (name.startsWith('arn:')) return name;
    const region = typeof record.awsRegion === 'string' ? record.awsRegion : null;
    const account = typeof record.recipientAccountId === 'string' ? record.recipientAccountId : null;
    return region && account ? `arn:aws:cloudtrail:${region}:${account}:trail/${name}` : name;
  };
  const addMapped = (type: string, name: string): void => add(type, type === 'AWS::CloudTrail::Trail' ? trailArn(name) : name);

  // 2. Parameters named by the event source's rule, and EC2 identifiers by value anywhere.
  const rule = RULES[eventSource];
  const req = record.requestParameters;
  const resp = record.responseElements;
  let requestKeys = rule?.request;
  if (eventSource === 'ssm.amazonaws.com' && eventName.includes('Document')) requestKeys = { ...requestKeys, name: 'AWS::SSM::Document' };
  walk(req, requestKeys, addMapped);
  walk(resp, rule?.response, addMapped);

  // 3. Per-API additions.
  if (eventSource === 'iam.amazonaws.com' && LOGIN_PROFILE_EVENTS.has(eventName) && isObject(req) && typeof req.userName === 'string') {
    add('AWS::IAM::LoginProfile', req.userName);
  }
  if (eventSource === 'sts.amazonaws.com' && isObject(resp) && isObject(resp.assumedRoleUser)) {
    const arn = resp.assumedRoleUser.arn;
    if (typeof arn === 'string') {
      // Event history names the assumed-role session by its session name.
      const session = arn.split('/').pop();
      if (session) add('AWS::STS::AssumedRole', session);
    }
  }
  if (eventSource === 's3.amazonaws.com' && !hasS3Object && isObject(req) && typeof req.bucketName === 'string' && typeof req.key === 'string') {
    add('AWS::S3::Object', `arn:aws:s3:::${req.bucketName}/${req.key}`);
  }
  return out;
}

function walk(root: unknown, keys: Readonly<Record<string, string>> | undefined, add: (type: string, name: string) => void): void {
  if (root == null || typeof root !== 'object') return;
  let nodes = 0;
  const visit = (value: unknown, key: string | null, depth: number): void => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) return;
    if (typeof value === 'string') {
      const mapped = key !== null && keys && Object.prototype.hasOwnProperty.call(keys, key) ? keys[key] : undefined;
      // Keys named ...Arn/...ARN carry an ARN; anything else there ("pending confirmation") is not a name.
      if (mapped && !(/(Arn|ARN)$/.test(key as string) && !value.startsWith('arn:'))) {
        // A KMS keyId given as an alias names the alias, not a key.
        add(mapped === 'AWS::KMS::Key' && value.startsWith('alias/') ? 'AWS::KMS::Alias' : mapped, value);
        return;
      }
      const m = EC2_ID_RE.exec(value);
      if (m) add(EC2_ID_TYPES[m[1]], value);
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) visit(v, key, depth + 1);
      return;
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, k, depth + 1);
    }
  };
  visit(root, null, 0);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function s3BucketName(arn: string): string {
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)\/?$/.exec(arn);
  return m ? m[1] : arn;
}

/** AWS::Service::Type from an ARN, for `resources` entries that have no type. */
export function typeFromArn(arn: string): string | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  const svc = parts[2];
  const rest = parts.slice(5).join(':');
  if (svc === 's3') return rest.includes('/') ? 'AWS::S3::Object' : 'AWS::S3::Bucket';
  const service = ARN_SERVICE[svc] ?? (svc ? svc.charAt(0).toUpperCase() + svc.slice(1) : '');
  const rtype = rest.split(/[/:]/)[0];
  if (!service || !rtype) return null;
  const pascal = rtype
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
  return `AWS::${service}::${pascal}`;
}
