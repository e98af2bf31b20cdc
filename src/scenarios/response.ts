// The aws-cli commands a responder runs next for a stolen key. Printed, never executed.

import { isoUtc } from '../model/time.js';
import { shellQuote as shq } from '../model/shell.js';
import type { CreatedAccessKey, DerivedCredential, Owner } from './access-key.js';

export interface ResponseCommand {
  /** What the command does and why. */
  description: string;
  /** The command line, ready to paste (run it with credentials for `accountId`). */
  command: string;
  /** Account the command must run in, when known. */
  accountId: string | null;
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

export function responseCommands(input: {
  accessKeyId: string;
  owner: Owner | null;
  derived: readonly DerivedCredential[];
  created: readonly CreatedAccessKey[];
  now: number;
}): ResponseCommand[] {
  const out: ResponseCommand[] = [];
  const { accessKeyId, owner } = input;
  const policy = shq(revokeOlderSessionsPolicy(input.now));
  if (accessKeyId.startsWith('AKIA')) {
    if (owner?.type === 'Root') {
      out.push({
        description: `Deactivate the root user's access key ${accessKeyId} (only the root user can; sign in as root)`,
        command: `aws iam update-access-key --access-key-id ${shq(accessKeyId)} --status Inactive`,
        accountId: owner.accountId,
      });
    } else {
      out.push({
        description: `Deactivate the stolen key ${accessKeyId}${owner?.userName ? ` of user ${owner.userName}` : ''}`,
        command: `aws iam update-access-key${owner?.userName ? ` --user-name ${shq(owner.userName)}` : ''} --access-key-id ${shq(accessKeyId)} --status Inactive`,
        accountId: owner?.accountId ?? null,
      });
    }
  }
  for (const c of input.created) {
    out.push({
      description: `Deactivate access key ${c.accessKeyId}, created with the stolen credentials${c.userName ? ` for user ${c.userName}` : ''} (persistence)`,
      command: `aws iam update-access-key${c.userName ? ` --user-name ${shq(c.userName)}` : ''} --access-key-id ${shq(c.accessKeyId)} --status Inactive`,
      accountId: c.accountId,
    });
  }
  // Temporary credentials cannot be deactivated; deny everything issued before now.
  const roles = new Map<string, string | null>();
  let userSessions = false;
  for (const d of input.derived) {
    if (d.roleArn) roles.set(d.roleArn, d.accountId);
    else userSessions = true;
  }
  if (accessKeyId.startsWith('ASIA') && owner?.arn?.includes(':assumed-role/')) {
    const parts = owner.arn.split('/');
    if (parts.length >= 3 && owner.accountId) roles.set(`arn:aws:iam::${owner.accountId}:role/${parts[1]}`, owner.accountId);
  }
  for (const [arn, acct] of roles) {
    out.push({
      description: `Revoke every session of role ${arn} issued before now (AWSRevokeOlderSessions deny policy)`,
      command: `aws iam put-role-policy --role-name ${shq(roleName(arn))} --policy-name AWSRevokeOlderSessions --policy-document ${policy}`,
      accountId: acct,
    });
  }
  if (userSessions && owner?.userName && owner.type !== 'Root') {
    out.push({
      description: `Revoke session tokens (GetSessionToken/GetFederationToken) user ${owner.userName} obtained before now`,
      command: `aws iam put-user-policy --user-name ${shq(owner.userName)} --policy-name AWSRevokeOlderSessions --policy-document ${policy}`,
      accountId: owner.accountId,
    });
  }
  if (owner?.userName && owner.type !== 'Root') {
    out.push({
      description: `List the user's keys to find any other key to rotate`,
      command: `aws iam list-access-keys --user-name ${shq(owner.userName)}`,
      accountId: owner.accountId,
    });
  }
  return out;
}
