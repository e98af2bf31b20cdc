// The real CLI on the bundled sample: ingest --json and info --json contracts, exit codes, usage errors.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sampleDir, tmpDir } from '../helpers/paths.js';

const truthFile = path.join(sampleDir, 'ground-truth.json');

describe('trailhound ingest / info', () => {
  it('ingests the bundled sample completely and describes it', () => {
    const db = path.join(tmpDir(), 'case.db');
    const r = runCli(['ingest', path.join(sampleDir, 'evidence'), path.join(sampleDir, 'exports'), '--db', db, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s)).toEqual(['case', 'runId', 'files', 'records', 'eventsAdded', 'duplicateOccurrences', 'conflicts', 'warnings', 'recordsSkipped', 'bytes', 'seconds', 'recoveredSources', 'discardedBuild', 'problems', 'complete']);
    expect(s.complete).toBe(true);
    expect(s.conflicts).toBe(0);
    expect(s.files.byKind['cloudtrail-log']).toBeGreaterThan(100);
    expect(s.files.byKind['cloudtrail-digest']).toBeGreaterThan(10);
    expect(s.files.byKind['lookup-events']).toBeGreaterThanOrEqual(1);
    expect(s.files.byKind['console-csv']).toBe(1);
    expect(s.duplicateOccurrences).toBeGreaterThan(0); // account trail + exports repeat org-trail events

    const info = JSON.parse(runCli(['info', '--db', db, '--json']).stdout);
    expect(info.events).toBe(s.eventsAdded);
    expect(info.occurrences).toBe(s.eventsAdded + s.duplicateOccurrences);
    expect(info.timeRange.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    if (fs.existsSync(truthFile)) {
      const truth = JSON.stringify(JSON.parse(fs.readFileSync(truthFile, 'utf8')));
      for (const acct of info.accounts) expect(truth).toContain(acct);
    }
    expect(info.regions).toContain('us-east-1');

    const again = JSON.parse(runCli(['ingest', path.join(sampleDir, 'evidence'), '--db', db, '--json']).stdout);
    expect(again.eventsAdded).toBe(0);
    expect(again.files.alreadyInCase).toBe(again.files.total);
  });

  it('exit 4 and each skipped file listed when something is not evidence', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'meeting notes, not logs\n');
    const r = runCli(['ingest', dir, '--db', path.join(dir, 'case.db')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('[!] notes.txt: skipped: not JSON, and not a CSV with CloudTrail columns');
  });

  it('usage errors exit 2 with the argument named; a missing case exits 1', () => {
    const r = runCli(['ingest', '.', '--db', '/tmp/x.db', '--max-decompressed', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-decompressed must be a size such as 512MiB, 4GiB or a number of bytes (got "lots")');
    const m = runCli(['info', '--db', '/nonexistent/case.db']);
    expect(m.code).toBe(1);
    expect(m.stderr).toBe('trailhound: case file /nonexistent/case.db does not exist; create one with: trailhound ingest <evidence> --db /nonexistent/case.db\n');
  });
});
