// The request parameters that decide what a sensitive call did, per event name: who a snapshot or image was shared
// with, what a bucket policy grants and to whom, what was launched where, which parameters and secrets were read,
// which role, user, policy, trust anchor or identity provider was touched. Data, reviewed like the sensitive table
// (sensitive-actions.ts): one entry per event name gives the parameters as a small JSON object; `decisiveParams`
// adds a short one-line `detail` for tables. Pure over a record's requestParameters and responseElements. Control-plane
// calls only: high-volume data calls (object reads and writes, KMS Decrypt, bucket listings) have no entry, so an
// investigation never reads thousands of bodies for them (their bucket and key are in the events' resources).

import { decodePolicy } from './iam-policy.js';
import { asObj, path, pick, str, type Obj } from './record.js';

/** The decisive parameters of one call, and the same in one short line. */
export interface DecisiveParams {
  parameters: Record<string, unknown>;
  detail: string;
}

type Params = Record<string, unknown>;
type Extract = (rp: Obj, resp: Obj, region: string | null) => Params;

/** The longest detail shown in a table cell. */
export const MAX_DETAIL = 160;

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(strings);
  const o = asObj(v);
  if (o && Array.isArray(o.items)) return strings(o.items);
  const s = str(v);
  return s ? [s] : [];
}

/** Only the fields that have a value. */
function present(o: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out;
}

/** EC2 permission lists (`{add: {items: [{userId} | {group: 'all'}]}}`): the accounts, `all` meaning public. */
function permissionChange(attr: unknown): { add: string[]; remove: string[] } {
  const side = (op: 'add' | 'remove'): string[] => {
    const v = pick(attr, op, op === 'add' ? 'Add' : 'Remove');
    const items = Array.isArray(v) ? v : (asObj(v)?.items as unknown[] | undefined) ?? [];
    return (Array.isArray(items) ? items : []).flatMap((i) => strings(pick(i, 'userId', 'UserId', 'group', 'Group', 'organizationArn', 'organizationalUnitArn')));
  };
  return { add: side('add'), remove: side('remove') };
}

function sharing(idKey: string, attrKeys: string[]): Extract {
  return (rp) => {
    const attr = attrKeys.map((k) => pick(rp, k)).find((v) => v !== undefined);
    const { add, remove } = permissionChange(attr);
    return present({ [idKey]: str(pick(rp, idKey)), sharedWith: add, unsharedFrom: remove, public: add.includes('all') || undefined });
  };
}

function rdsSharing(idKey: string): Extract {
  return (rp) => {
    const add = strings(rp.valuesToAdd);
    return present({ [idKey]: str(rp[idKey]), attributeName: str(rp.attributeName), sharedWith: add, unsharedFrom: strings(rp.valuesToRemove), public: add.includes('all') || undefined });
  };
}

/** A principal as policies write it: `*`, `{AWS: [...]}`, `{Service: ...}`. */
function principalList(p: unknown): string[] {
  if (typeof p === 'string') return [p];
  const o = asObj(p);
  if (!o) return [];
  return Object.entries(o).flatMap(([k, v]) => strings(v).map((x) => (k === 'AWS' && x === '*' ? '*' : `${k}:${x}`)));
}

/** What each statement of a resource policy grants, and whether any Allow is open to everyone without a condition. */
function policyGrants(doc: unknown): { grants: Params[]; public: boolean } {
  const statements = path(doc, 'Statement');
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  const grants: Params[] = [];
  let open = false;
  for (const st of list) {
    const principals = principalList(pick(st, 'Principal'));
    const effect = str(pick(st, 'Effect'));
    const conditioned = asObj(pick(st, 'Condition')) !== null;
    if (effect === 'Allow' && principals.includes('*') && !conditioned) open = true;
    grants.push(present({ effect, principals, actions: strings(pick(st, 'Action')), conditioned: conditioned || undefined }));
  }
  return { grants, public: open };
}

function bucketPolicy(rp: Obj): Params {
  const raw = rp.bucketPolicy ?? rp.policy;
  const decoded = decodePolicy(raw);
  const { grants, public: open } = policyGrants(decoded?.document ?? null);
  return present({ bucketName: str(rp.bucketName), grants, public: open || undefined });
}

function names(...keys: string[]): Extract {
  return (rp) => {
    const out: Params = {};
    for (const k of keys) {
      const v = pick(rp, k);
      const list = strings(v);
      if (list.length === 1 && !Array.isArray(v)) out[k] = list[0];
      else if (list.length) out[k] = list;
      else if (typeof v === 'boolean') out[k] = v;
    }
    return out;
  };
}

function runInstances(rp: Obj, resp: Obj, region: string | null): Params {
  const items = path(rp, 'instancesSet', 'items');
  const first = Array.isArray(items) ? asObj(items[0]) : null;
  const launched = path(resp, 'instancesSet', 'items');
  return present({
    instanceType: str(rp.instanceType),
    count: str(first?.maxCount) ?? str(first?.minCount),
    imageId: str(first?.imageId) ?? str(rp.imageId),
    region,
    instanceIds: Array.isArray(launched) ? launched.flatMap((i) => strings(pick(i, 'instanceId'))) : [],
  });
}

function instanceIds(rp: Obj): string[] {
  const items = path(rp, 'instancesSet', 'items');
  return [...(Array.isArray(items) ? items.flatMap((i) => strings(pick(i, 'instanceId'))) : []), ...strings(rp.instanceId)];
}

/** A lifecycle configuration's expirations (one rule is an object, several an array). */
function lifecycle(rp: Obj): Params {
  const rule = path(rp, 'LifecycleConfiguration', 'Rule');
  const rules = Array.isArray(rule) ? rule : rule ? [rule] : [];
  return present({ bucketName: str(rp.bucketName), expirationDays: rules.flatMap((r) => strings(path(r, 'Expiration', 'Days'))) });
}

function trailSettings(rp: Obj): Params {
  return present({ trail: str(rp.trailName) ?? str(rp.name), s3BucketName: str(rp.s3BucketName), isMultiRegionTrail: rp.isMultiRegionTrail, includeGlobalServiceEvents: rp.includeGlobalServiceEvents, enableLogFileValidation: rp.enableLogFileValidation });
}

function eventSelectors(rp: Obj): Params {
  const basic = Array.isArray(rp.eventSelectors) ? (rp.eventSelectors as unknown[]).map((s) => present({ readWriteType: str(pick(s, 'readWriteType')), includeManagementEvents: pick(s, 'includeManagementEvents') })) : [];
  const advanced = Array.isArray(rp.advancedEventSelectors)
    ? (rp.advancedEventSelectors as unknown[]).map((s) => strings((pick(s, 'fieldSelectors') as unknown[] | undefined ?? []).filter((f) => pick(f, 'field') === 'eventCategory').flatMap((f) => strings(pick(f, 'equals')))).join('+') || '?')
    : [];
  return present({ trail: str(rp.trailName), eventSelectors: basic, advancedEventCategories: advanced });
}

function flowLogIds(rp: Obj): Params {
  const req = asObj(rp.DeleteFlowLogsRequest) ?? rp;
  const ids = pick(req, 'FlowLogId', 'flowLogIds', 'FlowLogIds');
  const list = Array.isArray(ids) ? ids.flatMap((i) => strings(pick(i, 'content') ?? i)) : strings(pick(ids, 'content') ?? ids);
  return present({ flowLogIds: list });
}

function lambdaPermission(rp: Obj): Params {
  return present({ functionName: str(rp.functionName), principal: str(rp.principal), action: str(rp.action), sourceAccount: str(rp.sourceAccount), sourceArn: str(rp.sourceArn), principalOrgID: str(rp.principalOrgID), public: rp.principal === '*' || undefined });
}

function trustAnchor(rp: Obj, resp: Obj): Params {
  return present({
    name: str(rp.name) ?? str(path(resp, 'trustAnchor', 'name')),
    trustAnchorId: str(rp.trustAnchorId) ?? str(path(resp, 'trustAnchor', 'trustAnchorId')),
    sourceType: str(path(rp, 'source', 'sourceType')),
    enabled: typeof rp.enabled === 'boolean' ? rp.enabled : undefined,
  });
}

function raProfile(rp: Obj, resp: Obj): Params {
  return present({ name: str(rp.name) ?? str(path(resp, 'profile', 'name')), profileId: str(rp.profileId) ?? str(path(resp, 'profile', 'profileId')), roleArns: strings(rp.roleArns), enabled: typeof rp.enabled === 'boolean' ? rp.enabled : undefined });
}

/** What an IAM call names: the entities and policies, and the provider of a federation call. */
const IAM_KEYS = ['userName', 'groupName', 'roleName', 'policyArn', 'policyName', 'instanceProfileName', 'name', 'url', 'sAMLProviderArn', 'openIDConnectProviderArn', 'clientID', 'clientIDList', 'thumbprintList', 'accessKeyId', 'status', 'serialNumber'];

/** Entries: event names (exact) → the decisive parameters. */
const TABLE: ReadonlyArray<{ names: readonly string[]; extract: Extract }> = [
  { names: ['ModifySnapshotAttribute'], extract: sharing('snapshotId', ['createVolumePermission', 'CreateVolumePermission']) },
  { names: ['ModifyImageAttribute'], extract: sharing('imageId', ['launchPermission', 'LaunchPermission']) },
  { names: ['ModifyFpgaImageAttribute'], extract: sharing('fpgaImageId', ['loadPermission', 'LoadPermission']) },
  { names: ['ModifyDBSnapshotAttribute'], extract: rdsSharing('dBSnapshotIdentifier') },
  { names: ['ModifyDBClusterSnapshotAttribute'], extract: rdsSharing('dBClusterSnapshotIdentifier') },
  { names: ['PutBucketPolicy'], extract: bucketPolicy },
  { names: ['PutBucketAcl', 'PutObjectAcl'], extract: (rp) => present({ bucketName: str(rp.bucketName), key: str(rp.key), cannedAcl: strings(rp['x-amz-acl']), public: strings(rp['x-amz-acl']).some((a) => a.startsWith('public')) || undefined }) },
  { names: ['DeleteBucketPolicy', 'DeletePublicAccessBlock', 'PutBucketPublicAccessBlock', 'DeleteBucket', 'PutBucketReplication'], extract: names('bucketName') },
  { names: ['PutBucketLifecycle', 'PutBucketLifecycleConfiguration'], extract: lifecycle },
  { names: ['RunInstances'], extract: runInstances },
  { names: ['StartInstances', 'ModifyInstanceAttribute', 'GetPasswordData', 'CreateImage'], extract: (rp) => present({ instanceIds: instanceIds(rp) }) },
  { names: ['CreateSnapshot'], extract: names('volumeId') },
  { names: ['CopySnapshot', 'CopyImage'], extract: names('sourceSnapshotId', 'sourceImageId', 'sourceRegion', 'destinationRegion') },
  { names: ['ImportKeyPair', 'CreateKeyPair'], extract: names('keyName') },
  { names: ['GetParameter'], extract: names('name') },
  { names: ['GetParameters'], extract: names('names') },
  { names: ['GetParametersByPath'], extract: names('path', 'recursive') },
  { names: ['GetSecretValue'], extract: names('secretId') },
  { names: ['BatchGetSecretValue'], extract: names('secretIdList') },
  { names: ['SendCommand'], extract: (rp) => present({ documentName: str(rp.documentName), instanceIds: strings(rp.instanceIds), targets: strings((rp.targets as unknown[] | undefined)?.map((t) => pick(t, 'values'))) }) },
  { names: ['StartSession'], extract: names('target') },
  { names: ['CreateResourceShare', 'AssociateResourceShare'], extract: (rp) => present({ name: str(rp.name), resourceShareArn: str(rp.resourceShareArn), principals: strings(rp.principals), resourceArns: strings(rp.resourceArns), allowExternalPrincipals: rp.allowExternalPrincipals }) },
  { names: ['CreateGrant'], extract: (rp) => present({ keyId: str(rp.keyId), granteePrincipal: str(rp.granteePrincipal), operations: strings(rp.operations) }) },
  { names: ['PutKeyPolicy'], extract: (rp) => ({ keyId: str(rp.keyId), ...policyGrants(decodePolicy(rp.policy)?.document ?? null) }) },
  { names: ['ScheduleKeyDeletion', 'DisableKey'], extract: names('keyId', 'pendingWindowInDays') },
  { names: ['CreateTrustAnchor', 'UpdateTrustAnchor', 'EnableTrustAnchor', 'DisableTrustAnchor', 'DeleteTrustAnchor'], extract: trustAnchor },
  { names: ['CreateProfile', 'UpdateProfile', 'EnableProfile', 'DisableProfile', 'DeleteProfile'], extract: raProfile },
  { names: ['ImportCrl', 'UpdateCrl', 'EnableCrl', 'DisableCrl', 'DeleteCrl'], extract: names('name', 'crlId', 'trustAnchorArn') },
  { names: ['StopLogging', 'StartLogging', 'DeleteTrail', 'UpdateTrail', 'CreateTrail'], extract: trailSettings },
  { names: ['PutEventSelectors'], extract: eventSelectors },
  { names: ['DeleteFlowLogs'], extract: flowLogIds },
  { names: ['DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig'], extract: names('resolverQueryLogConfigId', 'resourceId') },
  { names: ['DeleteDetector', 'UpdateDetector'], extract: names('detectorId', 'enable') },
  { names: ['StopConfigurationRecorder', 'DeleteConfigurationRecorder'], extract: names('configurationRecorderName') },
  { names: ['DeleteDeliveryChannel'], extract: names('deliveryChannelName') },
  { names: ['BatchDisableStandards'], extract: names('StandardsSubscriptionArns') },
  { names: ['DeleteLogGroup', 'DeleteLogStream', 'PutRetentionPolicy', 'DeleteSubscriptionFilter'], extract: names('logGroupName', 'logStreamName', 'retentionInDays') },
  { names: ['GetFederationToken'], extract: names('name') },
];

const LAMBDA_PERMISSION = /^AddPermission/;
const BY_NAME = new Map<string, Extract>();
for (const e of TABLE) for (const n of e.names) BY_NAME.set(n, e.extract);

/** The event names the table knows (plus IAM writes and Lambda AddPermission*, read by pattern). */
export const DECISIVE_EVENT_NAMES: readonly string[] = [...BY_NAME.keys()];

function extractorFor(eventSource: string | null, eventName: string): Extract | null {
  if (LAMBDA_PERMISSION.test(eventName) && eventSource === 'lambda.amazonaws.com') return lambdaPermission;
  if (eventSource === 'iam.amazonaws.com' && !BY_NAME.has(eventName)) return names(...IAM_KEYS);
  return BY_NAME.get(eventName) ?? null;
}

/** A value as a table shows it. */
function show(v: unknown): string {
  if (Array.isArray(v)) return v.map(show).join(',');
  if (v && typeof v === 'object') {
    return Object.entries(v as Obj)
      .map(([k, x]) => (k === 'principals' || k === 'actions' || k === 'effect' ? show(x) : `${k}=${show(x)}`))
      .join(' ');
  }
  return String(v);
}

/** One line: `key=value; …`, shortened to MAX_DETAIL characters. */
export function detailLine(parameters: Record<string, unknown>): string {
  const line = Object.entries(parameters)
    .map(([k, v]) => (v === true && k === 'public' ? 'PUBLIC' : `${k}=${show(v)}`))
    .join('; ');
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

/** Does the call have decisive parameters to read (is its body worth reading)? */
export function hasDecisiveParams(eventSource: string | null, eventName: string | null): boolean {
  return !!eventName && extractorFor(eventSource, eventName) !== null;
}

/**
 * The decisive parameters of a call, from its record (null when the body is not available or the event name has no
 * entry and is not an IAM write).
 */
export function decisiveParams(eventSource: string | null, eventName: string | null, record: Obj | null, region: string | null = null): DecisiveParams | null {
  if (!record || !eventName) return null;
  const extract = extractorFor(eventSource, eventName);
  if (!extract) return null;
  const rp = asObj(record.requestParameters) ?? {};
  const resp = asObj(record.responseElements) ?? {};
  const parameters = extract(rp, resp, region);
  return { parameters, detail: detailLine(parameters) };
}
