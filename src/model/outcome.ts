// Did a call succeed? ONE definition for detection findings, investigation findings, sensitive-action rows, triage and
// the fixture generator's ground truth: a call failed when it has an errorCode, or (a failed ConsoleLogin, which
// CloudTrail writes with errorMessage "Failed authentication" and no errorCode) an errorMessage.

/** What a group of calls achieved: all succeeded, all failed, or some of each. */
export type Outcome = 'succeeded' | 'failed' | 'mixed';

/** The columns of a call that decide its outcome. */
export interface OutcomeCall {
  errorCode: string | null | undefined;
  errorMessage: string | null | undefined;
}

/** A failed call's error: its errorCode, else its errorMessage (shortened to 120 characters); null when it succeeded. */
export function failureOf(errorCode: string | null | undefined, errorMessage: string | null | undefined): string | null {
  if (errorCode != null && errorCode !== '') return errorCode;
  if (errorMessage != null && errorMessage !== '') return errorMessage.length > 120 ? `${errorMessage.slice(0, 119)}…` : errorMessage;
  return null;
}

/** One call's outcome. */
export function callOutcome(call: OutcomeCall): 'succeeded' | 'failed' {
  return failureOf(call.errorCode, call.errorMessage) === null ? 'succeeded' : 'failed';
}

/** The outcome of a group of calls; null for no calls (nothing was attempted). */
export function outcomeOf(calls: Iterable<OutcomeCall>): Outcome | null {
  let ok = 0;
  let failed = 0;
  for (const c of calls) {
    if (callOutcome(c) === 'failed') failed++;
    else ok++;
  }
  if (ok + failed === 0) return null;
  return failed === 0 ? 'succeeded' : ok === 0 ? 'failed' : 'mixed';
}
