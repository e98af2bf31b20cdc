// Frame tests of every screen on the bundled sample, at a fixed size (100×30, 80×24), no colour and a fixed clock:
// what is on screen, what each key does, and that the numbers shown are the ones search and investigate give.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { countMatches } from '../../src/index/event-pages.js';
import { searchEventIds } from '../../src/index/search.js';
import { eventRowId } from '../../src/index/bodies.js';
import { investigateAccessKey } from '../../src/scenarios/access-key.js';
import { renderJson } from '../../src/report/json.js';
import { LIVE_DELAY_MS } from '../../src/tui/EventListScreen.js';
import { contextFor, FIXED_NOW, KEYS, renderApp, sampleCase, tick, truth } from './helpers.js';
import { runCli } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import { event, writeLog } from '../helpers/evidence.js';

const KEY = 'AKIAXXXXXXXXXXXXXXXX';
const lines = (frame: string): string[] => frame.split('\n');
/** The frame as one line (messages wrap over several). */
const flat = (frame: string): string => lines(frame).map((l) => l.trim()).join(' ');
/** The verify run's wall-clock time and an investigation's run time are all that change between runs. */
const stable = (frame: string): string => frame.replace(/verified \d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?Z?/, 'verified <time>').replace(/ran in \d+ ms/, 'ran in <n> ms');

describe('TUI screens on the sample', () => {
  let file = '';
  let db: Db;
  beforeAll(() => {
    file = sampleCase({ verify: true });
    db = openCase(file, { readonly: true });
  });
  afterAll(() => db?.close());

  it('overview: case facts, integrity, histogram with a cursor', async () => {
    const app = await renderApp(contextFor(db, file));
    const f = app.frame();
    expect(f).toContain('trailhound  sample.db  Overview');
    expect(f).toContain(`Accounts   ${truth.organization.productionAccount} (`);
    // The shared integrity sentence (info, triage); the verify run's chain findings follow it, past 100 columns.
    expect(f).toMatch(new RegExp(`Integrity {2}verified .* \\(exit 5\\): log files ${truth.counts.logFiles} proven, 0 provisional, 0 unverifi`));
    // The sample spans a year: one column per day (the unit shows in the title and on the axis).
    expect(f).toContain('Activity per day (UTC) · all events · window none');
    expect(f).toMatch(/ 2024-02-16 +1 column = 1 day +2025-02-13\n/);
    expect(f).toContain('▲');
    expect(f).toMatch(/cursor 2025-02-13 00:00:00 → 2025-02-14 00:00:00 {2}[\d,]+ events/);
    expect(stable(f)).toMatchSnapshot();
    app.unmount();
  });

  it('overview: moving along the histogram and Enter set the time window of the event list', async () => {
    const app = await renderApp(contextFor(db, file));
    // u: per hour; $: the last hour.
    await app.press('u', '$');
    expect(app.frame()).toContain('Activity per hour (UTC)');
    await app.press(KEYS.left, KEYS.left, ' ', KEYS.left);
    expect(app.frame()).toMatch(/selection 2025-02-13 20:00:00 → 2025-02-13 22:00:00 {2}\d+ events {3}Space: unmark/);
    await app.press(KEYS.enter);
    const f = app.frame();
    expect(f).toContain('Events');
    expect(lines(f)[1]).toBe('Filter  start-time=2025-02-13T20:00:00Z   end-time=2025-02-13T21:59:59.999Z');
    const n = searchEventIds(db, { startMs: Date.parse('2025-02-13T20:00:00Z'), endMs: Date.parse('2025-02-13T21:59:59.999Z') }).ids.length;
    expect(f).toContain(`1 of ${n.toLocaleString('en-US')} matches`);
    // Back on the overview the window shows under the bars; x clears it.
    await app.press(KEYS.tab);
    expect(app.frame()).toContain('window 2025-02-13 20:00:00 → 2025-02-13 22:00:00');
    expect(app.frame()).toContain('─');
    await app.press('x');
    expect(app.frame()).toContain('window none');
    app.unmount();
  });

  it('event list: newest first, the filter bar applies search filters, shows chips and the match count', async () => {
    const app = await renderApp(contextFor(db, file), { startOn: 'events' });
    let f = app.frame();
    expect(lines(f)[2]).toBe(`all  1 of ${countMatches(db, {}).count.toLocaleString('en-US')} matches`);
    expect(lines(f)[3]).toMatch(/^ {2}Time +Event name +User name +Access key +Source IP +Error$/);
    expect(stable(f)).toMatchSnapshot();
    await app.press('/');
    await app.type(`access-key:${KEY} ev`);
    expect(app.frame()).toContain('keys: event-name event-source event-id   (Tab completes)');
    await app.type('ent-n');
    await app.press(KEYS.tab);
    expect(lines(app.frame())[1]).toBe(`/ access-key:${KEY} event-name:`);
    await app.type('ListUsers,GetCallerIdentity');
    await app.press(KEYS.enter);
    f = app.frame();
    const n = searchEventIds(db, { accessKeys: [KEY], eventNames: ['ListUsers', 'GetCallerIdentity'] }).ids.length;
    expect(n).toBeGreaterThan(0);
    expect(lines(f)[1]).toBe(`Filter  access-key=${KEY}   event-name=ListUsers,GetCallerIdentity`);
    expect(lines(f)[2]).toBe(`all  1 of ${n} match${n === 1 ? '' : 'es'}`);
    for (const l of lines(f).slice(4, 4 + n)) expect(l).toMatch(/(ListUsers|GetCallerIdentity) /);
    expect(lines(f)[3]).not.toContain('Access key');
    // x drops the last filter, X drops them all.
    await app.press('x');
    expect(lines(app.frame())[1]).toBe(`Filter  access-key=${KEY}`);
    await app.press('X');
    expect(lines(app.frame())[1]).toBe('Filter (none: every event; / to filter)');
    app.unmount();
  });

  it('event list: the filter applies live while typing, a bad value is explained and Esc restores', async () => {
    const app = await renderApp(contextFor(db, file), { startOn: 'events' });
    await app.press('/');
    await app.type(KEY);
    await tick(LIVE_DELAY_MS + 100);
    await app.press();
    const f = app.frame();
    expect(lines(f)[1]).toBe(`/ ${KEY}`);
    expect(lines(f)[2]).toContain(`→ access-key=${KEY}`);
    // Every row has that key: its column gives way to the others.
    expect(lines(f)[3]).toMatch(/^ {2}Time +Event name +User name +Source IP +Region +Error +Service$/);
    expect(lines(f)[4]).toMatch(/^> 2025-02-13 /);
    await app.type(' source-ip:10.0.0.0/99');
    await app.press(KEYS.enter);
    expect(lines(app.frame()).slice(2, 4).join(' ')).toBe('--source-ip: "10.0.0.0/99": prefix length 99 is too long for IPv4; give an address, a CIDR block such as 203.0.113.0/24, or a service name');
    await app.press(KEYS.escape);
    expect(lines(app.frame())[1]).toBe('Filter (none: every event; / to filter)');
    expect(lines(app.frame())[2]).toContain(`of ${countMatches(db, {}).count.toLocaleString('en-US')} matches`);
    app.unmount();
  });

  it('event list: paging and the ends', async () => {
    const app = await renderApp(contextFor(db, file), { startOn: 'events' });
    const total = countMatches(db, {}).count;
    await app.press(KEYS.pageDown, KEYS.pageDown, KEYS.down);
    expect(lines(app.frame())[2]).toBe(`all  ${2 * 24 + 2} of ${total.toLocaleString('en-US')} matches`);
    await app.press('G');
    expect(lines(app.frame())[2]).toBe(`all  ${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} matches`);
    expect(app.frame()).toMatch(/> 2024-02-16 16:13:14/);
    await app.press('g');
    expect(lines(app.frame())[2]).toBe(`all  1 of ${total.toLocaleString('en-US')} matches`);
    app.unmount();
  });

  it('detail: original JSON folded, provenance with hashes, trust, jumps; a jump opens a filtered list', async () => {
    const app = await renderApp(contextFor(db, file), { startOn: 'events', initialTerms: [{ key: 'event-id', value: truth.incidents.stolenAccessKey.listUsersEventId }] });
    await app.press(KEYS.enter);
    let f = app.frame();
    expect(lines(f)[1]).toBe(`ListUsers  2025-02-12 23:41:32  ${truth.incidents.stolenAccessKey.listUsersEventId}`);
    expect(f).toContain('trust proven · account 444455556666');
    expect(f).toMatch(/ \[1\] record \d+ {2}sha256 [0-9a-f]{12}… content [0-9a-f]{12}… {2}…_20250212T\d{4}Z_\w+\.json\.gz\n/);
    expect(f).toMatch(/ \[3\] record \d+ {2}sha256 [0-9a-f]{12}… {2}lookup-events-AccessKeyId-AKIAXXXXXXXXXXXXXXXX\.json\n/);
    expect(f).toContain(`1 key ${KEY}`);
    expect(f).toContain('4 ip 198.51.100.77');
    expect(f).toContain('"eventName": "ListUsers",');
    expect(stable(f)).toMatchSnapshot();
    // Full provenance.
    await app.press('p');
    f = app.frame();
    expect(f).toMatch(/ {4}sha256 {2}[0-9a-f]{64}/);
    expect(f).toMatch(/ {4}record {2}\d+ {2}bytes \d+\+\d+/);
    await app.press('p');
    // Fold everything, then unfold the root again.
    await app.press('z');
    expect(app.frame()).toContain('"userIdentity": {…},  6 keys');
    await app.press('Z');
    expect(app.frame()).toContain('"accessKeyId": "AKIAXXXXXXXXXXXXXXXX"');
    // Same source IP.
    await app.press('4');
    f = app.frame();
    expect(f).toContain('Events › Event › Events: ip 198.51.100.77');
    expect(lines(f)[1]).toBe('Filter  source-ip=198.51.100.77');
    const n = searchEventIds(db, { sourceIps: ['198.51.100.77'] }).ids.length;
    expect(lines(f)[2]).toBe(`ip 198.51.100.77  1 of ${n} matches`);
    await app.press('q');
    expect(app.frame()).toContain('"eventName": "ListUsers",');
    // Same request: the cross-account AssumeRole copies share a request ID.
    app.unmount();
  });

  it('detail: same request lists both copies of a cross-account call', async () => {
    const x = truth.incidents.stolenAccessKey.crossAccount;
    const app = await renderApp(contextFor(db, file), { startOn: 'events', initialTerms: [{ key: 'event-id', value: x.callerCopyEventId }] });
    await app.press(KEYS.enter, '5');
    const f = app.frame();
    expect(lines(f)[1]).toBe(`Filter  request-id=${x.requestId}`);
    expect(lines(f)[2]).toMatch(/ of 2 matches$/);
    app.unmount();
  });

  it('investigations from an event: access key with its lineage tree, sections, opening a cited event, export', async () => {
    const ctx = contextFor(db, file);
    const app = await renderApp(ctx, { startOn: 'events', initialTerms: [{ key: 'event-id', value: truth.incidents.stolenAccessKey.listUsersEventId }] });
    await app.press(KEYS.enter, 'i');
    let f = app.frame();
    expect(f).toContain(`> 1  access-key      [${KEY}] Access key: owner, credential lineage`);
    expect(f).toContain(`Access key ID: ${KEY}`);
    expect(stable(f)).toMatchSnapshot();
    await app.press(KEYS.enter);
    await tick(100);
    await app.press();
    f = app.frame();
    expect(f).toContain(`Access key ${KEY}`);
    expect(f).toContain('── Credential lineage (tree)');
    expect(f).toContain(`${KEY} (long-term)  owner ${truth.incidents.stolenAccessKey.userArn}`);
    expect(f).toMatch(new RegExp(`[├└]─ ${truth.incidents.stolenAccessKey.sessionTokenAccessKeyId}  GetSessionToken`));
    expect(f).toMatch(new RegExp(`[├└]─ ${truth.incidents.stolenAccessKey.backdoorAccessKeyId}  CreateAccessKey for user ${truth.incidents.stolenAccessKey.backdoorUser}`));
    expect(stable(f)).toMatchSnapshot();
    // Tab walks the sections; Enter on a cited event opens it.
    await app.press(KEYS.tab, KEYS.tab, KEYS.tab);
    expect(lines(app.frame())[1]).toBe('> ── Credential lineage (4)');
    // From the end, N goes to the event table; its rows open their event.
    await app.press('G', 'N');
    expect(lines(app.frame())[1]).toMatch(/^> ── Events \(oldest first; \* = in the suspect window\) \(\d+\)$/);
    await app.press(KEYS.down, KEYS.down, KEYS.down);
    expect(lines(app.frame())[4]).toMatch(/^>·/);
    await app.press(KEYS.enter);
    expect(app.frame()).toMatch(/Investigations › access-key AKIAXXXXXXXXXXXXXXXX › Event/);
    await app.press('q');
    // Export to JSON in the current folder: exactly what investigate --format json prints.
    await app.press('e');
    expect(app.frame()).toContain(`Export to: trailhound-access-key-${KEY}.json`);
    await app.press(KEYS.enter);
    const out = path.join(ctx.cwd, `trailhound-access-key-${KEY}.json`);
    expect(flat(app.frame())).toContain(`exported JSON to ${out}`);
    const expected = renderJson(investigateAccessKey(db, KEY, { tz: 'UTC', filter: {}, now: FIXED_NOW }));
    expect(fs.readFileSync(out, 'utf8')).toBe(expected);
    // Markdown (Tab switches the extension); an existing file is refused; the evidence folder is refused.
    await app.press('e', KEYS.tab, KEYS.enter);
    expect(fs.readFileSync(path.join(ctx.cwd, `trailhound-access-key-${KEY}.md`), 'utf8')).toMatch(/^# Access key AKIAXXXXXXXXXXXXXXXX\n/);
    await app.press('e', KEYS.enter);
    expect(flat(app.frame())).toContain(`${out} already exists; choose another name`);
    await app.press(KEYS.escape);
    const evidence = (db.prepare('SELECT root FROM sources LIMIT 1').pluck().get() as string) + '/x.json';
    await app.press('e');
    await app.press(...Array.from({ length: 60 }, () => KEYS.backspace));
    await app.type(evidence);
    await app.press(KEYS.enter);
    expect(flat(app.frame())).toMatch(/is inside the evidence folder .*; evidence is read-only: choose another place/);
    expect(fs.existsSync(evidence)).toBe(false);
    app.unmount();
  });

  it('investigations menu: every investigation runs and renders', async () => {
    const app = await renderApp(contextFor(db, file));
    await app.press('i');
    for (const [n, param, title] of [
      ['2', 'i-1234567890abcdef0', 'Instance i-1234567890abcdef0'],
      ['3', '', 'Security groups'],
      ['4', '', 'IAM changes'],
      ['5', null, 'Console sign-ins'],
    ] as Array<[string, string | null, string]>) {
      await app.press(n);
      if (param !== null) {
        await app.type(param);
        await app.press(KEYS.enter);
      }
      await tick(100);
      await app.press();
      expect(lines(app.frame())[1]).toBe(`> ${title}`);
      await app.press('q');
    }
    // A malformed ID is explained in the prompt.
    await app.press('2');
    await app.type('not-an-instance');
    await app.press(KEYS.enter);
    await tick(50);
    await app.press();
    expect(app.frame()).toMatch(/instance ID "not-an-instance" is malformed/);
    app.unmount();
  });

  it('help: ? shows the keys of the screen, any key closes it', async () => {
    const app = await renderApp(contextFor(db, file), { startOn: 'events' });
    await app.press('?');
    const f = app.frame();
    expect(f).toContain('Help: Event list');
    expect(f).toContain('/           edit the filter (live)');
    expect(stable(f)).toMatchSnapshot();
    await app.press('x');
    expect(app.frame()).not.toContain('Help:');
    app.unmount();
  });

  it('80×24: every line fits, every screen; a resize redraws at the new size', async () => {
    const app = await renderApp(contextFor(db, file), { initialTerms: [{ key: 'access-key', value: KEY }] }, { columns: 80, rows: 24 });
    const check = (): void => {
      const ls = lines(app.frame());
      expect(ls.length).toBeLessThanOrEqual(23);
      for (const l of ls) expect([...l].length, l).toBeLessThanOrEqual(80);
    };
    check();
    await app.press(KEYS.tab);
    check();
    await app.press(KEYS.enter);
    check();
    await app.press('i', KEYS.enter);
    await tick(100);
    await app.press();
    check();
    await app.resize({ columns: 140, rows: 40 });
    const wide = lines(app.frame());
    expect(wide.length).toBe(39);
    expect(Math.max(...wide.map((l) => [...l].length))).toBeGreaterThan(100);
    app.unmount();
  });

  it('keys typed faster than the screens change are not lost', async () => {
    const app = await renderApp(contextFor(db, file));
    // No waiting between keys: each goes to the screen the previous one opened.
    await app.burst([KEYS.tab, '/', ...`access-key:${KEY}`, KEYS.enter, KEYS.enter, '4']);
    const f = app.frame();
    expect(lines(f)[1]).toBe('Filter  source-ip=203.0.113.10');
    expect(f).toContain('Events › Event › Events: ip 203.0.113.10');
    app.unmount();
  });

  it('q and Esc go back one screen; q on the overview quits', async () => {
    const app = await renderApp(contextFor(db, file), { startOn: 'events' });
    await app.press(KEYS.enter, 'i');
    expect(app.frame()).toContain('Events › Event › Investigations');
    // The menu opened on the access-key prompt: Esc goes to the menu, then back to the event.
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('Events › Event › Investigations');
    expect(app.frame()).not.toContain('Access key ID:');
    await app.press(KEYS.escape);
    expect(app.frame()).toContain('Events › Event ');
    await app.press('q');
    expect(app.frame()).toContain('trailhound  sample.db  Events ');
    await app.press('q');
    expect(app.frame()).toContain('trailhound  sample.db  Overview');
    app.unmount();
  });
});

describe('attacker-controlled text is neutralised on every screen', () => {
  it('control and escape sequences in an event are shown escaped', async () => {
    const dir = tmpDir('trailhound-tui-evil-');
    const evidence = path.join(dir, 'evidence');
    const evil = '\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eevil';
    writeLog(evidence, [event({ eventName: 'DescribeInstances', userAgent: evil, userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/x${evil}`, accountId: '111122223333', accessKeyId: 'AKIAEVIL000000000001', userName: `x${evil}` } })]);
    const file = path.join(dir, 'case.db');
    expect(runCli(['ingest', evidence, '--db', file, '--quiet']).code).toBe(0);
    const db = openCase(file, { readonly: true });
    try {
      const app = await renderApp(contextFor(db, file), { startOn: 'events' });
      const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;
      expect(app.frame()).not.toMatch(raw);
      expect(app.frame()).toContain('x\\e]0;own…');
      await app.press(KEYS.enter);
      expect(app.frame()).not.toMatch(raw);
      expect(app.frame()).toContain('\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u202eevil');
      await app.press('2');
      expect(app.frame()).not.toMatch(raw);
      expect(app.frame()).toContain('principal-arn=arn:aws:iam::111122223333:user/x\\e]0;owned');
      void eventRowId;
      app.unmount();
    } finally {
      db.close();
    }
  });
});
