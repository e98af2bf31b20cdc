import { describe, expect, it } from 'vitest';
import { renderTriageText } from '../../src/report/triage-text.js';
import { displayWidth } from '../../src/report/width.js';
import { findRawControl } from '../helpers/raw-control.js';
import { CREATE_USER_ID, HOSTILE, KEY, STOP_ID, triageReport } from './triage-report.fixture.js';

const report = triageReport();
// Facts are checked without a width limit (one line each); the layout tests below check 60 and 100 columns.
const summary = renderTriageText(report, { width: 0 });
const full = renderTriageText(report, { width: 0, full: true });

/** The lines under a `── Title` heading, up to the next heading. */
function section(text: string, title: string): string {
  const start = text.indexOf(`── ${title}`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const next = text.indexOf('\n── ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

describe('triage terminal summary: one screen', () => {
  it('opens with what happened in one line: findings by level, blind spots, exit code', () => {
    expect(summary.split('\n')[0]).toBe('Triage of case.db');
    expect(summary).toContain('8 findings: 1 critical, 1 high, 3 medium, 2 low, 1 informational; 3 blind spots (1 high); exit code 6');
  });

  it('says what the evidence is: events, range, accounts, regions, sources, integrity, the run', () => {
    const s = section(summary, 'Evidence');
    expect(s).toContain('5098 from 2024-02-16T16:00:03Z → 2025-02-13T23:58:41Z (times in UTC)');
    expect(s).toContain('Scope      2 accounts (111122223333, 444455556666) · 2 regions (eu-west-1, us-east-1)');
    expect(s).toContain('1142 log, 456 digest files; events: 3915 Management, 1183 Data');
    expect(s).toContain('Integrity  verified 2026-12-06T18:59:00Z (exit 5): log files 0 proven, 1142 provisional, 0 unverified');
    expect(s).toContain('3 steps ran, 1 did not in 6.9 s');
    expect(s).toContain('investigate instance skipped: no instance evil\\e[2J');
  });

  it('lists the blind spots with kind, place, span, message and the events that show them', () => {
    const s = section(summary, 'Blind spots (3)');
    expect(s).toContain('HIGH      logging-stopped · 111122223333 us-east-1 · 2024-02-18T00:00:00Z → 2025-02-10T05:00:00Z');
    expect(s).toContain('StopLogging on acme-org-trail: nothing recorded until StartLogging');
    expect(s).toContain(`events: ${STOP_ID}`);
    expect(s).toContain('2024-02-18T00:00:00Z → end of evidence');
    expect(s).toContain('INFO      no-insights');
  });

  it('lists every high and critical finding, one row each, with outcome and revert state, and counts the rest', () => {
    const s = section(summary, 'Findings');
    const rows = s.split('\n').filter((l) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL) /.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^CRITICAL +2025-02-12T23:56:00Z +CloudTrail logging stopped +succeeded +yes +arn:aws:iam::444455556666:role\/very-long-role-name/);
    expect(rows[1]).toMatch(/^HIGH +2025-02-12T23:47:12Z +IAM backdoor user x`y```z +mixed +no +arn:aws:iam::444455556666:user\/m\.keller +198\.51\.100\.77, 192\.0\.2\.199 \(\+1\)$/);
    expect(s).toContain('and 3 medium, 2 low, 1 informational: --full');
    expect(s).not.toContain('Routine medium finding');
    // The Detection Rule License: a rule's author is shown with its matches.
    expect(s).toContain('Rule authors:\n  Rule Author evil\\e[2J\\e]0;pwned\\x07agent: IAM backdoor user x`y```z');
  });

  it('with --full shows the severe findings whole: span, outcome with error codes, revert note, who, decisive values, events', () => {
    const s = section(full, 'Findings');
    expect(s).toContain('CRITICAL  CloudTrail logging stopped');
    expect(s).toContain('2025-02-12T23:56:00Z · 1 event · succeeded · reverted (StartLogging 2025-02-13T00:10:00Z)');
    expect(s).toContain('key ASIAMW23FCENENNFAIPP · from 198.51.100.77 · in 444455556666, us-east-1');
    expect(s).toContain('trailName=acme-org-trail');
    expect(s).toContain('HIGH      IAM backdoor user x`y```z');
    expect(s).toContain('mixed (AccessDenied, EntityAlreadyExists (+1)) · not reverted');
    expect(s).toContain('userName=svc-backup-synca|b|c; policyArn=<script>alert(1)</script>');
    expect(s).toContain(`events: ${CREATE_USER_ID}, 35203eb9-b7cb-4d2c-8ca0-05e4035f19d8 (3 in all)`);
    expect(s).toContain('aws_iam_backdoor_users_keys (sigma) · trust provisional');
    expect(s.indexOf('CRITICAL')).toBeLessThan(s.indexOf('HIGH '));
    expect(s).toContain('SigmaHQ contributors: Routine medium finding 0, Routine medium finding 1, Routine medium finding 2, Routine low finding 0, Routine low finding 1, Routine informational finding 0');
  });

  it('tells each actor\'s story: span, counts, addresses, suspect window, findings, what it created and minted', () => {
    const s = section(summary, 'Actors (2)');
    expect(s).toContain(`CRITICAL  access key ${KEY} (m.keller) · account 444455556666`);
    expect(s).toContain('2024-02-16T16:00:03Z → 2025-02-12T23:57:51Z · 1200 events, 9 failed');
    expect(s).toContain('198.51.100.78 (+2) · in us-east-1, eu-west-1');
    expect(s).toContain('suspect window 2025-02-12T23:41:07Z → 2025-02-12T23:57:51Z (thin-baseline, confidence low): new IP and new user agent');
    expect(s).toContain('findings: CloudTrail logging stopped, IAM backdoor user x`y```z');
    expect(s).toContain('- created user svc-backup-sync and an access key; stopped logging');
    expect(s).toContain('created: User svc-backup-sync, AccessKey AKIAHNJXBRJNIGDKTSD6');
    expect(s).toContain('minted: GetSessionToken ASIAQQM6RFI2S4ZG4UKS, AssumeRole');
    expect(s).toContain('HIGH      principal arn:aws:iam::444455556666:user/<script>alert(1)</script> · account 444455556666');
  });

  it('names each finding an actor is behind once, with how many', () => {
    const base = triageReport();
    const findings = base.findings.map((f) => (f.level === 'medium' ? { ...f, title: 'Sensitive port opened to the world' } : f));
    const actors = [{ ...base.actors[1], findingIds: ['f-backdoor', 'f-medium-0', 'f-medium-1', 'f-medium-2'] }];
    const out = renderTriageText({ ...base, findings, actors }, { width: 0 });
    expect(section(out, 'Actors (1)')).toContain('findings: IAM backdoor user x`y```z, Sensitive port opened to the world (×3)');
  });

  it('shows the top 5 of each stack in one table, with "new" marks and the baseline they are measured against', () => {
    const s = section(summary, 'Stack counts (top 5 of each)');
    expect(s).toContain('new: first seen after the baseline, the first 3 of 6 active days (2024-02-16 to 2025-02-10) (after 2025-02-11T00:00:00Z).');
    expect(s).toMatch(/^Principals \(9\) +arn:aws:iam::444455556666:user\/m\.keller +1200 +9 +2024-02-16T16:00:03Z$/m);
    expect(s).toContain('user/ops-1');
    expect(s).not.toContain('user/ops-2');
    expect(s).toMatch(/user\/<script>alert\(1\)<\/script> +new +3 +3 /);
    expect(s).toMatch(/^Source IPs \(1\) +198\.51\.100\.77 +new +310 +9 /m);
    expect(s).toMatch(/^User agents \(1\) +aws-cli\/2\.15 evil\\e\[2J\\e\]0;pwned\\x07agent +new +310 +9 /m);
    expect(s).toMatch(/^Event names \(1\) +StopLogging +new +1 +0 /m);
    expect(s).toMatch(/^Regions \(0\) +none$/m);
    expect(s).toContain('More principals: --full');
    // A hostile 300-character value is cut in the middle (both ends kept) in the summary, whole with --full.
    expect(s).toMatch(/444455556666:role\/very-long-role-name…\/session-x{40} +new +40 /);
    expect(section(full, 'Stack counts')).toContain(HOSTILE.longArn);
  });

  it('ends with the next commands, ready to paste, investigations before responses', () => {
    const s = section(summary, 'Next steps');
    expect(s).toContain(`  # the key behind the critical finding: lineage and suspect window\n  trailhound investigate access-key ${KEY} --db case.db`);
    expect(s).toContain("  aws iam delete-access-key --user-name 'svc-backup-syncx`y```z' --access-key-id AKIAHNJXBRJNIGDKTSD6");
    expect(s.indexOf('Dig further:')).toBeLessThan(s.indexOf('Respond (review first'));
    expect(summary.trimEnd().split('\n').at(-1)).toMatch(/^More: --full shows every finding/);
  });

  it('leaves the run table, activity, coverage and cited events to --full', () => {
    for (const title of ['── Run', '── Activity per day', '── Coverage', '── Cited events']) expect(summary).not.toContain(title);
  });
});

describe('triage terminal summary: --full', () => {
  it('shows every finding (the rest as a table with levels and times) and every stack row', () => {
    const s = section(full, 'Findings');
    expect(s).toMatch(/^MEDIUM +2025-02-11T10:00:00Z +Routine medium/m);
    expect(s).toMatch(/^INFORMATIONAL +2025-02-11T10:00:00Z +Routine/m);
    expect(s).not.toContain('--full');
    const stacks = section(full, 'Stack counts');
    expect(stacks).toContain('Principals: 9, 2 new');
    expect(stacks).toMatch(/arn:aws:iam::444455556666:user\/ops-5 +- +5 +0 +2024-02-16T17:00:00Z +2025-02-11T10:00:00Z/);
    expect(stacks).toMatch(/aws-cli\/2\.15 evil\\e\[2J\\e\]0;pwned\\x07agent +new +310 +9 +61 +2025-02-12T23:41:07Z/);
    expect(section(full, 'Actors (2)')).toContain('198.51.100.79, 198.51.100.80');
  });

  it('shows the run, activity per day, coverage gaps per account and region, and the cited events', () => {
    expect(section(full, 'Run')).toMatch(/investigate instance +skipped +0\.0 s +no instance evil\\e\[2J/);
    expect(section(full, 'Activity per day (4 active days)')).toMatch(/2025-02-12 +2269 +42 +1 +█{30}/);
    const cov = section(full, 'Coverage');
    expect(cov).toMatch(/111122223333 +us-east-1 +1068 +3 +2024-02-18 – 2025-02-09 \(358 days\); 2025-02-11 –/);
    expect(cov).toContain('us-east-1a|b|c');
    const cited = section(full, 'Cited events (2, 7 more left out)');
    expect(cited).toMatch(new RegExp(`2025-02-12T23:56:00Z +${STOP_ID} +StopLogging`));
    expect(cited).toMatch(/filea\|b\|c\.json\.gz +4 +provisional +e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/);
  });
});

describe('triage terminal summary: layout and safety', () => {
  it('shows times in the report\'s zone', () => {
    const seoul = triageReport({ tz: 'Asia/Seoul' });
    for (const out of [renderTriageText(seoul, { width: 0 }), renderTriageText(seoul, { width: 0, full: true })]) {
      expect(out).toContain('(times in Asia/Seoul)');
      expect(out).toMatch(/2025-02-13T08:56:00\+09:00( · 1 event · succeeded| +CloudTrail logging stopped)/);
      expect(out).toContain('logging-stopped · 111122223333 us-east-1 · 2024-02-18T09:00:00+09:00 → 2025-02-10T14:00:00+09:00');
      expect(out).not.toContain('2025-02-12T23:56:00Z');
    }
    expect(section(renderTriageText(seoul, { width: 100, full: true }), 'Activity')).toMatch(/2025-02-13 +3398 +45 +2 /);
  });

  it('at 60 and 100 columns keeps every level and every time whole, and fits the width', () => {
    const seoul = triageReport({ tz: 'Asia/Seoul' });
    for (const opts of [{ width: 60 }, { width: 60, full: true }, { width: 100 }, { width: 100, full: true }]) {
      const out = renderTriageText(seoul, opts);
      expect(out).toMatch(opts.full ? /^CRITICAL {2}CloudTrail logging stopped$/m : /^CRITICAL {2}2025-02-13T08:56:00\+09:00 {2}CloudTrail/m);
      expect(out).toMatch(opts.full ? /^HIGH {6}IAM backdoor user/m : /^HIGH {6}2025-02-13T08:47:12\+09:00 {2}IAM backdoor/m);
      expect(out).toMatch(/^HIGH {6}logging-stopped/m);
      expect(out).toContain('2025-02-13T08:56:00+09:00');
      expect(out).toContain('2024-02-18T09:00:00+09:00 →');
      expect(out).toContain('2025-02-10T14:00:00+09:00');
      expect(out).toContain('suspect window 2025-02-13T08:41:07+09:00 →');
      // A time is never cut: no `…` right after a date.
      expect(out).not.toMatch(/\d{4}-\d\d-\d\d(T[\d:]*)?…/);
      for (const line of out.trimEnd().split('\n')) {
        // Commands are not wrapped (they are for pasting) and the shared table's "columns not shown" footer is one line.
        if (/^ {2}(trailhound|aws) /.test(line) || line.startsWith('(columns not shown')) continue;
        expect(displayWidth(line), line).toBeLessThanOrEqual(opts.width);
      }
      if (opts.full) expect(out).toMatch(/^MEDIUM +2025-02-11T19:00:00\+09:00 /m);
    }
  });

  it('never writes a raw control character, whatever the evidence holds', () => {
    for (const opts of [{ width: 0 }, { width: 60 }, { width: 100 }, { width: 60, full: true }, { width: 0, full: true }]) {
      const out = renderTriageText(report, opts);
      expect(findRawControl(out)).toBeNull();
      expect(out).toContain('\\e[2J\\e]0;pwned\\x07agent');
      expect(out).toContain('invoice\\u202egpj.exe');
      expect(out).toContain('line1\\nline2\\r\\n# heading');
    }
    expect(renderTriageText(report, { width: 0, full: true })).toContain('AccessDeniedcsi\\x9b31m');
  });

  it('colours only its own words: headings and levels', () => {
    const out = renderTriageText(report, { width: 100, color: true, full: true });
    expect(out).toContain('\u001b[1;31mCRITICAL\u001b[0m  CloudTrail logging stopped');
    expect(out).toContain('\u001b[31mHIGH\u001b[0m');
    expect(out).toMatch(/^\u001b\[33mMEDIUM\u001b\[0m +2025-02-11T10:00:00Z/m);
    expect(out).toContain('\u001b[1m── Evidence\u001b[0m');
    const ours = /\u001b\[(?:1;31|31|33|36|2|1)m(── [^\u001b]*|CRITICAL|HIGH|MEDIUM|LOW|INFO|INFORMATIONAL|Triage of [^\u001b]*)\u001b\[0m/g;
    expect(findRawControl(out.replace(ours, '$1'))).toBeNull();
    expect(out).toContain('\\e[2J');
    expect(findRawControl(renderTriageText(report, { width: 100 }))).toBeNull();
  });

  it('without a width limit writes long values whole on one line', () => {
    const out = renderTriageText(report, { width: 0, full: true });
    expect(out).toContain(`by ${HOSTILE.longArn} · key ASIAMW23FCENENNFAIPP`);
  });

  it('says so when there is nothing to report', () => {
    const quiet = triageReport({
      blindSpots: [],
      findings: [],
      findingCounts: { critical: 0, high: 0, medium: 0, low: 0, informational: 0 },
      actors: [],
      nextSteps: [],
      exitCode: 0,
    });
    const out = renderTriageText(quiet, { width: 80 });
    expect(out).toContain('no findings; no blind spots; exit code 0');
    expect(section(out, 'Blind spots (0)')).toContain('None found');
    expect(section(out, 'Findings (none)')).toContain('No findings.');
    expect(section(out, 'Actors (0)')).toContain('No principal or key is behind a finding.');
    expect(section(out, 'Next steps')).toContain('Nothing to follow up.');
    const mediumOnly = triageReport({ findings: triageReport().findings.filter((f) => f.level === 'medium') });
    expect(section(renderTriageText(mediumOnly, { width: 80 }), 'Findings')).toContain('No high or critical findings.');
  });
});
