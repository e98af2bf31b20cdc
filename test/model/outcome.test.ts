// The one outcome definition (src/model/outcome.ts): errorCode, else errorMessage (a failed ConsoleLogin).
import { describe, expect, it } from 'vitest';
import { callOutcome, failureOf, outcomeOf } from '../../src/model/outcome.js';

describe('outcome', () => {
  it('a call failed when it has an errorCode, or an errorMessage without one', () => {
    expect(callOutcome({ errorCode: 'AccessDenied', errorMessage: null })).toBe('failed');
    expect(callOutcome({ errorCode: null, errorMessage: 'Failed authentication' })).toBe('failed');
    expect(callOutcome({ errorCode: '', errorMessage: '' })).toBe('succeeded');
    expect(callOutcome({ errorCode: undefined, errorMessage: undefined })).toBe('succeeded');
  });

  it('a group is succeeded, failed or mixed; no calls is null', () => {
    const ok = { errorCode: null, errorMessage: null };
    const bad = { errorCode: 'AccessDenied', errorMessage: null };
    expect(outcomeOf([ok, ok])).toBe('succeeded');
    expect(outcomeOf([bad, bad])).toBe('failed');
    expect(outcomeOf([bad, ok])).toBe('mixed');
    expect(outcomeOf([])).toBeNull();
  });

  it('names the failure: the errorCode, else the message shortened to 120 characters', () => {
    expect(failureOf('Throttling', 'Rate exceeded')).toBe('Throttling');
    expect(failureOf(null, 'x'.repeat(200))).toHaveLength(120);
    expect(failureOf(null, null)).toBeNull();
  });
});
