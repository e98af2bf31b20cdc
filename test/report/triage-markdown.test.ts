import { describe, expect, it } from 'vitest';
import { fenced, mdText, renderTriageMarkdown } from '../../src/report/triage-markdown.js';
import { findRawControl } from '../helpers/raw-control.js';
import { KEY, STOP_ID, CREATE_USER_ID, triageReport } from './triage-report.fixture.js';

const report = triageReport();
const md = renderTriageMarkdown(report);

const SECTIONS = ['Summary', 'Blind spots', 'Findings', 'Actors', 'Activity', 'Coverage', 'Stack counts', 'Next steps', 'Cited events'];

/** The text of a `## Title` section, up to the next `## `. */
function section(text: string, title: string): string {
  const start = text.indexOf(`\n## ${title}\n`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

/** Lines outside fenced code blocks (a fence closes only with a line of at least as many backticks). */
function outsideCode(text: string): string[] {
  const out: string[] = [];
  let fence = '';
  for (const line of text.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (!fence && m) fence = m[1];
    else if (fence && m && /^`+$/.test(line) && line.length >= fence.length) fence = '';
    else if (!fence) out.push(line);
  }
  expect(fence, 'every code block is closed').toBe('');
  return out;
}

/** The cells of a table row as GitHub reads it: `|` splits unless backslash-escaped (a backslash escapes the next character). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') {
      cur += line.slice(i, i + 2);
      i++;
    } else if (line[i] === '|') {
      out.push(cur);
      cur = '';
    } else cur += line[i];
  }
  out.push(cur);
  return out.slice(1, -1).map((c) => c.trim());
}

/** Characters that are not backslash-escaped. */
function unescaped(line: string): string {
  return line.replace(/\\./g, '');
}

describe('triage Markdown report: sections and facts', () => {
  it('has the HTML report\'s sections, in order, under one title', () => {
    const lines = outsideCode(md);
    expect(lines.filter((l) => l.startsWith('# '))).toEqual(['# Triage report: case.db']);
    expect(lines.filter((l) => l.startsWith('## '))).toEqual(SECTIONS.map((s) => `## ${s}`));
    expect(md).toContain('8 findings: 1 critical, 1 high, 3 medium, 2 low, 1 informational; 3 blind spots (1 high); exit code 6.');
  });

  it('Summary: the evidence, its integrity (the shared sentence with the trust counts), the findings by level and the run', () => {
    const s = section(md, 'Summary');
    expect(s).toContain('- **Events**: 5098 from 2024-02-16T16:00:03Z to 2025-02-13T23:58:41Z (times in UTC)');
    expect(s).toContain('- **Accounts**: 111122223333, 444455556666');
    expect(s).toContain('- **Sources**: 1142 log, 456 digest files');
    expect(s).toContain('- **Event categories**: 3915 Management, 1183 Data');
    expect(s).toContain('- **Integrity**: verified 2026-12-06T18:59:00Z (exit 5): log files 0 proven, 1142 provisional, 0 unverified');
    expect(s).toContain('- **Findings**: 1 critical, 1 high, 3 medium, 2 low, 1 informational');
    expect(s).toContain('| investigate instance | skipped | 0.0 s | no instance evil\\\\e\\[2J\\\\e\\]0;pwned\\\\x07agent |');
  });

  it('Blind spots: one row each with severity, kind, place, span, message and events', () => {
    const s = section(md, 'Blind spots');
    expect(s).toContain(`| HIGH | logging-stopped | 111122223333 | us-east-1 | 2024-02-18T00:00:00Z | 2025-02-10T05:00:00Z | StopLogging on acme-org-trail: nothing recorded until StartLogging | ${STOP_ID} |`);
    expect(s).toContain('| 2024-02-18T00:00:00Z | end of evidence | digest chain restarts line1\\\\nline2\\\\r\\\\n# heading |  |');
    expect(s).toContain('| INFO | no-insights |');
  });

  it('Findings: every finding, most severe first, with outcome, revert (and what undid it), who, details and events', () => {
    const s = section(md, 'Findings');
    const rows = s.split('\n').filter((l) => /^\| (CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL) \|/.test(l));
    expect(rows.map((r) => cells(r)[0])).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW', 'INFORMATIONAL']);
    const critical = cells(rows[0]);
    expect(critical.slice(0, 7)).toEqual(['CRITICAL', '2025-02-12T23:56:00Z', '2025-02-12T23:56:00Z', 'CloudTrail logging stopped', 'succeeded', 'reverted (StartLogging 2025-02-13T00:10:00Z): bbbbbbbb-0000-0000-0000-000000000002', '1']);
    expect(critical).toContain(STOP_ID);
    expect(critical).toContain('trailName=acme-org-trail');
    const high = cells(rows[1]);
    expect(high.slice(3, 6)).toEqual(['IAM backdoor user x\\`y\\`\\`\\`z', 'mixed (AccessDenied, EntityAlreadyExists (+1))', 'not reverted']);
    expect(high).toContain(KEY);
    expect(high).toContain('userName=svc-backup-synca\\|b\\|c; policyArn=\\<script\\>alert(1)\\</script\\>');
    expect(high).toContain(`${CREATE_USER_ID} 35203eb9-b7cb-4d2c-8ca0-05e4035f19d8`);
    // The Detection Rule License: a rule's author is shown with its matches.
    expect(s).toContain('- IAM backdoor user x\\`y\\`\\`\\`z: Rule Author evil\\\\e\\[2J\\\\e\\]0;pwned\\\\x07agent');
    expect(s).toContain('- Routine low finding 1: SigmaHQ contributors');
  });

  it('Actors: a heading per principal or key, its facts and its story in order', () => {
    const s = section(md, 'Actors');
    expect(s).toContain(`### CRITICAL: access key ${KEY} (m.keller)`);
    expect(s).toContain('- **Seen**: 2024-02-16T16:00:03Z to 2025-02-12T23:57:51Z, 1200 events, 9 failed');
    expect(s).toContain('- **Suspect window**: 2025-02-12T23:41:07Z to 2025-02-12T23:57:51Z (thin-baseline, confidence low): new IP and new user agent family, denied burst');
    expect(s).toContain('- **Findings**: CloudTrail logging stopped, IAM backdoor user x\\`y\\`\\`\\`z');
    expect(s).toContain('- **Created**: User svc-backup-sync, AccessKey AKIAHNJXBRJNIGDKTSD6');
    expect(s).toContain('- **Minted**: GetSessionToken ASIAQQM6RFI2S4ZG4UKS, AssumeRole arn:aws:iam::444455556666:role/very-long-role-name-');
    expect(s).toContain('1. 2025-02-12T23:41:07Z first call from 198.51.100.77 (new)\n2. ListUsers, 9 denied calls; line1\\\\nline2\\\\r\\\\n# heading\n3. created user');
    expect(s).toContain('### HIGH: principal arn:aws:iam::444455556666:user/\\<script\\>alert(1)\\</script\\>');
  });

  it('Activity: a compact table of events per day, with the events findings cite', () => {
    const s = section(md, 'Activity');
    expect(s).toContain('| Day | Events | In findings | Active hours |');
    expect(s).toContain('| 2025-02-12 | 2269 | 42 | 1 |');
    const seoul = section(renderTriageMarkdown(triageReport({ tz: 'Asia/Seoul' })), 'Activity');
    expect(seoul).toContain('| 2025-02-13 | 3398 | 45 | 2 |');
  });

  it('Coverage: per account and region the events, days and gaps, and the account × region × day table', () => {
    const s = section(md, 'Coverage');
    expect(s).toContain('| 111122223333 | us-east-1 | 1068 | 3 | 2024-02-16 | 2025-02-10 | 2024-02-18 – 2025-02-09 (358 days); 2025-02-11 – 2025-02-13 (3 days) |');
    expect(s).toContain('| Account | Region | 2024-02-16 | 2024-02-17 | 2025-02-10 | 2025-02-12 | 2025-02-13 |');
    expect(s).toContain('| 444455556666 | eu-west-1 | 1000 | 0 | 0 | 1901 | 0 |');
    expect(s).toContain('| 444455556666 | us-east-1a\\|b\\|c | 0 | 0 | 0 | 0 | 1129 |');
  });

  it('Coverage: too many days for a table leaves the gaps list alone', () => {
    const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i * 2)).toISOString().slice(0, 10));
    const s = section(renderTriageMarkdown(triageReport({ coverage: days.map((day) => ({ account: '444455556666', region: 'us-east-1', day, events: 5 })) })), 'Coverage');
    expect(s).toContain('| 444455556666 | us-east-1 | 200 | 40 | 2025-01-01 | 2025-03-20 | 2025-01-02 (1 day); 2025-01-04 (1 day);');
    expect(s).not.toContain('account, region and day');
  });

  it('Stack counts: every row with its "new" mark, the baseline, user-agent variants', () => {
    const s = section(md, 'Stack counts');
    expect(s).toContain('new: first seen after the baseline, the first 3 of 6 active days (2024-02-16 to 2025-02-10) (after 2025-02-11T00:00:00Z).');
    expect(s).toContain('### Principals (9, 2 new)');
    expect(s).toContain('| arn:aws:iam::444455556666:user/ops-5 |  | 5 | 0 | 2024-02-16T17:00:00Z | 2025-02-11T10:00:00Z |');
    expect(s).toContain('| arn:aws:iam::444455556666:user/\\<script\\>alert(1)\\</script\\> | new | 3 | 3 |');
    expect(s).toContain('| aws-cli/2.15 evil\\\\e\\[2J\\\\e\\]0;pwned\\\\x07agent | new | 310 | 9 | 61 |');
    expect(s).toContain('### Regions (0)\n\n_None._');
  });

  it('Next steps: each command in its own fenced block, ready to paste, investigations first', () => {
    const s = section(md, 'Next steps');
    expect(s).toContain(`the key behind the critical finding: lineage and suspect window:\n\n\`\`\`sh\ntrailhound investigate access-key ${KEY} --db case.db\n\`\`\``);
    // The command holds ``` : the fence is longer, so the block holds the whole command and closes after it.
    expect(s).toContain("````sh\naws iam delete-access-key --user-name 'svc-backup-syncx`y```z' --access-key-id AKIAHNJXBRJNIGDKTSD6\n````");
    expect(s.indexOf('### Dig further')).toBeLessThan(s.indexOf('### Respond'));
  });

  it('Cited events: id, time, name, principal, file, record, SHA-256 and trust, and how many were left out', () => {
    const s = section(md, 'Cited events');
    const row = cells(s.split('\n').find((l) => l.startsWith(`| ${STOP_ID}`))!);
    expect(row[1]).toBe('2025-02-12T23:56:00Z');
    expect(row[2]).toBe('StopLogging (cloudtrail.amazonaws.com)');
    expect(row[8]).toBe('evidence/AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/us-east-1/2025/02/12/filea\\|b\\|c.json.gz');
    expect(row.slice(9)).toEqual(['4', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'provisional']);
    expect(s).toContain('7 more cited events were left out of this report');
  });

  it('shows times in the report\'s zone', () => {
    const seoul = renderTriageMarkdown(triageReport({ tz: 'Asia/Seoul' }));
    expect(seoul).toContain('(times in Asia/Seoul)');
    expect(seoul).toContain('| CRITICAL | 2025-02-13T08:56:00+09:00 | 2025-02-13T08:56:00+09:00 | CloudTrail logging stopped |');
    expect(seoul).not.toContain('2025-02-12T23:56:00Z');
  });
});

describe('triage Markdown report: hostile evidence', () => {
  it('every table row has as many cells as its header', () => {
    const lines = outsideCode(md);
    let header = -1;
    let tables = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        header = -1;
        continue;
      }
      if (header < 0) {
        header = cells(line).length;
        tables++;
      } else expect(cells(line), line).toHaveLength(header);
    }
    // Run, blind spots, findings, activity, coverage and its matrix, six non-empty stacks, cited events.
    expect(tables).toBe(13);
  });

  it('no raw control character, no HTML tag, no stray backtick, no line started by evidence', () => {
    expect(findRawControl(md)).toBeNull();
    const prose = outsideCode(md);
    for (const line of prose) {
      expect(unescaped(line), line).not.toMatch(/[<>`]/);
      // Evidence never opens a heading: every heading is trailhound's.
      if (line.startsWith('#')) expect(line).toMatch(/^(# Triage report: |## [A-Z][a-z]|### )/);
    }
    expect(prose.some((l) => /^#+ heading/.test(l))).toBe(false);
    expect(md).toContain('invoice\\\\u202egpj.exe');
    expect(md).toContain('AccessDeniedcsi\\\\x9b31m');
  });

  it('mdText escapes what would start a heading, a list or a rule, and entities', () => {
    expect(mdText('# x')).toBe('\\# x');
    expect(mdText('- x')).toBe('\\- x');
    expect(mdText('--- ')).toBe('\\--- ');
    expect(mdText('1. x')).toBe('1\\. x');
    expect(mdText('2) x')).toBe('2\\) x');
    expect(mdText('198.51.100.77')).toBe('198.51.100.77');
    expect(mdText('a &lt; b ~~~')).toBe('a \\&lt; b \\~\\~\\~');
    expect(mdText('a|b')).toBe('a\\|b');
    expect(mdText(null)).toBe('');
  });

  it('a fence is always longer than any backtick run in the command', () => {
    expect(fenced('echo hi')).toEqual(['```', 'echo hi', '```']);
    expect(fenced('a ```` b ``` c', 'sh')).toEqual(['`````sh', 'a ```` b ``` c', '`````']);
    expect(fenced('x\ny\u001b[2J')).toEqual(['```', 'x\\ny\\e[2J', '```']);
  });

  it('an empty report says so in each section', () => {
    const quiet = renderTriageMarkdown(
      triageReport({ blindSpots: [], findings: [], findingCounts: { critical: 0, high: 0, medium: 0, low: 0, informational: 0 }, actors: [], nextSteps: [], events: [], citedEventsOmitted: 0, activity: [], coverage: [] }),
    );
    expect(section(quiet, 'Blind spots')).toContain('_None found');
    expect(section(quiet, 'Findings')).toContain('_No findings._');
    expect(section(quiet, 'Actors')).toContain('_No principal or key is behind a finding._');
    expect(section(quiet, 'Activity')).toContain('_No events._');
    expect(section(quiet, 'Coverage')).toContain('_No events._');
    expect(section(quiet, 'Next steps')).toContain('_Nothing to follow up._');
    expect(section(quiet, 'Cited events')).toContain('_None._');
    expect(outsideCode(quiet).filter((l) => l.startsWith('## '))).toEqual(SECTIONS.map((s) => `## ${s}`));
  });
});
