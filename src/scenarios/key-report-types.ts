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

/** A credential the investigated key led to: its lineage node (credentials.ts) as reported, with its activity. */
export type DerivedCredential = Pick<
  CredentialNode,
  'accessKeyId' | 'via' | 'eventId' | 'eventTime' | 'depth' | 'roleArn' | 'roleSessionName' | 'sessionArn' | 'accountId' | 'crossAccount' | 'linkedBy' | 'linkedEventIds' | 'expiration'
> & {
  /** Derived credentials always have a parent. */
  parentAccessKeyId: string;
  eventCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
};
