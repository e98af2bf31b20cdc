// Plain data types shared by every layer. Imports nothing.

/** A CloudTrail record as parsed from JSON: CloudTrail's own field names, loosely typed. */
export type CloudTrailRecord = Record<string, unknown>;

/** What a file in the evidence turned out to be. */
export type SourceKind =
  | 'cloudtrail-log' // {"Records":[...]} from a trail bucket (gz or already decompressed)
  | 'cloudtrail-insight' // CloudTrail-Insight/ files: insight events
  | 'cloudtrail-digest' // CloudTrail-Digest/ files: recorded, never ingested as events
  | 'records-json' // {"Records":[...]} outside a bucket layout (console JSON download, hand exports)
  | 'lookup-events' // `aws cloudtrail lookup-events` output, one or several pages
  | 'event-json' // a single event object, or a JSON array of events
  | 'ndjson' // one event per line (optionally gzipped)
  | 'console-csv' // CSV export (console Event history download or a column-mapped CSV)
  | 'public-keys' // saved `aws cloudtrail list-public-keys` output: integrity input, not events
  | 'digest-metadata' // saved S3 metadata of digests (signatures): integrity input, not events
  | 'skipped'; // anything else: recorded with the reason

/** Facts read from an S3 key path such as AWSLogs/[o-org/]<acct>/CloudTrail/<region>/YYYY/MM/DD/<file>. */
export interface KeyPathInfo {
  /** Everything before AWSLogs/ (bucket folder and trail prefix), '' when none. */
  prefix: string;
  orgId: string | null;
  accountId: string;
  /** 'CloudTrail' | 'CloudTrail-Digest' | 'CloudTrail-Insight' | other sibling folder. */
  folder: string;
  region: string;
  /** YYYY-MM-DD from the date folders (delivery date). */
  date: string | null;
  /** The S3 key from AWSLogs/ on, with the prefix: what digests list as s3Object. */
  s3Key: string;
  /** Delivery time from a log file name (YYYYMMDDTHHmmZ) as ISO, when the name has one. */
  fileTime: string | null;
}

/** Columns an investigation needs, extracted from a record at ingest time. */
export interface EventColumns {
  eventId: string;
  /** Milliseconds since the epoch, UTC; null when the record has no usable eventTime. */
  eventTime: number | null;
  eventName: string | null;
  eventSource: string | null;
  awsRegion: string | null;
  recipientAccountId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  identityType: string | null;
  arn: string | null;
  principalId: string | null;
  accountId: string | null;
  accessKeyId: string | null;
  userName: string | null;
  /** Event history's "User name": userName, else the session name, else the principal's last segment. */
  username: string | null;
  sessionIssuerArn: string | null;
  sessionIssuerUserName: string | null;
  /** userIdentity.sessionContext.sessionIssuer.type (Role, IAMUser, Root …). */
  sessionIssuerType: string | null;
  invokedBy: string | null;
  sourceIdentity: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  readOnly: boolean | null;
  eventType: string | null;
  eventCategory: string | null;
  managementEvent: boolean | null;
  sharedEventId: string | null;
  requestId: string | null;
  vpcEndpointId: string | null;
}

/** A resource an event names, as Event history shows it. */
export interface EventResource {
  /** AWS::Service::Type form, e.g. AWS::EC2::Instance. */
  type: string;
  name: string;
}

export type WarningSeverity = 'warning' | 'error';

