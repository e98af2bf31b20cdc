// The aws-cli commands a responder runs next for a stolen key: contain the key and its sessions, then undo every
// persistence and exposure change its lineage made that is still in place. What the evidence shows already undone
// (a key deleted, a role deleted, a share revoked) gets no command but one line in `skipped`. Printed, never executed.

import { isoUtc } from '../model/time.js';
import { shellQuote as shq } from '../model/shell.js';
import type { DerivedCredential, Owner } from './key-report-types.js';
import type { Exposure, ExposureKind } from './exposures.js';

export interface ResponseCommand {
  /** What the command does and why. */
  description: string;
  /** The command line, ready to paste (run it with credentials for `accountId`). */
  command: string;
  /** Account the command must run in, when known. */
  accountId: string | null;
  /** The events that call for it (the change it undoes), when any. */
  eventIds: string[];
}

/** Something the plan would have covered that the evidence shows already gone or undone. */
export interface ResponseSkipped {
  /** What it is and what undid it. */
  description: string;
  /** The change and the call that undid it. */
  eventIds: string[];
}

/** A deletion or deactivation seen later in the evidence. */
export interface Gone {
  eventId: string | null;
  eventName: string | null;
  eventTime: string | null;
  by: string | null;
}

export interface ResponseInput {
  accessKeyId: string;
  owner: Owner | null;
  derived: readonly DerivedCredential[];
  /** Persistence and exposure changes of the key's lineage (exposures.ts), with their revert state. */
  exposures: readonly Exposure[];
  /** The investigated key's own deletion or deactivation, when the evidence has it. */
  keyGone?: Gone | null;
  /** Roles (by ARN) whose sessions were minted and that were deleted later. */
  rolesGone?: ReadonlyMap<string, Gone>;
  now: number;
}

/** The AWSRevokeOlderSessions policy the IAM console attaches on "Revoke active sessions". */
function revokeOlderSessionsPolicy(now: number): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': isoUtc(Math.floor(now / 1000) * 1000) } },
      },
    ],
  });
}

function roleName(roleArn: string): string {
  return roleArn.split('/').pop() ?? roleArn;
}

function goneText(g: Gone): string {
  return `${g.eventName ?? 'undone'}${g.eventTime ? ` at ${g.eventTime}` : ''}${g.by ? ` by ${g.by}` : ''}`;
}

/** Undo commands come in this order: what hangs off users and roles first, the users and roles themselves last. */
const ORDER: readonly ExposureKind[] = [
  'access-key', 'login-profile', 'managed-policy', 'inline-policy', 'group-membership', 'trust-policy',
  'public-access-block', 'bucket-policy', 'bucket-acl', 'snapshot-share', 'image-share', 'db-snapshot-share', 'db-cluster-snapshot-share',
  'lambda-permission', 'kms-grant', 'roles-anywhere-profile', 'trust-anchor', 'saml-provider', 'oidc-provider', 'security-group-ingress',
  'role', 'user',
];

const region = (e: Exposure): string => (e.region ? ` --region ${shq(e.region)}` : '');
const principalOpt = (e: Exposure): string => (e.principal ? ` --${e.principal.type}-name ${shq(e.principal.name)}` : '');
const on = (e: Exposure): string => (e.principal ? ` of ${e.principal.type} ${e.principal.name}` : '');
const grantees = (e: Exposure): string => (e.grantees.length ? e.grantees.join(', ') : 'no one named');

/** The command(s) that undo one change still in place. */
function undoCommands(e: Exposure): Array<Pick<ResponseCommand, 'description' | 'command'>> {
  const r = e.resource;
  switch (e.kind) {
    case 'access-key':
      return [{ description: `Delete access key ${r}${on(e)}, created with the stolen credentials (persistence)`, command: `aws iam delete-access-key${principalOpt(e)} --access-key-id ${shq(r)}` }];
    case 'login-profile':
      return [{ description: `Remove the console password${on(e)} (${e.eventName} with the stolen credentials; an administrator sets a new one if the user is legitimate)`, command: `aws iam delete-login-profile --user-name ${shq(r)}` }];
    case 'managed-policy':
      return e.principal ? [{ description: `Detach ${r}${on(e)} (attached with the stolen credentials)`, command: `aws iam detach-${e.principal.type}-policy${principalOpt(e)} --policy-arn ${shq(r)}` }] : [];
    case 'inline-policy':
      return e.principal ? [{ description: `Delete inline policy ${r}${on(e)} (put with the stolen credentials)`, command: `aws iam delete-${e.principal.type}-policy${principalOpt(e)} --policy-name ${shq(r)}` }] : [];
    case 'group-membership':
      return e.principal ? [{ description: `Remove ${e.principal.name} from group ${r} (added with the stolen credentials)`, command: `aws iam remove-user-from-group --group-name ${shq(r)} --user-name ${shq(e.principal.name)}` }] : [];
    case 'trust-policy':
      return e.previousDocument
        ? [{ description: `Put back the trust policy role ${r} had before ${e.eventTime ?? 'the change'} (from the evidence); it now trusts ${grantees(e)}`, command: `aws iam update-assume-role-policy --role-name ${shq(r)} --policy-document ${shq(e.previousDocument)}` }]
        : [{ description: `Restore the trust policy of role ${r} as it was before ${e.eventTime ?? 'the change'}: it now trusts ${grantees(e)} (the evidence does not hold the earlier document; write it to trust-policy.json)`, command: `aws iam update-assume-role-policy --role-name ${shq(r)} --policy-document file://trust-policy.json` }];
    case 'public-access-block':
      return [{ description: `Block public access to bucket ${r} again (its public access block was deleted with the stolen credentials)`, command: `aws s3api put-public-access-block --bucket ${shq(r)} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true` }];
    case 'bucket-policy':
      return [{ description: `Remove the bucket policy of ${r} that grants ${grantees(e)} (if the bucket had a policy before, put that back with put-bucket-policy instead)`, command: `aws s3api delete-bucket-policy --bucket ${shq(r)}` }];
    case 'bucket-acl':
      return [{ description: `Make bucket ${r} private again (its ACL was set to ${grantees(e)})`, command: `aws s3api put-bucket-acl --bucket ${shq(r)} --acl private` }];
    case 'snapshot-share': {
      const users = e.grantees.filter((g) => g !== 'all');
      const out: Array<Pick<ResponseCommand, 'description' | 'command'>> = [];
      if (users.length) out.push({ description: `Stop sharing snapshot ${r} with ${users.join(', ')}`, command: `aws ec2 modify-snapshot-attribute${region(e)} --snapshot-id ${shq(r)} --attribute createVolumePermission --operation-type remove --user-ids ${users.map(shq).join(' ')}` });
      if (users.length < e.grantees.length) out.push({ description: `Make snapshot ${r} private again`, command: `aws ec2 modify-snapshot-attribute${region(e)} --snapshot-id ${shq(r)} --attribute createVolumePermission --operation-type remove --group-names all` });
      return out;
    }
    case 'image-share': {
      const perms = e.grantees.map((g) => (g === 'all' ? '{Group=all}' : `{UserId=${g}}`)).join(',');
      return [{ description: `Stop sharing image ${r} with ${grantees(e)}`, command: `aws ec2 modify-image-attribute${region(e)} --image-id ${shq(r)} --launch-permission ${shq(`Remove=[${perms}]`)}` }];
    }
    case 'db-snapshot-share':
      return [{ description: `Stop sharing DB snapshot ${r} with ${grantees(e)}`, command: `aws rds modify-db-snapshot-attribute${region(e)} --db-snapshot-identifier ${shq(r)} --attribute-name restore --values-to-remove ${e.grantees.map(shq).join(' ')}` }];
    case 'db-cluster-snapshot-share':
      return [{ description: `Stop sharing DB cluster snapshot ${r} with ${grantees(e)}`, command: `aws rds modify-db-cluster-snapshot-attribute${region(e)} --db-cluster-snapshot-identifier ${shq(r)} --attribute-name restore --values-to-remove ${e.grantees.map(shq).join(' ')}` }];
    case 'lambda-permission':
      return e.handles.map((sid) => ({ description: `Remove the permission ${sid} that lets ${grantees(e)} invoke ${r}`, command: `aws lambda remove-permission${region(e)} --function-name ${shq(r)} --statement-id ${shq(sid)}` }));
    case 'kms-grant':
      return e.handles.map((g) => ({ description: `Revoke the KMS grant on ${r} to ${grantees(e)}`, command: `aws kms revoke-grant${region(e)} --key-id ${shq(r)} --grant-id ${shq(g)}` }));
    case 'roles-anywhere-profile':
      return [{ description: `Delete the Roles Anywhere profile ${r} (roles ${grantees(e)}; disable-profile instead keeps it for the investigation)`, command: `aws rolesanywhere delete-profile${region(e)} --profile-id ${shq(r)}` }];
    case 'trust-anchor':
      return [{ description: `Delete the Roles Anywhere trust anchor ${r}, created with the stolen credentials (disable-trust-anchor instead keeps it for the investigation)`, command: `aws rolesanywhere delete-trust-anchor${region(e)} --trust-anchor-id ${shq(r)}` }];
    case 'saml-provider':
      return [{ description: `Delete the SAML provider ${r}, created with the stolen credentials`, command: `aws iam delete-saml-provider --saml-provider-arn ${shq(r)}` }];
    case 'oidc-provider':
      return [{ description: `Delete the OIDC provider ${r}, created with the stolen credentials`, command: `aws iam delete-open-id-connect-provider --open-id-connect-provider-arn ${shq(r)}` }];
    case 'security-group-ingress':
      return e.handles.length
        ? [{ description: `Revoke the ingress rules opened in ${r} to ${grantees(e)}`, command: `aws ec2 revoke-security-group-ingress${region(e)} --group-id ${shq(r)} --security-group-rule-ids ${e.handles.map(shq).join(' ')}` }]
        : [{ description: `List the rules of ${r} to find the ingress rule opened to ${grantees(e)} (the evidence does not give its rule id), then revoke it with revoke-security-group-ingress --security-group-rule-ids`, command: `aws ec2 describe-security-group-rules${region(e)} --filters ${shq(`Name=group-id,Values=${r}`)}` }];
    case 'role':
      return [{ description: `Delete role ${r}, created with the stolen credentials (trusts ${grantees(e)}; detach and delete its policies first)`, command: `aws iam delete-role --role-name ${shq(r)}` }];
    case 'user':
      return [{ description: `Delete user ${r}, created with the stolen credentials, once its password, policies and every key are gone (a deactivated key too: aws iam list-access-keys --user-name ${shq(r)})`, command: `aws iam delete-user --user-name ${shq(r)}` }];
  }
}

/** The response plan: commands to run, and what needs none because the evidence shows it already undone. */
export function responsePlan(input: ResponseInput): { commands: ResponseCommand[]; skipped: ResponseSkipped[] } {
  const out: ResponseCommand[] = [];
  const skipped: ResponseSkipped[] = [];
  const { accessKeyId, owner } = input;
  const policy = shq(revokeOlderSessionsPolicy(input.now));
  if (accessKeyId.startsWith('AKIA') && input.keyGone) {
    skipped.push({ description: `the stolen key ${accessKeyId}: ${goneText(input.keyGone)}`, eventIds: input.keyGone.eventId ? [input.keyGone.eventId] : [] });
  } else if (accessKeyId.startsWith('AKIA')) {
    if (owner?.type === 'Root') {
      out.push({
        description: `Deactivate the root user's access key ${accessKeyId} (only the root user can; sign in as root)`,
        command: `aws iam update-access-key --access-key-id ${shq(accessKeyId)} --status Inactive`,
        accountId: owner.accountId,
        eventIds: [],
      });
    } else {
      out.push({
        description: `Deactivate the stolen key ${accessKeyId}${owner?.userName ? ` of user ${owner.userName}` : ''}`,
        command: `aws iam update-access-key${owner?.userName ? ` --user-name ${shq(owner.userName)}` : ''} --access-key-id ${shq(accessKeyId)} --status Inactive`,
        accountId: owner?.accountId ?? null,
        eventIds: [],
      });
    }
  }
  // Temporary credentials cannot be deactivated; deny everything issued before now.
  const roles = new Map<string, { account: string | null; eventIds: string[] }>();
  let userSessions = false;
  for (const d of input.derived) {
    if (d.roleArn) {
      const r = roles.get(d.roleArn) ?? { account: d.accountId, eventIds: [] };
      if (d.eventId) r.eventIds.push(d.eventId);
      roles.set(d.roleArn, r);
    } else userSessions = true;
  }
  if (accessKeyId.startsWith('ASIA') && owner?.arn?.includes(':assumed-role/')) {
    const parts = owner.arn.split('/');
    if (parts.length >= 3 && owner.accountId) roles.set(`arn:aws:iam::${owner.accountId}:role/${parts[1]}`, { account: owner.accountId, eventIds: [] });
  }
  for (const [arn, r] of roles) {
    const gone = input.rolesGone?.get(arn);
    if (gone) {
      skipped.push({ description: `sessions of role ${arn}: the role was deleted (${goneText(gone)})`, eventIds: [...r.eventIds, ...(gone.eventId ? [gone.eventId] : [])] });
      continue;
    }
    out.push({
      description: `Revoke every session of role ${arn} issued before now (AWSRevokeOlderSessions deny policy)`,
      command: `aws iam put-role-policy --role-name ${shq(roleName(arn))} --policy-name AWSRevokeOlderSessions --policy-document ${policy}`,
      accountId: r.account,
      eventIds: r.eventIds,
    });
  }
  if (userSessions && owner?.userName && owner.type !== 'Root') {
    out.push({
      description: `Revoke session tokens (GetSessionToken/GetFederationToken) user ${owner.userName} obtained before now`,
      command: `aws iam put-user-policy --user-name ${shq(owner.userName)} --policy-name AWSRevokeOlderSessions --policy-document ${policy}`,
      accountId: owner.accountId,
      eventIds: input.derived.filter((d) => !d.roleArn && d.eventId).map((d) => d.eventId!),
    });
  }
  // Persistence and exposures, in undo order; one command however many calls made the same change.
  const byCommand = new Map<string, ResponseCommand>();
  const sorted = [...input.exposures].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  for (const e of sorted) {
    if (e.revert.state === 'reverted') {
      skipped.push({
        description: `${e.kind} ${e.resource}${on(e)} (${e.eventName}): ${goneText({ eventId: e.revert.eventId, eventName: e.revert.eventName, eventTime: e.revert.eventTime, by: e.revert.by })}`,
        eventIds: [e.eventId, ...(e.revert.eventId ? [e.revert.eventId] : [])],
      });
      continue;
    }
    for (const c of undoCommands(e)) {
      const seen = byCommand.get(c.command);
      if (seen) {
        seen.eventIds.push(e.eventId);
        continue;
      }
      const cmd: ResponseCommand = { ...c, accountId: e.accountId, eventIds: [e.eventId] };
      byCommand.set(c.command, cmd);
      out.push(cmd);
    }
  }
  if (owner?.userName && owner.type !== 'Root') {
    out.push({
      description: `List the user's keys to find any other key to rotate`,
      command: `aws iam list-access-keys --user-name ${shq(owner.userName)}`,
      accountId: owner.accountId,
      eventIds: [],
    });
  }
  return { commands: out, skipped };
}
