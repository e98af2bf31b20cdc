// Sensitive actions, grouped the way a responder reads a stolen-key timeline. Data, reviewed like rules: an entry is
// an event source and event names (exact, or a `Prefix*`). IAM writes include the identity providers (SAML, OIDC);
// Roles Anywhere trust anchors and profiles are IAM changes too. What each call decided (who a snapshot was shared
// with, what a policy grants) is decisive-params.ts; which calls weaken logging is defence-evasion.ts.

export type SensitiveCategory = 'compute' | 'iam' | 'data' | 'sharing' | 'defence-evasion';

export const SENSITIVE_CATEGORY_TITLES: Record<SensitiveCategory, string> = {
  compute: 'Compute launched',
  iam: 'IAM changes',
  data: 'S3 / data access and transfer',
  sharing: 'Snapshot / AMI sharing',
  'defence-evasion': 'Logging / defence evasion',
};

interface Entry {
  source: string;
  names: readonly string[];
  category: SensitiveCategory;
}

const TABLE: readonly Entry[] = [
  { source: 'ec2.amazonaws.com', category: 'compute', names: ['RunInstances', 'StartInstances', 'CreateFleet', 'RequestSpotInstances', 'RequestSpotFleet', 'CreateLaunchTemplate', 'ModifyInstanceAttribute', 'ImportKeyPair', 'CreateKeyPair'] },
  { source: 'lambda.amazonaws.com', category: 'compute', names: ['CreateFunction*', 'UpdateFunctionCode*', 'UpdateFunctionConfiguration*', 'AddPermission*', 'CreateFunctionUrlConfig*'] },
  { source: 'ecs.amazonaws.com', category: 'compute', names: ['RunTask', 'CreateService', 'RegisterTaskDefinition', 'CreateCluster'] },
  { source: 'batch.amazonaws.com', category: 'compute', names: ['SubmitJob', 'CreateComputeEnvironment'] },
  { source: 'sagemaker.amazonaws.com', category: 'compute', names: ['CreateNotebookInstance', 'CreateTrainingJob', 'CreateProcessingJob'] },
  { source: 'lightsail.amazonaws.com', category: 'compute', names: ['CreateInstances'] },
  { source: 'autoscaling.amazonaws.com', category: 'compute', names: ['CreateAutoScalingGroup', 'UpdateAutoScalingGroup', 'SetDesiredCapacity'] },
  { source: 'ssm.amazonaws.com', category: 'compute', names: ['SendCommand', 'StartSession'] },
  { source: 'iam.amazonaws.com', category: 'iam', names: ['Create*', 'Delete*', 'Attach*', 'Detach*', 'Put*', 'Update*', 'Add*', 'Remove*', 'Set*', 'Enable*', 'Deactivate*', 'Change*', 'Upload*', 'Tag*', 'Untag*', 'ResetServiceSpecificCredential', 'ResyncMFADevice'] },
  { source: 'sts.amazonaws.com', category: 'iam', names: ['GetFederationToken'] },
  { source: 'rolesanywhere.amazonaws.com', category: 'iam', names: ['CreateTrustAnchor', 'UpdateTrustAnchor', 'EnableTrustAnchor', 'DisableTrustAnchor', 'DeleteTrustAnchor', 'CreateProfile', 'UpdateProfile', 'EnableProfile', 'DisableProfile', 'DeleteProfile', 'ImportCrl', 'UpdateCrl', 'EnableCrl', 'DisableCrl', 'DeleteCrl', 'PutNotificationSettings', 'ResetNotificationSettings', 'PutAttributeMapping', 'DeleteAttributeMapping'] },
  { source: 'sso.amazonaws.com', category: 'iam', names: ['CreatePermissionSet', 'AttachManagedPolicyToPermissionSet', 'PutInlinePolicyToPermissionSet', 'CreateAccountAssignment'] },
  { source: 's3.amazonaws.com', category: 'data', names: ['GetObject', 'CopyObject', 'PutObject', 'DeleteObject', 'DeleteObjects', 'ListBuckets', 'ListObjects', 'ListObjectsV2', 'ListBucket', 'GetBucketPolicy', 'GetBucketAcl', 'PutBucketReplication', 'DeleteBucket', 'SelectObjectContent', 'RestoreObject', 'PutBucketLifecycle', 'PutBucketLifecycleConfiguration'] },
  { source: 's3.amazonaws.com', category: 'sharing', names: ['PutBucketPolicy', 'PutBucketAcl', 'PutObjectAcl', 'DeleteBucketPolicy', 'DeletePublicAccessBlock', 'PutBucketPublicAccessBlock', 'PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock'] },
  { source: 'rds.amazonaws.com', category: 'data', names: ['StartExportTask', 'RestoreDBInstanceFromDBSnapshot', 'RestoreDBClusterFromSnapshot', 'ModifyDBInstance', 'CreateDBSnapshot', 'CreateDBClusterSnapshot'] },
  { source: 'rds.amazonaws.com', category: 'sharing', names: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'] },
  { source: 'dynamodb.amazonaws.com', category: 'data', names: ['ExportTableToPointInTime', 'Scan', 'DeleteTable'] },
  { source: 'secretsmanager.amazonaws.com', category: 'data', names: ['GetSecretValue', 'BatchGetSecretValue'] },
  { source: 'ssm.amazonaws.com', category: 'data', names: ['GetParameter', 'GetParameters', 'GetParametersByPath'] },
  { source: 'kms.amazonaws.com', category: 'data', names: ['Decrypt', 'ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'] },
  { source: 'ec2.amazonaws.com', category: 'data', names: ['CreateSnapshot', 'CopySnapshot', 'CreateImage', 'CopyImage', 'GetPasswordData', 'ExportImage', 'CreateInstanceExportTask'] },
  { source: 'ec2.amazonaws.com', category: 'sharing', names: ['ModifySnapshotAttribute', 'ModifyImageAttribute', 'ModifyFpgaImageAttribute', 'DisableEbsEncryptionByDefault', 'DisableSnapshotBlockPublicAccess', 'DisableImageBlockPublicAccess'] },
  { source: 'ram.amazonaws.com', category: 'sharing', names: ['CreateResourceShare', 'AssociateResourceShare'] },
  { source: 'kms.amazonaws.com', category: 'sharing', names: ['CreateGrant'] },
  { source: 'cloudtrail.amazonaws.com', category: 'defence-evasion', names: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors', 'DeleteEventDataStore', 'StopEventDataStoreIngestion'] },
  { source: 'guardduty.amazonaws.com', category: 'defence-evasion', names: ['DeleteDetector', 'UpdateDetector', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount', 'DeleteMembers', 'CreateIPSet', 'UpdateIPSet', 'CreateFilter', 'UpdateFilter', 'StopMonitoringMembers', 'DeletePublishingDestination', 'UpdatePublishingDestination', 'DisableOrganizationAdminAccount', 'UpdateMalwareScanSettings'] },
  { source: 'config.amazonaws.com', category: 'defence-evasion', names: ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel', 'DeleteConfigRule', 'DeleteConfigurationAggregator', 'DeleteRetentionConfiguration'] },
  { source: 'logs.amazonaws.com', category: 'defence-evasion', names: ['DeleteLogGroup', 'DeleteLogStream', 'PutRetentionPolicy', 'DeleteSubscriptionFilter'] },
  { source: 'ec2.amazonaws.com', category: 'defence-evasion', names: ['DeleteFlowLogs'] },
  { source: 'route53resolver.amazonaws.com', category: 'defence-evasion', names: ['DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig'] },
  { source: 'securityhub.amazonaws.com', category: 'defence-evasion', names: ['DisableSecurityHub', 'BatchDisableStandards', 'DeleteInsight'] },
  { source: 'access-analyzer.amazonaws.com', category: 'defence-evasion', names: ['DeleteAnalyzer'] },
  { source: 'organizations.amazonaws.com', category: 'defence-evasion', names: ['LeaveOrganization', 'DeletePolicy', 'DetachPolicy'] },
  { source: 'cloudwatch.amazonaws.com', category: 'defence-evasion', names: ['DeleteAlarms', 'DisableAlarmActions'] },
];

const BY_SOURCE = new Map<string, Entry[]>();
for (const e of TABLE) {
  const list = BY_SOURCE.get(e.source);
  if (list) list.push(e);
  else BY_SOURCE.set(e.source, [e]);
}
const memo = new Map<string, SensitiveCategory | null>();

/** The sensitive category of an event, or null. */
export function sensitiveCategory(eventSource: string | null, eventName: string | null): SensitiveCategory | null {
  if (!eventSource || !eventName) return null;
  const k = `${eventSource} ${eventName}`;
  const known = memo.get(k);
  if (known !== undefined) return known;
  let found: SensitiveCategory | null = null;
  for (const e of BY_SOURCE.get(eventSource) ?? []) {
    if (e.names.some((n) => (n.endsWith('*') ? eventName.startsWith(n.slice(0, -1)) : eventName === n))) {
      found = e.category;
      break;
    }
  }
  if (memo.size < 50_000) memo.set(k, found);
  return found;
}
