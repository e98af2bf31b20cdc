// `trailhound triage` end to end with the real CLI: from the sample evidence to the summary, JSON, the HTML and
// Markdown reports and the timeline; an existing case triaged again (incremental, verify reused); --fail-level;
// the documented exit codes and usage errors; outputs refused inside the evidence; evidence without digests.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import { sampleEvidence, sampleExports, truth } from '../helpers/sample.js';
import { copyCase } from '../helpers/cases.js';
import type { TriageReport } from '../../src/model/triage.js';

const dir = tmpDir('trailhound-triage-cli-');
const db = path.join(dir, 'case.db');
const out = (name: string): string => path.join(dir, name);
let cold: { code: number; stdout: string; stderr: string };

beforeAll(() => {
  // One child process: the real bin, its exit code and its stderr lines.
  cold = runCli(['triage', sampleEvidence, sampleExports, '--db', db, '--report', out('report.html'), '--md', out('report.md'), '--timeline', out('timeline.csv'), '--width', '160']);
}, 180_000);

describe('triage from evidence', () => {
  it('exits 0 and prints the summary with the planted attack, the StopLogging and the stolen key', () => {
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.stdout).toMatch(/^Triage of /);
    expect(cold.stdout).toContain('StopLogging on trail acme-org-trail');
    expect(cold.stdout).toContain(truth.incidents.stolenAccessKey.accessKeyId);
    expect(cold.stdout).toContain(`suspect window ${truth.incidents.stolenAccessKey.attackStart}`);
  });

  it('writes the three files and says so, and verifies with the key lists found in the evidence', () => {
    expect(cold.stderr).toMatch(/wrote HTML report .*report\.html \(\d+ KB\)/);
    expect(cold.stderr).toMatch(/wrote Markdown report .*report\.md/);
    expect(cold.stderr).toMatch(new RegExp(`wrote timeline .*timeline\\.csv \\(${truth.counts.events} events, \\d+ tagged with findings\\)`));
    const html = fs.readFileSync(out('report.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-/);
    expect(fs.readFileSync(out('report.md'), 'utf8')).toMatch(/^# /);
    expect(fs.readFileSync(out('timeline.csv'), 'utf8').split('\n')[0]).toMatch(/^message,datetime,timestamp,timestamp_desc/);
    expect(cold.stderr).not.toMatch(/UNVERIFIABLE_KEY_NOT_FOUND|unverifiable_key_not_found/);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('on the existing case: JSON, the verify run reused, detect only on what is new', async () => {
    const r = await runCliInProcess(['triage', '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as TriageReport;
    expect(j.schema).toBe('trailhound.triage/1');
    expect(j.steps.map((s) => s.step)).not.toContain('ingest');
    expect(j.steps.find((s) => s.step === 'verify')).toMatchObject({ status: 'skipped' });
    expect(j.evidence.trust?.proven).toBe(truth.counts.logFiles);
    expect(j.exitCode).toBe(0);
  });

  it('--fail-level high exits 6 (the sample has high findings); critical exits 0', async () => {
    const high = await runCliInProcess(['triage', '--db', db, '--format', 'json', '--fail-level', 'high']);
    expect(high.code).toBe(6);
    expect((JSON.parse(high.stdout) as TriageReport).exitCode).toBe(6);
    const critical = await runCliInProcess(['triage', '--db', db, '--format', 'json', '--fail-level', 'critical']);
    expect(critical.code).toBe(0);
  });
});

describe('triage refuses what it must', () => {
  it('a report inside the evidence folder: exit 1, nothing written there', async () => {
    const target = path.join(sampleEvidence, 'report.html');
    const r = await runCliInProcess(['triage', '--db', copyCase('sampleVerified', path.join(tmpDir(), 'sample.db')), '--report', target, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is inside the evidence folder ${sampleEvidence}; evidence is read-only: write the report somewhere else`);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(sampleEvidence).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it.each([
    [['--timeline', 'x.txt'], /--timeline: "x\.txt" must end in \.jsonl or \.csv/],
    [['--report', 'x.pdf'], /--report: "x\.pdf" must end in \.html/],
    [['--md', 'x.txt'], /--md: "x\.txt" must end in \.md/],
    [['--timeline-format', 'generic'], /--timeline-format needs --timeline FILE/],
    [['--fail-level', 'severe'], /--fail-level: "severe" is not a level/],
    [['--report', '/nonexistent-folder/r.html'], /--report: the folder of "\/nonexistent-folder\/r\.html" does not exist/],
    [['--timeline', '/nonexistent-folder/t.jsonl'], /--timeline: the folder of "\/nonexistent-folder\/t\.jsonl" does not exist/],
  ])('usage error %j: exit 2', async (args, message) => {
    const r = await runCliInProcess(['triage', '--db', path.join(dir, 'never.db'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(path.join(dir, 'never.db'))).toBe(false);
  });

  it('no evidence and no case: exit 1 naming the case and how to create it', async () => {
    const r = await runCliInProcess(['triage', '--db', path.join(dir, 'missing.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/case file .*missing\.db does not exist; give the evidence to triage/);
  });
});

describe('triage of evidence without digests', () => {
  it('says plainly that nothing is proven and still finds the attacks', async () => {
    const noDigests = path.join(tmpDir(), 'exports.db');
    const r = await runCliInProcess(['triage', sampleExports, '--db', noDigests, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as TriageReport;
    expect(j.steps.find((s) => s.step === 'verify')).toMatchObject({ status: 'skipped', note: 'no digest files in the evidence: nothing can be proven' });
    expect(j.blindSpots[0]).toMatchObject({ kind: 'not-verified', severity: 'high' });
    expect(j.evidence.integrity).toMatch(/^not verified: no digest files in the evidence/);
    expect(j.evidence.trust).toBeNull();
    expect(j.findings.length).toBeGreaterThan(0);
  });
});
