// Permission-policy documents followed through a case's IAM writes, oldest first, so that each write that replaces a
// document can be compared by meaning with the one it replaces (policy-diff.ts). Pure.
//
// - Inline policies (Put/Delete User/Role/Group Policy), by account, entity and policy name.
// - Managed policies: every version seen (CreatePolicy is v1, CreatePolicyVersion responses give the id) and which is
//   the default (CreatePolicy, CreatePolicyVersion with setAsDefault, SetDefaultPolicyVersion).

import { decodePolicy } from './iam-policy.js';
import { diffPolicies, type PolicyDiff } from './policy-diff.js';
import { asObj, path, str, type Obj } from './record.js';

/** What a change's `detail` gains: the document replaced and the semantic diff, or why there is none. */
export interface PolicyChangeDetail {
  previousPolicyDocument: unknown;
  policyDiff: PolicyDiff | string;
}

const NOT_IN_EVIDENCE = 'previous policy document not in the evidence';

const INLINE_RE = /^(Put|Delete)(User|Role|Group)Policy$/;

export class PolicyHistory {
  private readonly inline = new Map<string, unknown>();
  private readonly versions = new Map<string, unknown>(); // arn|versionId → document
  private readonly defaults = new Map<string, string>(); // arn → default version id

  /**
   * Record one IAM write (failed ones change nothing) and return the diff against the document it replaces, for the
   * writes that replace one: Put…Policy, CreatePolicyVersion, SetDefaultPolicyVersion. Null for every other call.
   */
  apply(eventName: string, account: string, record: Obj | null, ok: boolean): PolicyChangeDetail | null {
    const rp = asObj(record?.requestParameters) ?? {};
    const doc = decodePolicy(rp.policyDocument)?.document ?? null;
    const inline = INLINE_RE.exec(eventName);
    if (inline) {
      const entity = str(rp[`${inline[2].toLowerCase()}Name`]);
      const key = `${account}|${inline[2]}|${entity ?? ''}|${str(rp.policyName) ?? ''}`;
      const before = this.inline.get(key);
      if (ok) {
        if (inline[1] === 'Put') this.inline.set(key, doc);
        else this.inline.delete(key);
      }
      return inline[1] === 'Put' ? this.detail(before, doc) : null;
    }
    const arn = str(rp.policyArn) ?? str(path(record, 'responseElements', 'policy', 'arn'));
    if (!arn) return null;
    const current = () => {
      const v = this.defaults.get(arn);
      return v === undefined ? undefined : this.versions.get(`${arn}|${v}`);
    };
    if (eventName === 'CreatePolicy') {
      if (ok) {
        this.versions.set(`${arn}|v1`, doc);
        this.defaults.set(arn, 'v1');
      }
      return null;
    }
    if (eventName === 'CreatePolicyVersion') {
      const before = current();
      const version = str(path(record, 'responseElements', 'policyVersion', 'versionId'));
      const asDefault = rp.setAsDefault === true || rp.setAsDefault === 'true';
      if (ok && version) {
        this.versions.set(`${arn}|${version}`, doc);
        if (asDefault) this.defaults.set(arn, version);
      }
      return this.detail(before, doc);
    }
    if (eventName === 'SetDefaultPolicyVersion') {
      const before = current();
      const version = str(rp.versionId);
      const next = version ? this.versions.get(`${arn}|${version}`) : undefined;
      if (ok && version) this.defaults.set(arn, version);
      if (next === undefined) return { previousPolicyDocument: before ?? null, policyDiff: `version ${version ?? '?'} not in the evidence` };
      return this.detail(before, next);
    }
    if (eventName === 'DeletePolicy' && ok) this.defaults.delete(arn);
    return null;
  }

  private detail(before: unknown, after: unknown): PolicyChangeDetail {
    if (before === undefined || before === null) return { previousPolicyDocument: null, policyDiff: NOT_IN_EVIDENCE };
    return { previousPolicyDocument: before, policyDiff: diffPolicies(before, after) };
  }
}
