// The catalog of investigation findings: one entry per finding type an investigation (src/scenarios) can emit, with
// the metadata a detection rule carries (title, Sigma level, ATT&CK tags), what it means, what to do next and an
// example message. The id is the `type` string of the investigation's JSON output. docs/findings.md documents each
// entry (test/model/finding-types.test.ts checks that the two list the same ids). Pure data; imports only model types.

import type { Level } from './detection.js';

/** The investigations that emit findings (their names in `trailhound investigate`). */
export type InvestigationName = 'access-key' | 'instance' | 'security-group' | 'iam' | 'console-logins';

/**
 * The levels a finding type may have. Investigation JSON shows the level as `severity` (high|medium|low|info, with
 * `info` for informational), a scale without `critical`: a critical finding type would have to widen it first.
 */
export type FindingLevel = Exclude<Level, 'critical'>;

/** What a finding type says about itself. */
export interface FindingTypeInfo {
  /** A few words, as a rule title. */
  title: string;
  level: FindingLevel;
  /**
   * A second level the investigation uses instead of `level` in one stated case (e.g. raised when principals outside
   * the case's accounts are involved, lowered when an AWS service acted on its own).
   */
  alternateLevel?: { level: FindingLevel; when: string };
  investigation: InvestigationName;
  /** What the finding means and what to do next: two or three sentences. */
  description: string;
  /** ATT&CK tags in Sigma's form (`attack.<tactic>`, `attack.t<technique>`); empty when no technique applies. */
  tags: readonly string[];
  /** A message as the investigation writes it. */
  example: string;
}

/** One entry of the catalog: the id and its metadata. */
export interface FindingType extends FindingTypeInfo {
  id: string;
}

const CATALOG = {
  // ---- access-key ----
  'first-anomaly': {
    title: 'First departure from the key owner\'s usual activity',
    level: 'high',
    alternateLevel: { level: 'medium', when: 'fewer than two strong signals agree with the new source IP (confidence medium or low)' },
    investigation: 'access-key',
    description:
      'The first event signed by the key (or by what it minted) from a source IP the owner\'s usable baseline does not have, with agreeing signals: a new user-agent family, region or service, a burst of denied calls or a sensitive action from that address within the hour (strong), a new network or an unusual hour (weak); the suspect window starts here. Confirm with the owner whether the IP and client are theirs; if not, treat everything after it as the attacker\'s and rotate the key.',
    tags: ['attack.initial-access', 'attack.t1078.004'],
    example: 'first departure from the owner\'s usual activity (confidence high): source IP 198.51.100.77 not seen on the owner\'s last 4 active days; user agent aws-cli/2.9.19 on Kali not seen before; a burst of denied calls from this address within the hour',
  },
  'thin-baseline': {
    title: 'Baseline too thin; suspect window set from attack signals',
    level: 'low',
    investigation: 'access-key',
    description:
      'The owner\'s history before the activity with attack signals (denied-call bursts, sensitive actions) is below the baseline minimum (3 active days, 30 events, 48 hours), so nothing can be called new or usual: the suspect window covers the activity of the addresses with those signals, at low confidence. Establish with the owner which addresses and clients are theirs before acting on the window\'s bounds.',
    tags: ['attack.initial-access', 'attack.t1078.004'],
    example: 'baseline too thin to tell usual from unusual: no events before the activity with attack signals (needs at least 3 active days, 30 events and 48 hours); 198.51.100.140: 27 denied calls in bursts; sensitive actions StopLogging, DeleteTrail; suspect window set to that activity (confidence low)',
  },
  'persistence-access-key': {
    title: 'Access key created by the investigated credentials',
    level: 'high',
    investigation: 'access-key',
    description:
      'The key, or credentials it minted, ran CreateAccessKey: a long-term key that survives rotating the stolen one. Delete the created key (the response commands list it) and investigate it in turn; the message says whether the evidence shows it used, and whether it was already deleted or deactivated later (then the response gives it no command and the finding\'s `undoneBy` is that call\'s event id).',
    tags: ['attack.persistence', 'attack.t1098.001'],
    example: 'created access key AKIAHNJXBRJNIGDKTSD6 for user svc-backup-sync, used 2 times (last 2025-02-12T23:57:51Z)',
  },
  'cross-account-credentials': {
    title: 'Credentials minted in other accounts',
    level: 'high',
    investigation: 'access-key',
    description:
      'The lineage reaches a role in another account (an AssumeRole across accounts), so the incident spans that account too. Collect that account\'s CloudTrail, revoke the role\'s older sessions there, and review who the role trusts.',
    tags: ['attack.lateral-movement', 'attack.t1078.004'],
    example: 'minted credentials in other accounts: arn:aws:iam::111122223333:role/prod-ops-crossaccount',
  },
  'access-denied-burst': {
    title: 'Burst of denied calls',
    level: 'medium',
    investigation: 'access-key',
    description:
      'At least 5 calls of one action family denied (AccessDenied, UnauthorizedOperation and the like), each within 2 minutes of the family\'s one before: someone probing what the key may do, one technique per burst (read-only calls of any service are one family, changes one family per service). Read the event names to see what was tried, and check whether any of it succeeded later by another path.',
    tags: ['attack.discovery', 'attack.t1580'],
    example: '9 denied calls between 2025-02-12T23:41:45Z and 2025-02-12T23:41:58Z (reconnaissance)',
  },
  'defence-evasion': {
    title: 'Logging or defence changes',
    level: 'high',
    alternateLevel: { level: 'medium', when: 'every counted call failed (attempts only)' },
    investigation: 'access-key',
    description:
      'The key or what it minted called APIs that stop or narrow logging and detection: CloudTrail StopLogging or DeleteTrail, event selectors or trail settings that drop events (counted only when they do, saying what), a lifecycle, deletion or policy on a bucket the trails deliver to, GuardDuty, Config, flow logs, resolver query logging, log groups, Security Hub. What succeeded and what failed are listed apart (`succeeded`, `failed`): a failed call is an attempt, not a blind spot. Restore what was changed, and treat the time after a successful change as a possible blind spot: look for other evidence of that period.',
    tags: ['attack.defense-impairment', 'attack.t1685', 'attack.t1685.002'],
    example: 'logging/defence changes succeeded: PutBucketLifecycle (trail bucket acct-trail-bucket), UpdateDetector; failed: StopLogging: AccessDenied',
  },
  'lineage-truncated': {
    title: 'Credential lineage not followed to the end',
    level: 'informational',
    investigation: 'access-key',
    description:
      'The chain of minted credentials is deeper than the 64 levels the investigation follows, so credentials beyond that depth, and their events, are not in the report. Investigate the deepest keys in derivedCredentials on their own to follow the rest.',
    tags: [],
    example: 'lineage deeper than 64 levels was not followed',
  },
  'outside-usual-hours': {
    title: 'Activity outside the owner\'s usual hours',
    level: 'low',
    investigation: 'access-key',
    description:
      'Events at hours of the day (in --tz) at which, give or take an hour, the owner\'s baseline has no activity; the finding cites the first 50. On its own it is weak evidence: read it together with new IPs and user agents.',
    tags: [],
    example: '62 events outside the owner\'s usual hours (UTC)',
  },

  'instance-session-used-elsewhere': {
    title: 'Instance-profile session used outside its instance',
    level: 'medium',
    alternateLevel: { level: 'high', when: 'the calls came from outside AWS with a user agent the instance does not use' },
    investigation: 'access-key',
    description:
      'The key is the role session EC2 issued to an instance (session name the instance id, or minted by AssumeRole from ec2.amazonaws.com), and it made calls from an address that is not the instance\'s own (its private and VPC-endpoint addresses, and public addresses its rotated sessions keep using); reasons lists why. Instance credentials taken from the metadata service (SSRF, a compromised container) are replayed like this. Revoke the role\'s sessions issued before now, find how they were read on the instance, and investigate the instance.',
    tags: ['attack.credential-access', 'attack.t1552.005', 'attack.defense-evasion', 'attack.t1078.004'],
    example: 'instance-profile session of i-0a3c9e7b21f4d8e01 used from 192.0.2.61 (outside AWS, aws-cli/2.9.19 on Kali; 3 calls from 2025-02-10T22:35:45Z); the instance calls from 10.20.11.47',
  },

  // ---- instance ----
  stopped: {
    title: 'Instance stopped',
    level: 'medium',
    alternateLevel: { level: 'informational', when: 'an AWS service (such as Auto Scaling) stopped it on its own' },
    investigation: 'instance',
    description:
      'A successful StopInstances named the instance; the message names the actor, through any role sessions, back to the person. Confirm the stop was intended, by asking the actor or checking the change record.',
    tags: ['attack.impact', 'attack.t1489'],
    example: 'StopInstances by arn:aws:iam::444455556666:user/l.wagner from 203.0.113.11',
  },
  terminated: {
    title: 'Instance terminated',
    level: 'medium',
    alternateLevel: { level: 'informational', when: 'an AWS service (such as Auto Scaling) terminated it on its own' },
    investigation: 'instance',
    description:
      'A successful TerminateInstances named the instance: its instance-store data, and EBS volumes deleted on termination, are gone. Confirm it was intended; if not, look for snapshots to recover from and for what the same actor did next.',
    tags: ['attack.impact', 'attack.t1485'],
    example: 'TerminateInstances by arn:aws:sts::444455556666:assumed-role/ops-admin/lwagner-maint (assumed by arn:aws:iam::444455556666:user/l.wagner) from 203.0.113.11',
  },
  'failed-calls': {
    title: 'Failed calls naming the instance',
    level: 'low',
    investigation: 'instance',
    description:
      'Calls that name the instance failed (their errorCode says why). Denied calls show someone trying what they may not do; read who made them and when.',
    tags: [],
    example: '3 failed calls name the instance',
  },
  'outside-filter': {
    title: 'Instance seen only outside the filter',
    level: 'informational',
    investigation: 'instance',
    description:
      'No event in the time range, accounts or regions asked for names the instance, but events outside them do. Widen or drop --start-time, --end-time, --account or --region.',
    tags: [],
    example: '12 events name i-0abc1234def567890 outside the time range, accounts or regions asked for',
  },

  'instance-credentials-used-elsewhere': {
    title: 'Instance\'s role credentials used elsewhere',
    level: 'medium',
    alternateLevel: { level: 'high', when: 'the calls came from outside AWS with a user agent the instance does not use' },
    investigation: 'instance',
    description:
      'A role session EC2 issued to the instance made calls from an address that is not the instance\'s own (its private and VPC-endpoint addresses, and public addresses its rotated sessions keep using); reasons lists why, and usedElsewhere each address. Instance credentials taken from the metadata service (SSRF, a compromised container) are replayed like this. Revoke the role\'s sessions issued before now, find how they were read on the instance (IMDSv1, a vulnerable app), and investigate the session keys with investigate access-key.',
    tags: ['attack.credential-access', 'attack.t1552.005', 'attack.defense-evasion', 'attack.t1078.004'],
    example: 'role credentials of i-0a3c9e7b21f4d8e01 (arn:aws:iam::444455556666:role/app-server-role) used from 192.0.2.61 (outside AWS, aws-cli/2.9.19 on Kali; 3 calls from 2025-02-10T22:35:45Z); the instance calls from 10.20.11.47',
  },

  // ---- security-group ----
  'world-open-sensitive-port': {
    title: 'Sensitive port opened to the world',
    level: 'high',
    investigation: 'security-group',
    description:
      'A rule change opened a sensitive port (SSH, RDP, databases and the like, or all ports) to the whole IPv4 or IPv6 space: any /0 however its address is written (0.0.0.0/0, 10.1.2.3/0, ::/0, 0::/0), or a prefix list the evidence shows holding one; the finding says whether and when a later change closed it. Check the instances behind the group for access during the window it was open, and close the rule if it still is.',
    tags: ['attack.defense-impairment', 'attack.t1686.001'],
    example: 'AuthorizeSecurityGroupIngress opened 22/ssh to 0.0.0.0/0 on sg-0df4aed2283e31c18; closed by RevokeSecurityGroupIngress at 2025-02-12T08:31:05Z',
  },
  'failed-attempts': {
    title: 'Failed rule changes',
    level: 'low',
    investigation: 'security-group',
    description:
      'Rule changes on the group that failed, with their error codes. A duplicate rule is usually harmless; denied changes show someone trying to open the group.',
    tags: [],
    example: '1 failed rule changes (Client.InvalidPermission.Duplicate)',
  },

  // ---- iam ----
  'admin-equivalent-grant': {
    title: 'Admin-equivalent rights granted',
    level: 'high',
    investigation: 'iam',
    description:
      'A policy attached or written grants administrator-equivalent rights (AdministratorAccess, IAMFullAccess, `*`, `iam:*`, escalation actions on `*`), or a user joined a group known to be admin-equivalent. Confirm the grant was intended; if not, remove it and review everything the grantee did afterwards.',
    tags: ['attack.privilege-escalation', 'attack.persistence', 'attack.t1098.003'],
    example: 'AttachUserPolicy on user svc-backup-sync, policy arn:aws:iam::aws:policy/AdministratorAccess: AdministratorAccess grants every action on every resource',
  },
  'external-trust': {
    title: 'Role trusts principals outside the case',
    level: 'high',
    investigation: 'iam',
    description:
      'A CreateRole or UpdateAssumeRolePolicy lets a principal outside the case\'s accounts (or `*`) assume the role (a re-save of the same policy, compared by meaning, does not repeat it). Check the account against your known vendors and partners; an unknown one is a backdoor: remove it from the trust policy and look for AssumeRole calls from it.',
    tags: ['attack.persistence', 'attack.t1098'],
    example: 'CreateRole lets principals outside the case\'s accounts assume role vendor-audit-role: arn:aws:iam::999988887777:root',
  },
  'trust-policy-widened': {
    title: 'Trust policy allows more principals',
    level: 'medium',
    alternateLevel: { level: 'high', when: 'the new trust policy lets principals outside the case\'s accounts assume the role' },
    investigation: 'iam',
    description:
      'An UpdateAssumeRolePolicy added principals to the role\'s trust policy, compared by meaning with the last document in the evidence (an account id and its root ARN are one principal). Check each added principal is meant to assume the role.',
    tags: ['attack.persistence', 'attack.t1098'],
    example: 'trust policy of role deploy-role now also allows AWS:arn:aws:iam::123456789012:user/mallory',
  },
  'trust-condition-removed': {
    title: 'Trust policy condition removed',
    level: 'medium',
    alternateLevel: { level: 'high', when: 'the new trust policy lets principals outside the case\'s accounts assume the role' },
    investigation: 'iam',
    description:
      'An UpdateAssumeRolePolicy dropped a condition (such as sts:ExternalId or an MFA or source condition) that limited who could assume the role. Restore the condition unless its removal was intended, and look for AssumeRole calls that relied on its absence.',
    tags: ['attack.persistence', 'attack.t1098'],
    example: 'trust policy of role vendor-audit-role: condition {"StringEquals":{"sts:ExternalId":"acme-audit-7731"}} removed for {"AWS":"arn:aws:iam::999988887777:root"}',
  },
  'trust-condition-changed': {
    title: 'Trust policy condition changed',
    level: 'medium',
    investigation: 'iam',
    description:
      'An UpdateAssumeRolePolicy changed a condition of the role\'s trust policy. Compare the old and new values (in the message and the change\'s trustDiff) and check the new one is as strict.',
    tags: ['attack.persistence', 'attack.t1098'],
    example: 'trust policy of role vendor-audit-role: condition {"StringEquals":{"sts:ExternalId":"acme-audit-7731"}} changed to {"StringLike":{"sts:ExternalId":"*"}} for {"AWS":"arn:aws:iam::999988887777:root"}',
  },
  'mfa-removed': {
    title: 'MFA device removed',
    level: 'medium',
    investigation: 'iam',
    description:
      'A DeactivateMFADevice or DeleteVirtualMFADevice took an MFA device away, so the user signs in with a password alone. Confirm with the user; an attacker with the password removes MFA to keep access.',
    tags: ['attack.persistence', 'attack.credential-access', 'attack.t1556.006'],
    example: 'DeactivateMFADevice on user alice, mfa-device arn:aws:iam::123456789012:mfa/alice',
  },
  'credentials-for-other-user': {
    title: 'Credentials set for another user',
    level: 'medium',
    investigation: 'iam',
    description:
      'A principal other than root created an access key or set a console password for another user, one it did not create in the evidence. Administrators do this; an attacker does it to take over an existing user. Confirm with the actor, and deactivate the credentials if unexpected.',
    tags: ['attack.persistence', 'attack.t1098.001'],
    example: 'arn:aws:iam::123456789012:user/mallory ran CreateAccessKey for user bob',
  },
  'federation-trust-added': {
    title: 'Federation trust added',
    level: 'medium',
    investigation: 'iam',
    description:
      'A SAML or OIDC identity provider was created or changed (a client ID or thumbprint added), or an IAM Roles Anywhere trust anchor, profile or CRL change lets certificates of a CA obtain role sessions: whoever controls that identity provider or CA can get credentials without an IAM user or key. Confirm the provider or CA is the organisation\'s own; if not, delete it and review the roles that trust it.',
    tags: ['attack.persistence', 'attack.t1484.002'],
    example: 'CreateTrustAnchor on trust-anchor build-agents: certificates issued by this CERTIFICATE_BUNDLE can obtain role sessions',
  },
  'backdoor-user': {
    title: 'User created with credentials (backdoor)',
    level: 'high',
    investigation: 'iam',
    description:
      'One actor created a user and then gave it an access key or console password (and possibly policies): a ready-made backdoor. Unless it is a known provisioning process, delete the user\'s credentials and the user, and investigate the actor.',
    tags: ['attack.persistence', 'attack.t1136.003', 'attack.t1098.001'],
    example: 'arn:aws:iam::444455556666:user/m.keller created user svc-backup-sync and then ran CreateAccessKey, AttachUserPolicy (admin-equivalent)',
  },

  // ---- console-logins ----
  'root-login': {
    title: 'Root console sign-in',
    level: 'high',
    investigation: 'console-logins',
    description:
      'The root user signed in to the console; the message says when it was without MFA or from an IP new for root. Root use should be rare and planned: confirm who holds the root credentials and why they were used.',
    tags: ['attack.initial-access', 'attack.privilege-escalation', 'attack.t1078.004'],
    example: 'root signed in to the console from 203.0.113.25',
  },
  'root-login-failed': {
    title: 'Failed root console sign-in',
    level: 'medium',
    investigation: 'console-logins',
    description:
      'A root console sign-in failed: someone has the root e-mail address and tried a password. Check the IP, and make sure root has MFA and a strong password.',
    tags: ['attack.credential-access', 'attack.t1110'],
    example: 'failed root console login from 198.51.100.40',
  },
  'login-without-mfa': {
    title: 'Console sign-in without MFA',
    level: 'medium',
    investigation: 'console-logins',
    description:
      'An IAM user signed in to the console with a password alone. Require MFA for the user, and check the sign-in\'s IP against the user\'s usual ones.',
    tags: ['attack.initial-access', 'attack.t1078.004'],
    example: 'arn:aws:iam::444455556666:user/username signed in without MFA from 198.51.100.23',
  },
  'login-from-new-ip': {
    title: 'Console sign-in from a new IP',
    level: 'medium',
    investigation: 'console-logins',
    description:
      'A successful sign-in from an IP the user\'s earlier activity in the case never came from. Confirm with the user; if it was not them, reset the password, and review the session\'s events.',
    tags: ['attack.initial-access', 'attack.t1078.004'],
    example: 'arn:aws:iam::444455556666:user/admin.schmidt signed in from 203.0.113.57, an IP not in the user\'s earlier activity',
  },
  'failure-burst': {
    title: 'Burst of failed console sign-ins',
    level: 'medium',
    investigation: 'console-logins',
    description:
      'At least 3 failed sign-ins from one IP, each within 10 minutes of the one before, with no success from it right after: password guessing. Check the users named have MFA, and block the IP if it is not yours.',
    tags: ['attack.credential-access', 'attack.t1110'],
    example: '4 failed logins from 192.0.2.150 between 2025-02-12T18:40:02Z and 2025-02-12T18:43:19Z (users: admin.schmidt)',
  },
  'failure-burst-then-success': {
    title: 'Failed console sign-ins, then a success',
    level: 'high',
    investigation: 'console-logins',
    description:
      'A burst of failed sign-ins from one IP followed within 10 minutes by a successful one from the same IP: a guessed password. Reset the user\'s password, end their sessions, and review what the session did.',
    tags: ['attack.credential-access', 'attack.initial-access', 'attack.t1110', 'attack.t1078.004'],
    example: '7 failed logins from 192.0.2.150 between 2025-02-12T18:40:02Z and 2025-02-12T18:43:19Z (users: admin.schmidt, HIDDEN_DUE_TO_SECURITY_REASONS), then a success',
  },
} satisfies Record<string, FindingTypeInfo>;

/** The id of a finding type: the `type` an investigation writes. A typo fails to compile. */
export type FindingTypeId = keyof typeof CATALOG;

/** The finding types that have an alternate level (the investigation must say when it applies). */
export type FindingTypeIdWithAlternate = {
  [K in FindingTypeId]: (typeof CATALOG)[K] extends { alternateLevel: object } ? K : never;
}[FindingTypeId];

/** Every finding type, in catalog order (by investigation). */
export const FINDING_TYPES: readonly FindingType[] = Object.entries(CATALOG).map(([id, info]: [string, FindingTypeInfo]) => ({ id, ...info }));

/** The catalog entry of a finding type. */
export function findingType(id: FindingTypeId): FindingType {
  return { id, ...(CATALOG[id] as FindingTypeInfo) };
}

/** Is `value` the id of a finding type in the catalog? */
export function isFindingTypeId(value: unknown): value is FindingTypeId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CATALOG, value);
}
