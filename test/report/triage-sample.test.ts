// The terminal summary and the Markdown report of the REAL triage of the committed sample (src/triage/run.ts on a
// copy of the verified sample case): the planted incidents, the StopLogging gap, the integrity gaps and the stolen
// key reach both outputs, every severe finding is listed, tables stay whole, nothing raw reaches the terminal.

import { beforeAll, describe, expect, it } from 'vitest';
import { copyCase } from '../helpers/cases.js';
import { findRawControl } from '../helpers/raw-control.js';
import { truth } from '../helpers/sample.js';
import { runTriage } from '../../src/triage/run.js';
import { renderTriageText } from '../../src/report/triage-text.js';
import { renderTriageMarkdown } from '../../src/report/triage-markdown.js';
import { displayWidth } from '../../src/report/width.js';
import type { TriageReport } from '../../src/model/triage.js';

const stolen = truth.incidents.stolenAccessKey;
let report: TriageReport;
let seoul: TriageReport;

beforeAll(async () => {
  const db = copyCase('sampleVerified');
  ({ report } = await runTriage({ dbPath: db, evidence: [], tz: 'UTC', toolVersion: 'test', now: Date.parse('2026-01-01T00:00:00Z') }));
  seoul = { ...report, tz: 'Asia/Seoul' };
}, 180_000);

function section(text: string, marker: string, next: string): string {
  const start = text.indexOf(marker);
  expect(start, marker).toBeGreaterThanOrEqual(0);
  const end = text.indexOf(next, start + marker.length);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('terminal summary of the sample', () => {
  it('names the StopLogging gap, the integrity gaps, every severe finding and the stolen key with its suspect window', () => {
    const out = renderTriageText(report, { width: 120 });
    const spots = section(out, '── Blind spots', '\n── ');
    expect(spots).toMatch(/HIGH {6}logging-stopped · 111122223333 us-east-1 · /);
    expect(spots).toContain('StopLogging on trail acme-org-trail');
    expect(spots.match(/^HIGH {6}integrity-gap/gm)).toHaveLength(3);
    const findings = section(out, '── Findings', '\n── ');
    const severe = report.findings.filter((f) => f.level === 'high' || f.level === 'critical');
    expect(findings.match(/^(HIGH|CRITICAL) +\d{4}-/gm)).toHaveLength(severe.length);
    expect(findings).toContain(`and ${report.findingCounts.medium} medium, ${report.findingCounts.low} low: --full`);
    const actors = section(out, '── Actors', '\n── ');
    expect(actors).toContain(`access key ${stolen.accessKeyId} (${stolen.userArn})`);
    expect(actors).toContain(`suspect window ${stolen.attackStart} → ${stolen.attackEnd}`);
    expect(section(out, '── Next steps', '\nMore: ')).toMatch(new RegExp(`^ {2}trailhound investigate access-key ${stolen.accessKeyId} --db `, 'm'));
  });

  it('--full lists every finding and every cited event', () => {
    const out = renderTriageText(report, { width: 0, full: true });
    const findings = section(out, '── Findings', '\n── Actors');
    expect(findings.match(/^(CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL) /gm)).toHaveLength(report.findings.length);
    const cited = section(out, '── Cited events', '\n── ');
    expect(cited.split('\n').filter((l) => /^\d{4}-\d\d-\d\dT/.test(l))).toHaveLength(report.events.length);
    expect(cited).toContain(stolen.firstMaliciousEventId);
  });

  it('at 60 columns in Asia/Seoul keeps levels and whole times, fits the width, and writes nothing raw', () => {
    for (const full of [false, true]) {
      const out = renderTriageText(seoul, { width: 60, full });
      expect(findRawControl(out)).toBeNull();
      expect(out).not.toMatch(/\d{4}-\d\d-\d\d(T[\d:]*)?…/);
      expect(out).toContain('(times in Asia/Seoul)');
      expect(out).toContain('2025-02-13T08:41:07+09:00'); // the stolen key's first malicious call, 23:41:07Z
      for (const line of out.trimEnd().split('\n')) {
        if (/^ {2}(trailhound|aws) /.test(line) || line.startsWith('(columns not shown')) continue;
        expect(displayWidth(line), line).toBeLessThanOrEqual(60);
      }
    }
  });
});

describe('Markdown report of the sample', () => {
  it('has every section, one row per finding and per cited event, and whole tables', () => {
    const md = renderTriageMarkdown(report);
    expect(findRawControl(md)).toBeNull();
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## Summary', '## Blind spots', '## Findings', '## Actors', '## Activity', '## Coverage', '## Stack counts', '## Next steps', '## Cited events']);
    const findings = section(md, '\n## Findings\n', '\n## ');
    expect(findings.split('\n').filter((l) => /^\| (CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL) \|/.test(l))).toHaveLength(report.findings.length);
    const cited = section(md, '\n## Cited events\n', '\n## ');
    expect(cited.split('\n').filter((l) => /^\| [0-9a-f-]{36} \|/.test(l))).toHaveLength(report.events.length);
    expect(section(md, '\n## Blind spots\n', '\n## ')).toMatch(/\| HIGH \| logging-stopped \| 111122223333 \| us-east-1 \|/);
    expect(section(md, '\n## Actors\n', '\n## ')).toContain(`access key ${stolen.accessKeyId}`);
    // Every row of every table has its header's cell count (no evidence pipe adds a column).
    let header = -1;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        header = -1;
        continue;
      }
      const n = line.replace(/\\./g, '').split('|').length;
      if (header < 0) header = n;
      else expect(n, line.slice(0, 120)).toBe(header);
    }
  });
});
