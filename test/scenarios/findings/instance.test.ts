// Each finding type of the instance investigation (docs/findings.md#instance): emitted on lifecycle calls that should
// trigger it, and not on the look-alikes next to them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/index/open.js';
import { investigateInstance } from '../../../src/scenarios/instance.js';
import { ACCT, at, event, ofType, OPTS, syntheticCase } from './synthetic-case.js';

const STOPPED = 'i-0aaaaaaaaaaaaaaa1';
const SCALED_IN = 'i-0bbbbbbbbbbbbbbb2';
const DENIED = 'i-0ccccccccccccccc3';
const REBOOTED = 'i-0ddddddddddddddd4';

const AUTOSCALING = {
  type: 'AssumedRole',
  principalId: 'AROAAUTOSCALING:AutoScaling',
  arn: `arn:aws:sts::${ACCT}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling`,
  accountId: ACCT,
  accessKeyId: 'ASIAAUTOSCALING00001',
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAAUTOSCALING', arn: `arn:aws:iam::${ACCT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`, accountId: ACCT, userName: 'AWSServiceRoleForAutoScaling' },
    attributes: { creationDate: at(0), mfaAuthenticated: 'false' },
  },
  invokedBy: 'autoscaling.amazonaws.com',
};

/** A lifecycle call (StopInstances, …) on `instance` at minute `min`. */
function lifecycle(min: number, eventName: string, instance: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return event({
    eventTime: at(min),
    eventName,
    readOnly: false,
    requestParameters: { instancesSet: { items: [{ instanceId: instance }] } },
    responseElements: { instancesSet: { items: [{ instanceId: instance }] } },
    ...over,
  });
}

const stop = lifecycle(10, 'StopInstances', STOPPED);
const terminate = lifecycle(20, 'TerminateInstances', STOPPED);
const scaledIn = lifecycle(30, 'TerminateInstances', SCALED_IN, { userIdentity: AUTOSCALING, sourceIPAddress: 'autoscaling.amazonaws.com', userAgent: 'autoscaling.amazonaws.com' });
const deniedStop = lifecycle(40, 'StopInstances', DENIED, { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.', responseElements: null });
const reboot = lifecycle(50, 'RebootInstances', REBOOTED);

let c: { db: Db; close: () => void };

beforeAll(async () => {
  c = await syntheticCase([stop, terminate, scaledIn, deniedStop, reboot]);
});

afterAll(() => c?.close());

const findingsOf = (instance: string, opts = OPTS) => investigateInstance(c.db, instance, opts).findings;

describe('stopped', () => {
  it('is emitted for a successful StopInstances by a person, at medium', () => {
    expect(ofType(findingsOf(STOPPED), 'stopped')).toEqual([
      expect.objectContaining({ severity: 'medium', eventIds: [stop.eventID], message: `StopInstances by arn:aws:iam::${ACCT}:user/alice from 198.51.100.1` }),
    ]);
  });
  it('is not emitted for a failed StopInstances nor for a reboot', () => {
    expect(ofType(findingsOf(DENIED), 'stopped')).toEqual([]);
    expect(ofType(findingsOf(REBOOTED), 'stopped')).toEqual([]);
  });
});

describe('terminated', () => {
  it('is emitted for a successful TerminateInstances by a person, at medium', () => {
    expect(ofType(findingsOf(STOPPED), 'terminated')).toEqual([expect.objectContaining({ severity: 'medium', eventIds: [terminate.eventID] })]);
  });
  it('is informational when Auto Scaling terminated the instance on its own', () => {
    expect(ofType(findingsOf(SCALED_IN), 'terminated')).toEqual([expect.objectContaining({ severity: 'info', eventIds: [scaledIn.eventID] })]);
  });
  it('is not emitted for a stop', () => {
    expect(ofType(findingsOf(STOPPED), 'terminated').flatMap((f) => f.eventIds)).not.toContain(stop.eventID);
    expect(ofType(findingsOf(REBOOTED), 'terminated')).toEqual([]);
  });
});

describe('failed-calls', () => {
  it('is emitted when calls naming the instance failed, at low', () => {
    expect(ofType(findingsOf(DENIED), 'failed-calls')).toEqual([expect.objectContaining({ severity: 'low', eventIds: [deniedStop.eventID], message: '1 failed calls name the instance' })]);
  });
  it('is not emitted when every call succeeded', () => {
    expect(ofType(findingsOf(STOPPED), 'failed-calls')).toEqual([]);
  });
});

describe('outside-filter', () => {
  const before = { ...OPTS, filter: { endMs: Date.parse(at(5)) } };
  it('is emitted when the instance has events only outside the filter, as info', () => {
    expect(findingsOf(STOPPED, before)).toEqual([
      { type: 'outside-filter', severity: 'info', message: `2 events name ${STOPPED} outside the time range, accounts or regions asked for`, eventIds: [], outcome: null, revert: { state: 'not-applicable', eventIds: [], note: null } },
    ]);
  });
  it('is not emitted without a filter, nor for an instance the case has never seen', () => {
    expect(ofType(findingsOf(STOPPED), 'outside-filter')).toEqual([]);
    expect(findingsOf('i-0eeeeeeeeeeeeeee5', before)).toEqual([]);
  });
});
