// End to end: the real binary in a pseudo-terminal (tmux), on the bundled sample. Open the case, look at the triage
// screen and come back, filter by the stolen access key, open an event, run the access-key investigation, go back
// and quit — asserting what is on the screen at each step. After detect the case opens on the triage screen. Also:
// NO_COLOR leaves no colour codes on screen (and colour is there without it), and a resize to 80×24 redraws within
// the new size. Skipped, with a note, when tmux is not installed.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyCase } from '../helpers/cases.js';
import { cliBin, tmpDir } from '../helpers/paths.js';
import { truth } from './helpers.js';

const haveTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!haveTmux) process.stderr.write('note: tmux is not installed; the TUI end-to-end test is skipped (apt-get install tmux)\n');

const SOCKET = `trailhound-e2e-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The visible screen of a session (with escape sequences when `escapes`). */
const screen = (session: string, escapes = false): string => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);

/** Wait until the screen shows `what`; returns the screen. */
async function waitFor(session: string, what: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    last = screen(session);
    if (typeof what === 'string' ? last.includes(what) : what.test(last)) {
      await sleep(150); // let the frame finish and the input handlers attach
      return screen(session);
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${String(what)}; the screen shows:\n${last}`);
}

const keys = (session: string, ...k: string[]): void => {
  tmux('send-keys', '-t', session, ...k);
};
const text = (session: string, t: string): void => {
  tmux('send-keys', '-t', session, '-l', t);
};

describe.skipIf(!haveTmux)('TUI end to end in tmux', () => {
  let db = '';
  let cwd = '';
  beforeAll(() => {
    const dir = tmpDir('trailhound-e2e-');
    db = copyCase('sampleWithExports', path.join(dir, 'case.db')); // the screens show its name
    cwd = path.join(dir, 'work');
    fs.mkdirSync(cwd);
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // no server left
    }
  });

  const start = (session: string, env: string, args: string[], size = { x: 100, y: 30 }): void => {
    const cmd = `cd ${JSON.stringify(cwd)} && env ${env} ${JSON.stringify(process.execPath)} ${JSON.stringify(cliBin)} ${args.map((a) => JSON.stringify(a)).join(' ')}; echo "EXIT:$?"; sleep 30`;
    tmux('new-session', '-d', '-s', session, '-x', String(size.x), '-y', String(size.y), cmd);
  };

  it('open, filter by an access key, open an event, investigate the key, quit', async () => {
    const key = truth.incidents.stolenAccessKey.accessKeyId as string;
    const expected = JSON.parse(runCli(['search', '--db', db, '--access-key', key, '--limit', '0', '--format', 'json']).stdout) as unknown[];
    const n = (Array.isArray(expected) ? expected : (expected as { events: unknown[] }).events).length;
    expect(n).toBeGreaterThan(0);

    const s = 'main';
    // `trailhound --db case.db` with no command opens the TUI on a terminal.
    start(s, 'NO_COLOR=1', ['--db', db]);
    // The sample spans a year: the histogram starts per day.
    let sc = await waitFor(s, 'Activity per day (UTC)');
    expect(sc).toContain('trailhound  case.db  Overview');
    // The per-account counts come after the first frame (a chunked scan).
    sc = await waitFor(s, /Accounts {3}444455556666 \(\d[\d,]*\)/);

    // No detect ran on this case, so it opened on the overview; t shows the triage (blind spots, how to get
    // findings) and o comes back.
    keys(s, 't');
    sc = await waitFor(s, 'No stored findings: run trailhound detect --db');
    expect(sc).toContain('trailhound  case.db  Triage');
    expect(sc).toContain('Blind spots  StopLogging on trail acme-org-trail');
    keys(s, 'o');
    await waitFor(s, 'Activity per day (UTC)');

    keys(s, 'Tab');
    sc = await waitFor(s, 'Filter (none: every event; / to filter)');
    keys(s, '/');
    await waitFor(s, /^\/\s*$/m);
    text(s, `access-key:${key}`);
    keys(s, 'Enter');
    sc = await waitFor(s, `Filter  access-key=${key}`);
    expect(sc).toContain(`all  1 of ${n.toLocaleString('en-US')} matches`);
    const rows = sc.split('\n').filter((l) => /^[> ] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d /.test(l));
    expect(rows.length).toBeGreaterThan(10);
    // Every row has the key: its column gives way to Source IP and Error.
    expect(sc).toMatch(/\n {2}Time +Event name +User name +Source IP +Region +Error +Service\n/);
    for (const r of rows) expect(r).toMatch(/ (203\.0\.113\.1[01]|198\.51\.100\.77) /);

    keys(s, 'Enter');
    sc = await waitFor(s, `"accessKeyId": "${key}"`);
    expect(sc).toContain('Events › Event');
    expect(sc).toMatch(/seen \d+ times? \(p: full provenance\)/);
    expect(sc).toMatch(/ \[1\] record \d+ {2}sha256 [0-9a-f]{12}…/);
    expect(sc).toContain(`1 key ${key}`);

    keys(s, 'i');
    sc = await waitFor(s, `Access key ID: ${key}`);
    keys(s, 'Enter');
    sc = await waitFor(s, '── Credential lineage (tree)', 60_000);
    expect(sc).toContain(`Access key ${key}`);
    expect(sc).toContain(`${key} (long-term)  owner ${truth.incidents.stolenAccessKey.userArn}`);
    expect(sc).toMatch(new RegExp(`[├└]─ ${truth.incidents.stolenAccessKey.backdoorAccessKeyId}  CreateAccessKey for user ${truth.incidents.stolenAccessKey.backdoorUser}`));
    expect(sc).toMatch(/Suspect window {5}2025-02-12T23:41:07Z → 2025-02-12T23:57:51Z/);

    // Export the result as Markdown into the current folder.
    keys(s, 'e');
    await waitFor(s, `Export to: trailhound-access-key-${key}.json`);
    keys(s, 'Tab', 'Enter');
    await waitFor(s, 'exported Markdown to');
    expect(fs.readFileSync(path.join(cwd, `trailhound-access-key-${key}.md`), 'utf8')).toMatch(/^# Access key AKIAXXXXXXXXXXXXXXXX\n/);

    // Back: result → investigations prompt → menu → event → list → overview → quit.
    keys(s, 'q');
    await waitFor(s, `Access key ID: ${key}`);
    keys(s, 'Escape');
    await waitFor(s, '5  console-logins');
    keys(s, 'Escape');
    await waitFor(s, `"accessKeyId": "${key}"`);
    keys(s, 'q');
    await waitFor(s, `Filter  access-key=${key}`);
    keys(s, 'q');
    await waitFor(s, 'Activity per day (UTC)');
    keys(s, 'q');
    sc = await waitFor(s, 'EXIT:0');
    // The alternate screen is gone: the shell's screen is back, without the TUI's frame.
    expect(sc).not.toContain('Activity per');
  });

  it('after detect, the case opens on the triage: Enter on the first finding lists its events', async () => {
    const triaged = path.join(path.dirname(db), 'triaged.db');
    fs.copyFileSync(db, triaged);
    const detect = runCli(['detect', '--db', triaged, '--format', 'json']);
    expect(detect.code, detect.stderr).toBe(0);
    const first = (JSON.parse(detect.stdout) as { findings: Array<{ title: string; eventCount: number }> }).findings[0];
    start('triage', 'NO_COLOR=1', ['--db', triaged]);
    let sc = await waitFor('triage', /Findings \d+ /);
    expect(sc).toContain('trailhound  triaged.db  Triage');
    const selectedRow = sc.split('\n').find((l) => l.startsWith('> ')) ?? '';
    expect(selectedRow).toMatch(/^> high +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /);
    expect(selectedRow).toContain(first.title.slice(0, 30));
    keys('triage', 'Enter');
    sc = await waitFor('triage', 'Filter  event-id=');
    expect(sc).toContain(`1 of ${first.eventCount} match`);
    keys('triage', 'q', 'q');
    await waitFor('triage', 'EXIT:0');
  });

  it('NO_COLOR leaves no colour on screen; without it there is colour', async () => {
    const sgrColour = /\u001b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;5;\d+|38;2;[\d;]+)(?:;[0-9;]*)?m/;
    start('plain', 'NO_COLOR=1', ['tui', '--db', db, '--events']);
    await waitFor('plain', 'Filter (none');
    const plain = screen('plain', true);
    expect(plain).not.toMatch(sgrColour);
    expect(plain).toMatch(/\u001b\[(?:[0-9]*;)*7m/); // the selected row is shown in inverse, which is not a colour
    start('colour', 'FORCE_COLOR=1', ['tui', '--db', db, '--events']);
    await waitFor('colour', 'Filter (none');
    expect(screen('colour', true)).toMatch(sgrColour);
    keys('plain', 'q', 'q');
    keys('colour', 'q', 'q');
    await waitFor('plain', 'EXIT:0');
    await waitFor('colour', 'EXIT:0');
  });

  it('a resize to 80×24 redraws everything inside the new size', async () => {
    start('resize', 'NO_COLOR=1', ['tui', '--db', db, '--events'], { x: 120, y: 40 });
    let sc = await waitFor('resize', 'Filter (none');
    expect(Math.max(...sc.split('\n').map((l) => [...l.trimEnd()].length))).toBeGreaterThan(100);
    tmux('resize-window', '-t', 'resize', '-x', '80', '-y', '24');
    await sleep(300);
    sc = await waitFor('resize', /all {2}1 of [\d,]+ matches/);
    const ls = sc.trimEnd().split('\n');
    expect(ls.length).toBeLessThanOrEqual(24);
    for (const l of ls) expect([...l.trimEnd()].length).toBeLessThanOrEqual(80);
    expect(ls[0]).toMatch(/^trailhound {2}case\.db {2}Events +UTC {2}\? help$/);
    expect(ls.filter((l) => l.startsWith('trailhound  case.db')).length).toBe(1);
    keys('resize', 'q', 'q');
    await waitFor('resize', 'EXIT:0');
  });
});
