// The triage screen: the first screen of a case with stored findings (the sample after `trailhound detect`), the
// findings detect reports (titles from `detect --format json`, not written here), Enter on a finding opens exactly
// its events, the picker's access key starts `investigate access-key` filled in, its principals and addresses open
// their events with the "new" marks of the stack counts; a case without findings opens on the overview, whose
// integrity line says when there is nothing to verify; hostile text in a finding stays escaped.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { searchEventIds } from '../../src/index/search.js';
import { fetchEventRows } from '../../src/index/event-rows.js';
import { countMatches } from '../../src/index/event-pages.js';
import { listTime } from '../../src/tui/columns.js';
import { contextFor, KEYS, renderApp, truth, type Rendered } from './helpers.js';
import { copyCase, sharedCase } from '../helpers/cases.js';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import { event, writeLog } from '../helpers/evidence.js';
import { findRawControl } from '../helpers/raw-control.js';

interface JsonFinding {
  title: string;
  level: string;
  eventCount: number;
  firstTime: string;
  ruleId: string;
  eventIds: string[];
}

const lines = (frame: string): string[] => frame.split('\n');
/** The selected row of a list (marked `>`). */
const selected = (frame: string): string => lines(frame).find((l) => l.startsWith('> ')) ?? '';
const SIZE = { columns: 160, rows: 40 };

/** Press ↓ until the selected row satisfies `ok` (at most `max` times); returns the frame. */
async function selectRow(app: Rendered, ok: (row: string) => boolean, max = 400): Promise<string> {
  for (let i = 0; i < max; i++) {
    if (ok(selected(app.frame()))) return app.frame();
    await app.burst([KEYS.down]);
  }
  throw new Error(`no row matched; the screen shows:\n${app.frame()}`);
}

describe('triage screen on the sample after detect', () => {
  let file = '';
  let db: Db;
  let findings: JsonFinding[] = [];
  beforeAll(async () => {
    file = copyCase('sample');
    const r = await runCliInProcess(['detect', '--db', file, '--format', 'json']);
    expect(r.code).toBe(0);
    findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.length).toBeGreaterThan(10);
    db = openCase(file, { readonly: true });
  }, 120_000);
  afterAll(() => db?.close());

  it('is the first screen: evidence, integrity, the StopLogging blind spot, every finding detect reports', async () => {
    const app = await renderApp(contextFor(db, file), {}, SIZE);
    const f = app.frame();
    expect(f).toContain('trailhound  sample.db  Triage');
    expect(f).toContain(`Case         sample.db — ${truth.counts.events.toLocaleString('en-US')} events · 2 accounts`);
    // The sample has digests but this case was never verified.
    expect(f).toContain('Integrity    not verified (run: trailhound verify --db sample.db)');
    // The integrity line says it is not verified; the blind spots start with the logging stopped for a year.
    expect(f).toContain(`\nBlind spots  StopLogging on trail acme-org-trail by arn:aws:sts::111122223333:`);
    expect(f).toContain(` Findings ${findings.length} `);
    const high = findings.filter((x) => x.level === 'high').length;
    expect(f).toContain(`${high} high · `);
    // Scroll through the whole list: each finding's title (cut to its column) and time, as many times as detect has it.
    const seen: string[] = [];
    const rowRe = /^[> ] (\w+) +(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.*)$/;
    for (let page = 0; page < 20; page++) {
      for (const l of lines(app.frame())) {
        const m = rowRe.exec(l);
        if (m && !seen.includes(l.slice(2))) seen.push(l.slice(2));
      }
      if (seen.length >= findings.length) break;
      await app.press(KEYS.pageDown);
    }
    expect(seen).toHaveLength(findings.length);
    for (const x of findings) {
      const prefix = x.title.slice(0, 40);
      const shown = seen.filter((l) => l.includes(prefix) && l.includes(listTime(Date.parse(x.firstTime), 'UTC')));
      expect(shown.length, x.title).toBeGreaterThan(0);
    }
    app.unmount();
  });

  it('Enter on a finding opens the event list of exactly its events', async () => {
    const target = findings.find((x) => x.level === 'high' && x.eventCount >= 3 && x.eventCount <= 10)!;
    expect(target).toBeDefined();
    const app = await renderApp(contextFor(db, file), {}, SIZE);
    const when = listTime(Date.parse(target.firstTime), 'UTC');
    await selectRow(app, (row) => row.includes(target.title.slice(0, 40)) && row.includes(when));
    await app.press(KEYS.enter);
    const f = app.frame();
    expect(lines(f)[0]).toContain(`Events: finding ${target.title.slice(0, 30)}`);
    expect(lines(f)[1]).toContain(`event-id=${target.eventIds[0]},`);
    expect(f).toContain(`1 of ${target.eventCount} matches`);
    const ids = target.eventIds;
    // The rows shown are those events: time and event name of each.
    const rows = fetchEventRows(db, searchEventIds(db, { eventIds: ids }).ids);
    for (const r of rows) expect(f).toMatch(new RegExp(`${listTime(r.eventTime, 'UTC')} ${r.eventName}`));
    // Opening one shows an event whose eventID is one of the finding's.
    await app.press(KEYS.enter);
    const id = /"eventID": "([^"]+)"/.exec(app.frame())?.[1];
    expect(ids).toContain(id);
    // q twice: back to the triage, where the selection was left.
    await app.press('q', 'q');
    expect(selected(app.frame())).toContain(target.title.slice(0, 40));
    expect(app.frame()).toContain('trailhound  sample.db  Triage');
    app.unmount();
  });

  it('the access-key picker starts investigate access-key with the key filled in', async () => {
    const key = truth.incidents.stolenAccessKey.accessKeyId as string;
    const app = await renderApp(contextFor(db, file), {}, SIZE);
    await app.press(KEYS.tab, KEYS.tab);
    expect(app.frame()).toMatch(/ Access keys \d+ /);
    expect(app.frame()).toContain('new: first seen after the baseline');
    await selectRow(app, (row) => row.includes(key));
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('Triage › Investigations');
    expect(app.frame()).toContain(`Access key ID: ${key}`);
    await app.press(KEYS.enter);
    expect(lines(app.frame())[0]).toContain(`access-key ${key}`);
    app.unmount();
  });

  it('source IPs: the attacker address is marked new and Enter opens its events', async () => {
    const ip = truth.incidents.stolenAccessKey.attackerIps[0] as string;
    const app = await renderApp(contextFor(db, file), {}, SIZE);
    await app.press(KEYS.tab, KEYS.tab, KEYS.tab);
    expect(app.frame()).toMatch(/ Source IPs \d+ /);
    const f = await selectRow(app, (row) => row.includes(` ${ip} `));
    expect(selected(f)).toMatch(new RegExp(`^> new ${ip.replace(/\./g, '\\.')} `));
    await app.press(KEYS.enter);
    expect(lines(app.frame())[1]).toBe(`Filter  source-ip=${ip}`);
    const n = countMatches(db, { sourceIps: [ip] }).count;
    expect(app.frame()).toContain(`1 of ${n.toLocaleString('en-US')} match`);
    app.unmount();
  });

  it('80×24: every line fits, in every tab', async () => {
    const app = await renderApp(contextFor(db, file), {}, { columns: 80, rows: 24 });
    for (let tab = 0; tab < 4; tab++) {
      const ls = lines(app.frame());
      expect(ls.length).toBeLessThanOrEqual(23);
      for (const l of ls) expect([...l].length, l).toBeLessThanOrEqual(80);
      expect(ls.filter((l) => l.startsWith('> ')), app.frame()).toHaveLength(1);
      await app.press(KEYS.tab);
    }
    app.unmount();
  });

  it('o and t switch between the triage and the overview; Tab from the events comes back to the last one', async () => {
    const app = await renderApp(contextFor(db, file), {}, SIZE);
    await app.press('o');
    expect(app.frame()).toContain('trailhound  sample.db  Overview');
    await app.press('t');
    expect(app.frame()).toContain('trailhound  sample.db  Triage');
    await app.press('e');
    expect(app.frame()).toContain('trailhound  sample.db  Events');
    expect(app.frame()).toContain('Tab triage');
    await app.press(KEYS.tab);
    expect(app.frame()).toContain('trailhound  sample.db  Triage');
    await app.press('?');
    expect(app.frame()).toContain('Help: Triage');
    app.unmount();
  });
});

describe('a case without findings', () => {
  it('opens on the overview; t shows the triage, which says how to get findings', async () => {
    const file = sharedCase('sample');
    const db = openCase(file, { readonly: true });
    try {
      const app = await renderApp(contextFor(db, file), {}, SIZE);
      expect(app.frame()).toContain('trailhound  sample.db  Overview');
      await app.press('t');
      expect(app.frame()).toContain('No stored findings: run trailhound detect --db sample.db');
      expect(app.frame()).toContain('StopLogging on trail acme-org-trail');
      app.unmount();
    } finally {
      db.close();
    }
  });
});

describe('hostile text in a finding', () => {
  it('stays escaped on the triage screen, in every list; the overview says there are no digests', async () => {
    const dir = tmpDir('trailhound-tui-triage-evil-');
    const evidence = path.join(dir, 'evidence');
    const evil = '\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eevil';
    const identity = { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/x${evil}`, accountId: '111122223333', accessKeyId: 'AKIAEVIL000000000001', userName: `x${evil}` };
    writeLog(evidence, [
      event({ eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', sourceIPAddress: `203.0.113.9${evil}`, userIdentity: identity, requestParameters: { name: `trail${evil}` } }),
    ]);
    const file = path.join(dir, 'case.db');
    expect(runCli(['ingest', evidence, '--db', file, '--quiet']).code).toBe(0);
    const detect = runCli(['detect', '--db', file]);
    expect(detect.code, detect.stderr).toBe(0);
    const db = openCase(file, { readonly: true });
    try {
      const app = await renderApp(contextFor(db, file), {}, SIZE);
      const frames = [app.frame()];
      expect(app.frame()).toContain('trailhound  case.db  Triage');
      expect(app.frame()).toContain('Integrity    not verified: no digest files in the evidence');
      expect(app.frame()).toContain('CloudTrail trail stopped or deleted');
      expect(app.frame()).toContain('user/x\\e]0;owned');
      for (let i = 0; i < 3; i++) {
        await app.press(KEYS.tab);
        frames.push(app.frame());
      }
      expect(frames[1]).toContain('user/x\\e]0;owned');
      expect(frames[3]).toContain('203.0.113.9\\e]0;owned');
      await app.press(KEYS.tab, 'o');
      frames.push(app.frame());
      expect(app.frame()).toContain('Integrity  not verified: no digest files in the evidence');
      for (const f of frames) expect(findRawControl(f)).toBeNull();
      app.unmount();
    } finally {
      db.close();
    }
  }, 60_000);
});
