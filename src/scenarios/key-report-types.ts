// The owner and derived-credential shapes of `investigate access-key`, apart from the investigation so that the
// response plan (response.ts) can read them without importing the investigation that calls it.

import type { CredentialNode } from './credentials.js';

export interface Owner {
  userName: string | null;
  arn: string | null;
  accountId: string | null;
  /** userIdentity.type of the owner (IAMUser, Root, AssumedRole...). */
  type: string | null;
  /** Where the owner was read from. */
  source: 'events' | 'CreateAccessKey';
}

export interface DerivedCredential {
  accessKeyId: string;
  parentAccessKeyId: string;
  via: string | null;
  eventId: string | null;
  eventTime: string | null;
  depth: number;
  roleArn: string | null;
  roleSessionName: string | null;
  sessionArn: string | null;
  accountId: string | null;
  crossAccount: boolean;
  linkedBy: CredentialNode['linkedBy'];
  linkedEventIds: string[];
  expiration: string | null;
  eventCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
}
