// Who else can get credentials into the account without an IAM user or key: IAM identity providers (SAML, OIDC: a
// client ID or thumbprint added lets another issuer's tokens in) and IAM Roles Anywhere (a trust anchor is a CA
// whose certificates buy role sessions; a profile names the roles; disabling or deleting a CRL lets revoked
// certificates back in). `investigate iam` lists these calls as IAM changes with these targets, and reports the
// successful ones that open a way in.

import { path, str, type Obj } from './record.js';

export const ROLES_ANYWHERE_SOURCE = 'rolesanywhere.amazonaws.com';

/** Roles Anywhere calls that change state. */
export const ROLES_ANYWHERE_WRITE_RE = /^(Create|Update|Delete|Enable|Disable|Import|Put|Reset)/;

export type FederationTargetType = 'provider' | 'trust-anchor' | 'rolesanywhere-profile' | 'crl';

/** The identity provider, trust anchor, profile or CRL a call names ([] when it names none). */
export function federationTargets(eventSource: string | null, eventName: string, rec: Obj | null): Array<{ type: FederationTargetType; name: string }> {
  const rp = (rec?.requestParameters ?? {}) as Obj;
  if (eventSource === ROLES_ANYWHERE_SOURCE) {
    if (/TrustAnchor$/.test(eventName)) {
      const name = str(rp.name) ?? str(path(rec, 'responseElements', 'trustAnchor', 'name')) ?? str(rp.trustAnchorId);
      return name ? [{ type: 'trust-anchor', name }] : [];
    }
    if (/Profile$/.test(eventName)) {
      const name = str(rp.name) ?? str(path(rec, 'responseElements', 'profile', 'name')) ?? str(rp.profileId);
      return name ? [{ type: 'rolesanywhere-profile', name }] : [];
    }
    if (/Crl$/.test(eventName)) {
      const name = str(rp.name) ?? str(rp.crlId);
      return name ? [{ type: 'crl', name }] : [];
    }
    return [];
  }
  if (/SAMLProvider$/.test(eventName)) {
    const name = str(rp.sAMLProviderArn) ?? str(rp.name) ?? str(path(rec, 'responseElements', 'sAMLProviderArn'));
    return name ? [{ type: 'provider', name }] : [];
  }
  if (/OpenIDConnectProvider/.test(eventName)) {
    const name = str(rp.openIDConnectProviderArn) ?? str(rp.url) ?? str(path(rec, 'responseElements', 'openIDConnectProviderArn'));
    return name ? [{ type: 'provider', name }] : [];
  }
  return [];
}

/** What a successful call opens, in words; null when it opens nothing (deletes, reads, notification settings). */
export function federationOpening(eventSource: string | null, eventName: string, rec: Obj | null): string | null {
  const rp = (rec?.requestParameters ?? {}) as Obj;
  if (eventSource === ROLES_ANYWHERE_SOURCE) {
    if (eventName === 'CreateTrustAnchor' || eventName === 'UpdateTrustAnchor') return `certificates issued by this ${str(path(rp, 'source', 'sourceType')) ?? 'CA'} can obtain role sessions`;
    if (eventName === 'EnableTrustAnchor') return 'the trust anchor accepts certificates again';
    if (eventName === 'CreateProfile' || eventName === 'UpdateProfile') {
      const roles = Array.isArray(rp.roleArns) ? (rp.roleArns as unknown[]).map(String) : [];
      return roles.length ? `certificates of the account's trust anchors can assume ${roles.join(', ')}` : 'profile changed: check the roles it names';
    }
    if (eventName === 'DisableCrl' || eventName === 'DeleteCrl') return 'revoked certificates are accepted again';
    return null;
  }
  if (eventName === 'CreateSAMLProvider' || eventName === 'UpdateSAMLProvider') return 'users of this SAML identity provider can assume roles that trust it';
  if (eventName === 'CreateOpenIDConnectProvider') return 'tokens of this OIDC issuer can assume roles that trust it';
  if (eventName === 'AddClientIDToOpenIDConnectProvider') return `tokens for client ID ${str(rp.clientID) ?? '?'} are accepted`;
  if (eventName === 'UpdateOpenIDConnectProviderThumbprint') return 'the issuer\'s certificate thumbprints changed: tokens from another server may be trusted';
  return null;
}
