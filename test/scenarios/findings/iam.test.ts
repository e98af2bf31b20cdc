// Each finding type of the iam investigation (docs/findings.md#iam): emitted on IAM writes that should trigger it, and
// not on the look-alikes next to them (ordinary administration, failed calls, principals inside the case).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/index/open.js';
import { investigateIam, type IamReport } from '../../../src/scenarios/iam.js';
import { ACCT, at, event, iamUser, ofType, OPTS, OUTSIDE, syntheticCase } from './synthetic-case.js';

const ALICE = `arn:aws:iam::${ACCT}:user/alice`;
let minute = 0;

/** An IAM write by alice (or `over.userIdentity`), one minute after the previous one. */
function iam(eventName: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, unknown> {
  return event({ eventTime: at(++minute), eventSource: 'iam.amazonaws.com', eventName, readOnly: false, requestParameters, ...over });
}

/** A trust policy letting `principal` assume the role, with an optional condition. */
function trust(principal: string | string[], condition?: Record<string, unknown>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }] });
}

const createRole = (roleName: string, doc: string) => iam('CreateRole', { roleName, assumeRolePolicyDocument: doc });
const updateTrust = (roleName: string, doc: string) => iam('UpdateAssumeRolePolicy', { roleName, policyDocument: doc });
const accessKeyFor = (userName: string, over: Record<string, unknown> = {}) =>
  iam('CreateAccessKey', { userName }, { responseElements: { accessKey: { userName, accessKeyId: `AKIA${userName.toUpperCase().padEnd(16, '0')}`, status: 'Active' } }, ...over });

const OWN_ROOT = `arn:aws:iam::${ACCT}:root`;
const OUTSIDE_ROOT = `arn:aws:iam::${OUTSIDE}:root`;
const EXTERNAL_ID = { StringEquals: { 'sts:ExternalId': 'acme-7731' } };

const r = {
  // admin-equivalent-grant, and a read-only grant and a denied admin grant that are not.
  adminGrant: iam('AttachUserPolicy', { userName: 'ops', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  readOnlyGrant: iam('AttachUserPolicy', { userName: 'ops', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
  deniedAdminGrant: iam('AttachUserPolicy', { userName: 'ops', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, { errorCode: 'AccessDenied', errorMessage: 'not authorized' }),
  // external-trust, and a role trusting only the case's own account.
  vendorRole: createRole('vendor', trust(OUTSIDE_ROOT, EXTERNAL_ID)),
  internalRole: createRole('internal', trust(OWN_ROOT)),
  // trust-policy-widened: a principal of the case added (medium), an outside one added (high), nothing added.
  deployRole: createRole('deploy', trust(ALICE)),
  deployWidened: updateTrust('deploy', trust([ALICE, `arn:aws:iam::${ACCT}:user/bob`])),
  opsRole: createRole('ops-role', trust(ALICE)),
  opsWidenedOutside: updateTrust('ops-role', trust([ALICE, OUTSIDE_ROOT])),
  sameAgain: updateTrust('internal', trust(OWN_ROOT)),
  // trust-condition-removed: on the vendor role (outside principal: high) and on an internal role (medium);
  // trust-condition-changed: the condition's value changed.
  vendorConditionDropped: updateTrust('vendor', trust(OUTSIDE_ROOT)),
  // external-trust is not repeated for a re-save of the same (already external) trust policy.
  vendorResaved: updateTrust('vendor', trust(OUTSIDE_ROOT)),
  mfaRole: createRole('mfa-role', trust(OWN_ROOT, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })),
  mfaConditionDropped: updateTrust('mfa-role', trust(OWN_ROOT)),
  partnerRole: createRole('partner', trust(OWN_ROOT, EXTERNAL_ID)),
  partnerConditionChanged: updateTrust('partner', trust(OWN_ROOT, { StringEquals: { 'sts:ExternalId': 'other-42' } })),
  // mfa-removed, and an MFA device enabled.
  mfaDeactivated: iam('DeactivateMFADevice', { userName: 'carol', serialNumber: `arn:aws:iam::${ACCT}:mfa/carol` }),
  mfaEnabled: iam('EnableMFADevice', { userName: 'carol', serialNumber: `arn:aws:iam::${ACCT}:mfa/carol2` }),
  // credentials-for-other-user: alice sets a key for dave, whom she did not create; erin makes her own key.
  keyForDave: accessKeyFor('dave'),
  erinOwnKey: accessKeyFor('erin', { userIdentity: iamUser('erin', 'AKIAERIN000000000001') }),
  // backdoor-user: alice creates svc and gives it a key; she creates plain and only attaches a policy to it.
  createSvc: iam('CreateUser', { userName: 'svc' }),
  svcKey: accessKeyFor('svc'),
  createPlain: iam('CreateUser', { userName: 'plain' }),
  plainPolicy: iam('AttachUserPolicy', { userName: 'plain', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
  // federation-trust-added: a SAML provider, an OIDC client ID, a Roles Anywhere trust anchor; not a denied SAML
  // provider, a deleted OIDC provider or a deleted trust anchor.
  samlCreated: iam('CreateSAMLProvider', { name: 'okta', sAMLMetadataDocument: '<md:EntityDescriptor/>' }, { responseElements: { sAMLProviderArn: `arn:aws:iam::${ACCT}:saml-provider/okta` } }),
  samlDenied: iam('CreateSAMLProvider', { name: 'okta2', sAMLMetadataDocument: '<x/>' }, { errorCode: 'InvalidInputException', errorMessage: 'Could not parse metadata' }),
  oidcClient: iam('AddClientIDToOpenIDConnectProvider', { openIDConnectProviderArn: `arn:aws:iam::${ACCT}:oidc-provider/token.example.net`, clientID: 'ci' }),
  oidcDeleted: iam('DeleteOpenIDConnectProvider', { openIDConnectProviderArn: `arn:aws:iam::${ACCT}:oidc-provider/old.example.net` }),
  anchor: iam('CreateTrustAnchor', { name: 'agents', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE' } }, { eventSource: 'rolesanywhere.amazonaws.com', responseElements: { trustAnchor: { name: 'agents', trustAnchorId: 'ta-1' } } }),
  anchorDeleted: iam('DeleteTrustAnchor', { trustAnchorId: 'ta-0' }, { eventSource: 'rolesanywhere.amazonaws.com' }),
};
type Name = keyof typeof r;

const id = (name: Name) => r[name].eventID as string;
/** The event names behind the findings of one type, in the names of `r`. */
function cited(report: IamReport, type: string): Name[] {
  const byId = new Map(Object.entries(r).map(([k, v]) => [v.eventID as string, k as Name]));
  return ofType(report.findings, type).flatMap((f) => f.eventIds.map((x) => byId.get(x) ?? (x as Name)));
}

let c: { db: Db; close: () => void };
let report: IamReport;

beforeAll(async () => {
  c = await syntheticCase(Object.values(r));
  report = investigateIam(c.db, OPTS);
});

afterAll(() => c?.close());

describe('admin-equivalent-grant', () => {
  it('is emitted for AdministratorAccess attached, at high', () => {
    expect(ofType(report.findings, 'admin-equivalent-grant')).toEqual([expect.objectContaining({ severity: 'high', eventIds: [id('adminGrant')], actorArn: ALICE })]);
  });
  it('is not emitted for a read-only policy nor for a denied admin grant', () => {
    expect(cited(report, 'admin-equivalent-grant')).toEqual(['adminGrant']);
  });
});

describe('external-trust', () => {
  it('is emitted for each successful trust policy naming an account outside the case, at high', () => {
    expect(cited(report, 'external-trust').sort()).toEqual(['opsWidenedOutside', 'vendorConditionDropped', 'vendorRole']);
    expect(ofType(report.findings, 'external-trust').find((f) => f.eventIds[0] === id('vendorRole'))).toMatchObject({
      severity: 'high',
      message: `CreateRole lets principals outside the case's accounts assume role vendor: ${OUTSIDE_ROOT}`,
    });
  });
  it('is not repeated when the same trust policy is saved again', () => {
    expect(cited(report, 'external-trust')).not.toContain('vendorResaved');
    expect(report.findings.filter((f) => f.eventIds.includes(id('vendorResaved')))).toEqual([]);
  });
  it('is not emitted for roles trusting only the case’s own account', () => {
    for (const n of ['internalRole', 'deployRole', 'deployWidened', 'mfaRole', 'partnerRole'] as Name[]) expect(cited(report, 'external-trust')).not.toContain(n);
  });
});

describe('trust-policy-widened', () => {
  it('is emitted at medium when a principal inside the case is added, and at high when one outside is', () => {
    const f = ofType(report.findings, 'trust-policy-widened');
    expect(f.find((x) => x.eventIds[0] === id('deployWidened'))).toMatchObject({ severity: 'medium', message: `trust policy of role deploy now also allows AWS:arn:aws:iam::${ACCT}:user/bob` });
    expect(f.find((x) => x.eventIds[0] === id('opsWidenedOutside'))).toMatchObject({ severity: 'high' });
  });
  it('is not emitted when no principal is added', () => {
    expect(cited(report, 'trust-policy-widened').sort()).toEqual(['deployWidened', 'opsWidenedOutside']);
  });
});

describe('trust-condition-removed', () => {
  it('is emitted at high when the role trusts an outside account, and at medium otherwise', () => {
    const f = ofType(report.findings, 'trust-condition-removed');
    expect(f.find((x) => x.eventIds[0] === id('vendorConditionDropped'))).toMatchObject({
      severity: 'high',
      message: `trust policy of role vendor: condition ${JSON.stringify(EXTERNAL_ID)} removed for ${JSON.stringify({ AWS: OUTSIDE_ROOT })}`,
    });
    expect(f.find((x) => x.eventIds[0] === id('mfaConditionDropped'))).toMatchObject({ severity: 'medium' });
  });
  it('is not emitted for a changed condition nor for an unchanged policy', () => {
    expect(cited(report, 'trust-condition-removed').sort()).toEqual(['mfaConditionDropped', 'vendorConditionDropped']);
  });
});

describe('trust-condition-changed', () => {
  it('is emitted when a condition’s value changes, at medium', () => {
    expect(ofType(report.findings, 'trust-condition-changed')).toEqual([expect.objectContaining({ severity: 'medium', eventIds: [id('partnerConditionChanged')] })]);
  });
  it('is not emitted when a condition is removed', () => {
    expect(cited(report, 'trust-condition-changed')).not.toContain('vendorConditionDropped');
    expect(cited(report, 'trust-condition-changed')).not.toContain('mfaConditionDropped');
  });
});

describe('mfa-removed', () => {
  it('is emitted for DeactivateMFADevice, at medium', () => {
    expect(ofType(report.findings, 'mfa-removed')).toEqual([
      expect.objectContaining({ severity: 'medium', eventIds: [id('mfaDeactivated')], message: `DeactivateMFADevice on user carol, mfa-device arn:aws:iam::${ACCT}:mfa/carol` }),
    ]);
  });
  it('is not emitted for EnableMFADevice', () => {
    expect(cited(report, 'mfa-removed')).not.toContain('mfaEnabled');
  });
});

describe('credentials-for-other-user', () => {
  it('is emitted when an actor creates a key for a user it did not create, at medium', () => {
    expect(ofType(report.findings, 'credentials-for-other-user')).toEqual([
      expect.objectContaining({ severity: 'medium', eventIds: [id('keyForDave')], message: `${ALICE} ran CreateAccessKey for user dave` }),
    ]);
  });
  it('is not emitted for a user’s own key nor for a user the actor created (that is backdoor-user)', () => {
    expect(cited(report, 'credentials-for-other-user')).toEqual(['keyForDave']);
  });
});

describe('backdoor-user', () => {
  it('is emitted when one actor creates a user and then a key for it, at high', () => {
    expect(ofType(report.findings, 'backdoor-user')).toEqual([
      expect.objectContaining({ severity: 'high', eventIds: [id('createSvc'), id('svcKey')], userName: 'svc', message: `${ALICE} created user svc and then ran CreateAccessKey` }),
    ]);
  });
  it('is not emitted for a created user that only got a policy', () => {
    expect(cited(report, 'backdoor-user')).not.toContain('createPlain');
  });
});

describe('federation-trust-added', () => {
  it('is emitted for a SAML provider, an OIDC client ID and a Roles Anywhere trust anchor, at medium', () => {
    expect(cited(report, 'federation-trust-added')).toEqual(['samlCreated', 'oidcClient', 'anchor']);
    expect(ofType(report.findings, 'federation-trust-added').map((f) => f.severity)).toEqual(['medium', 'medium', 'medium']);
    expect(ofType(report.findings, 'federation-trust-added').find((f) => f.eventIds[0] === id('anchor'))?.message).toBe(
      'CreateTrustAnchor on trust-anchor agents: certificates issued by this CERTIFICATE_BUNDLE can obtain role sessions',
    );
  });
  it('is not emitted for a denied provider or deletions, which are still listed as changes', () => {
    const found = cited(report, 'federation-trust-added');
    for (const n of ['samlDenied', 'oidcDeleted', 'anchorDeleted'] as const) {
      expect(found).not.toContain(n);
      expect(report.changes.map((ch) => ch.eventId)).toContain(id(n));
    }
    expect(report.changes.find((ch) => ch.eventId === id('anchorDeleted'))).toMatchObject({ eventSource: 'rolesanywhere.amazonaws.com', targets: [{ type: 'trust-anchor', name: 'ta-0' }] });
    expect(report.changes.find((ch) => ch.eventId === id('samlDenied'))?.targets).toEqual([{ type: 'provider', name: 'okta2' }]);
  });
});
