// Frame tests at 80×24 (no colour, fixed clock) of the TUI fixes of issue 14 item 7: findings open their events and
// show their whole detail, the help scrolls to its end, a column the filter makes constant gives way, sideways
// scrolling is per section, the named queries of scenarios/*.yaml run from the menu, and the histogram's unit follows
// the span of the events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { searchEventIds } from '../../src/index/search.js';
import { investigateAccessKey } from '../../src/scenarios/access-key.js';
import { loadBuiltinScenarios } from '../../src/scenarios/builtin.js';
import { bindParameters, getScenario, runSqlScenario, type SqlScenario } from '../../src/scenarios/registry.js';
import { escapeControl } from '../../src/model/escape.js';
import { HELP, helpLines, helpLineText, type HelpTopic } from '../../src/tui/HelpScreen.js';
import { constantColumns, headerLine, layoutColumns } from '../../src/tui/columns.js';
import { unitForSpan, unitsForSpan, axisLine, bucketLabel } from '../../src/tui/histogram.js';
import { wrapText } from '../../src/tui/wrap.js';
import { contextFor, FIXED_NOW, KEYS, renderApp, sampleCase, tick, truth, type Rendered } from './helpers.js';

const KEY = 'AKIAXXXXXXXXXXXXXXXX';
const SIZE = { columns: 80, rows: 24 };
const lines = (frame: string): string[] => frame.split('\n');

function fits(frame: string): void {
  const ls = lines(frame);
  expect(ls.length).toBeLessThanOrEqual(23);
  for (const l of ls) expect([...l].length, l).toBeLessThanOrEqual(80);
}

/** Run the access-key investigation on KEY from an event of it (80×24). */
async function accessKeyResult(db: Db, file: string): Promise<Rendered> {
  const app = await renderApp(contextFor(db, file), { startOn: 'events', initialTerms: [{ key: 'event-id', value: truth.incidents.stolenAccessKey.listUsersEventId }] }, SIZE);
  await app.press(KEYS.enter, 'i', KEYS.enter);
  await tick(100);
  await app.press();
  expect(app.frame()).toContain(`Access key ${KEY}`);
  return app;
}

/** Tab until the cursor's line (the first of the pane) is the section `title`. */
async function toSection(app: Rendered, title: RegExp): Promise<void> {
  await app.press('g');
  for (let i = 0; i < 20 && !title.test(lines(app.frame())[1]); i++) await app.press(KEYS.tab);
  expect(lines(app.frame())[1]).toMatch(title);
}

describe('pure parts', () => {
  it('wrapText keeps every character but the breaking spaces, and cuts words longer than a line', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('x 0123456789abc', 6)).toEqual(['x 0123', '456789', 'abc']);
    for (const l of wrapText('arn:aws:iam::111122223333:role/a-very-long-role-name-that-goes-on and on', 20)) expect(l.length).toBeLessThanOrEqual(20);
  });

  it('a column the filter makes constant goes last: at 80 columns Source IP and Error stay', () => {
    expect(constantColumns([{ key: 'access-key', value: KEY }])).toEqual(['accessKey']);
    expect(constantColumns([{ key: 'access-key', value: `${KEY},AKIAYYYYYYYYYYYYYYYY` }])).toEqual([]);
    expect(constantColumns([{ key: 'source-ip', value: '10.0.0.0/8' }, { key: 'region', value: 'us-east-1' }])).toEqual(['region']);
    expect(headerLine(layoutColumns(80, { trust: false, tz: 'UTC', constant: ['accessKey'] }))).toMatch(/^ {2}Time +Event name +User name +Source IP +Error$/);
    expect(headerLine(layoutColumns(80, { trust: false, tz: 'UTC' }))).toMatch(/^ {2}Time +Event name +User name +Access key$/);
    // Wide enough, the constant column still shows, last.
    expect(headerLine(layoutColumns(200, { trust: false, tz: 'UTC', constant: ['accessKey'] }))).toMatch(/Account +Access key$/);
  });

  it('histogram unit from the span: ≤ 6 h per minute, ≤ 14 days per hour, else per day', () => {
    const H = 3_600_000;
    expect(unitForSpan(14 * 60_000)).toBe('minute');
    expect(unitForSpan(6 * H)).toBe('minute');
    expect(unitForSpan(6 * H + 60_000)).toBe('hour');
    expect(unitForSpan(14 * 24 * H)).toBe('hour');
    expect(unitForSpan(14 * 24 * H + H)).toBe('day');
    expect(unitForSpan(null)).toBe('hour');
    expect(unitsForSpan(3 * 24 * H)).toEqual(['hour', 'day']);
    expect(unitsForSpan(H)).toEqual(['minute', 'hour', 'day']);
    expect(bucketLabel(Date.UTC(2025, 1, 12, 23, 41), 'minute')).toBe('2025-02-12 23:41');
    expect(axisLine('2025-02-12 23:41', '2025-02-12 23:55', 'minute', 78)).toMatch(/^2025-02-12 23:41 +1 column = 1 minute +2025-02-12 23:55$/);
  });
});

describe('issue 14 item 7, at 80×24', () => {
  let file = '';
  let db: Db;
  beforeAll(() => {
    file = sampleCase({ verify: true });
    db = openCase(file, { readonly: true });
  });
  afterAll(() => db?.close());

  it('1. Enter on a finding opens its event, or the list of its events', async () => {
    const report = investigateAccessKey(db, KEY, { tz: 'UTC', filter: {}, now: FIXED_NOW });
    const many = report.findings.find((f) => f.eventIds.length > 1)!;
    const one = report.findings.find((f) => f.eventIds.length === 1)!;
    expect(many && one).toBeTruthy();
    const app = await accessKeyResult(db, file);
    await toSection(app, /^> ── Findings \(\d+\)$/);
    // Move to the finding's head line.
    const head = (type: string): RegExp => new RegExp(`^>·\\w+ {2}${type} {2}\\(`);
    const goTo = async (type: string): Promise<void> => {
      for (let i = 0; i < 60 && !head(type).test(lines(app.frame()).find((l) => l.startsWith('>')) ?? ''); i++) await app.press(KEYS.down);
    };
    await goTo(many.type);
    expect(app.frame()).toMatch(new RegExp(`>·\\w+ {2}${many.type} {2}\\(${many.eventIds.length} events\\)`));
    fits(app.frame());
    await app.press(KEYS.enter);
    let f = app.frame();
    expect(lines(f)[1]).toMatch(/^Filter {2}event-id=/);
    expect(lines(f)[2]).toBe(`finding ${many.type} (${many.eventIds.length} events)  1 of ${many.eventIds.length} matches`);
    expect(searchEventIds(db, { eventIds: many.eventIds }).ids.length).toBe(many.eventIds.length);
    fits(f);
    // q comes back to the result where it was left.
    await app.press('q');
    expect(lines(app.frame()).find((l) => l.startsWith('>'))).toMatch(head(many.type));
    // A finding that cites one event opens that event; so does Enter on its wrapped detail lines.
    await toSection(app, /^> ── Findings \(\d+\)$/);
    await goTo(one.type);
    await app.press(KEYS.down, KEYS.enter);
    f = app.frame();
    expect(f).toMatch(/› Event +UTC/);
    expect(f).toContain(one.eventIds[0]);
    app.unmount();
  });

  it('2. a finding\'s detail wraps: its whole text is on screen at 80×24', async () => {
    const report = investigateAccessKey(db, KEY, { tz: 'UTC', filter: {}, now: FIXED_NOW });
    const app = await accessKeyResult(db, file);
    await toSection(app, /^> ── Findings \(\d+\)$/);
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      fits(app.frame());
      seen.push(...lines(app.frame()).slice(1, 20));
      await app.press(KEYS.down);
    }
    // The detail lines of the findings, in order, without the cursor marks and indent: each message whole.
    const text = [...new Set(seen)].map((l) => l.slice(2).trim()).join(' ');
    for (const f of report.findings) {
      expect(f.message.length).toBeGreaterThan(0);
      expect(text).toContain(escapeControl(f.message));
    }
    app.unmount();
  });

  it('3. the help scrolls: every line of it is reachable at 80×24, for every screen', async () => {
    const app = await renderApp(contextFor(db, file), {}, SIZE);
    const visit = async (topic: HelpTopic): Promise<void> => {
      await app.press('?');
      expect(app.frame()).toContain(`Help: ${HELP[topic].title}`);
      const seen = new Set<string>();
      for (let i = 0; i < 30; i++) {
        fits(app.frame());
        for (const l of lines(app.frame()).slice(1)) seen.add(l.trimEnd());
        if (/lines \d+–(\d+) of \1 /.test(app.frame()) || app.frame().includes('any key closes\n') || app.frame().endsWith('any key closes')) break;
        await app.press(i % 2 ? KEYS.pageDown : 'j');
      }
      const want = helpLines(topic, 80).map(helpLineText);
      for (const l of want) expect(seen.has(l.trimEnd()), `${topic}: ${l}`).toBe(true);
      // Every word of every description is in the wrapped text.
      const words = want.join(' ').split(/\s+/);
      for (const [, d] of HELP[topic].keys) for (const w of d.split(/\s+/).filter(Boolean)) expect(words, `${topic}: ${w}`).toContain(w);
      await app.press('q');
      expect(app.frame()).not.toContain('Help:');
    };
    await visit('overview');
    await app.press('t');
    await visit('triage');
    await app.press('o');
    await app.press(KEYS.tab);
    // The event list's help (with the filter syntax) is taller than the screen: it scrolls, g goes back to the top.
    await app.press('?');
    expect(app.frame()).toMatch(/lines 1–21 of \d+ · ↑↓ j k PgUp PgDn g G scroll · any other key closes/);
    expect(app.frame()).not.toContain('A bare value whose kind');
    await app.press('G');
    expect(app.frame()).toContain('Attacker-controlled text is shown');
    await app.press('g');
    expect(lines(app.frame())[1]).toBe('Help: Event list');
    await app.press('x');
    await visit('events');
    await app.press(KEYS.enter);
    await visit('detail');
    await app.press('i', KEYS.escape);
    await visit('investigate');
    await app.press('5');
    await tick(100);
    await app.press();
    await visit('result');
    app.unmount();
  });

  it('4. filtered by an access key, the list drops the constant key column and keeps Source IP and Error', async () => {
    const app = await renderApp(contextFor(db, file), { startOn: 'events', initialTerms: [{ key: 'access-key', value: KEY }] }, SIZE);
    const f = app.frame();
    fits(f);
    expect(lines(f)[1]).toBe(`Filter  access-key=${KEY}`);
    expect(lines(f)[3]).toMatch(/^ {2}Time +Event name +User name +Source IP +Error$/);
    expect(f).toMatch(/\n> 2025-02-13 \d\d:\d\d:\d\d \S+ +m\.keller +203\.0\.113\.10\n/);
    // Without the filter the key is back.
    await app.press('X');
    expect(lines(app.frame())[3]).toMatch(/^ {2}Time +Event name +User name +Access key$/);
    app.unmount();
  });

  it('5. sideways scrolling is per section: the other sections and the facts stay at their left edge', async () => {
    const app = await accessKeyResult(db, file);
    const topFrame = lines(app.frame());
    await app.press('G', 'N');
    expect(lines(app.frame())[1]).toMatch(/^> ── Events \(oldest first/);
    await app.press(KEYS.down, KEYS.down, KEYS.right, KEYS.right);
    expect(app.frame()).toContain('from column 21');
    const row = lines(app.frame()).find((l) => l.startsWith('>'))!;
    expect(row).not.toMatch(/^>·\s*\d{4}-/);
    // Back at the top: the facts are where they were.
    await app.press('g');
    const back = lines(app.frame());
    expect(back.slice(2, 12)).toEqual(topFrame.slice(2, 12));
    expect(app.frame()).not.toContain('from column');
    // Another wide section starts at its left edge; going back to Events finds it where it was left.
    await toSection(app, /^> ── Credential lineage \(\d+\)$/);
    expect(app.frame()).not.toContain('from column');
    await toSection(app, /^> ── Events \(oldest first/);
    await app.press(KEYS.down);
    expect(app.frame()).toContain('from column 21');
    app.unmount();
  });

  it('6. the named queries of scenarios/*.yaml are in the menu and run with their parameters', async () => {
    const queries = loadBuiltinScenarios().filter((s): s is SqlScenario => s.kind === 'sql');
    expect(queries.length).toBeGreaterThan(0);
    const app = await renderApp(contextFor(db, file), { startOn: 'events', initialTerms: [{ key: 'event-id', value: truth.incidents.stolenAccessKey.listUsersEventId }] }, SIZE);
    await app.press(KEYS.enter, 'i', KEYS.escape);
    let f = app.frame();
    fits(f);
    expect(f).toContain('Named queries (scenarios/*.yaml');
    for (const q of queries) expect(f).toContain(` ${q.id} `);
    // access-key.events: the key comes from the event; Enter walks the fields, and runs on the last.
    const idx = queries.findIndex((q) => q.id === 'access-key.events') + 6;
    for (let i = 1; i < idx; i++) await app.press(KEYS.down);
    await app.press(KEYS.enter);
    f = app.frame();
    expect(f).toContain(`> accessKeyId: ${KEY}`);
    expect(f).toContain('\n  start:\n');
    expect(f).toContain('\n  end:\n');
    expect(f).toContain('The access key ID (AKIA... long-term, ASIA... temporary) (string, required)');
    // A bad time is explained; Tab goes back to it.
    await app.press(KEYS.enter);
    await app.type('not a time');
    await app.press(KEYS.enter, KEYS.enter);
    await tick(100);
    await app.press();
    // The error is explained and the cursor goes to the field at fault.
    expect(app.frame()).toMatch(/parameter start of access-key\.events: "not a time"/);
    expect(app.frame()).toContain('> start: not a time');
    await app.press(...Array.from({ length: 12 }, () => KEYS.backspace));
    await app.type('2025-02-12');
    await app.press(KEYS.enter, KEYS.enter);
    await tick(100);
    await app.press();
    f = app.frame();
    fits(f);
    const s = getScenario('access-key.events') as SqlScenario;
    const expected = runSqlScenario(db, s, bindParameters(s, { accessKeyId: KEY, start: '2025-02-12' }, { tz: 'UTC' }));
    expect(f).toContain('Events signed with an access key');
    expect(f).toContain('start        2025-02-12T00:00:00Z');
    expect(lines(f)[0]).toMatch(/› access-key\.events +UTC/);
    expect(f).toContain(`── ${expected.rows.length} rows (${expected.rows.length})`);
    // Its rows cite events: Enter opens one.
    await app.press('G');
    await app.press(KEYS.enter);
    expect(lines(app.frame())[1]).toMatch(new RegExp(`  ${String(expected.rows[expected.rows.length - 1].eventId)}$`));
    // Back to the menu (the menu opened from an event comes back on its access-key prompt: Esc).
    await app.press('q', 'q', KEYS.escape);
    // A query with no required parameter runs with its defaults.
    const denied = queries.findIndex((q) => q.id === 'errors.access-denied');
    for (let i = 0; i < denied + 5; i++) await app.press(KEYS.down);
    await app.press(KEYS.enter);
    expect(app.frame()).toContain('minCount: 1');
    await app.press(KEYS.enter, KEYS.enter, KEYS.enter);
    await tick(100);
    await app.press();
    expect(app.frame()).toContain('Investigations › errors.access-denied');
    app.unmount();
  });

  it('7. the histogram unit follows the span: per day for the sample, per minute for a 14-minute filter; u cycles', async () => {
    let app = await renderApp(contextFor(db, file), {}, SIZE);
    let f = app.frame();
    fits(f);
    expect(f).toContain('Activity per day (UTC)');
    expect(f).toMatch(/\n 2024-02-16 +1 column = 1 day +2025-02-13\n/);
    await app.press('u');
    expect(app.frame()).toContain('Activity per hour (UTC)');
    expect(app.frame()).toContain('1 column = 1 hour');
    await app.press('u');
    expect(app.frame()).toContain('Activity per day (UTC)');
    app.unmount();
    // The attacker's IP: 14 minutes of activity.
    app = await renderApp(contextFor(db, file), { initialTerms: [{ key: 'source-ip', value: '198.51.100.77' }] }, SIZE);
    f = app.frame();
    fits(f);
    expect(f).toContain('Activity per minute (UTC) · source-ip=198.51.100.77');
    expect(f).toMatch(/\n 2025-02-12 23:41 +1 column = 1 minute +2025-02-12 23:55\n/);
    expect(f).toMatch(/cursor 2025-02-12 23:55:00 → 2025-02-12 23:56:00 {2}\d+ events?/);
    // Enter on the minute: the list's window is that minute.
    await app.press(KEYS.enter);
    expect(lines(app.frame())[1]).toMatch(/^Filter {2}source-ip=198\.51\.100\.77 {3}start-time=2025-02-12T23:55:00Z {3}end-time=20/);
    expect(lines(app.frame())[2]).toMatch(/^all {2}1 of \d+ match/);
    await app.press(KEYS.tab, 'u');
    expect(app.frame()).toContain('Activity per hour (UTC)');
    app.unmount();
  });
});
