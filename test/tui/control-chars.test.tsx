// The TUI on a hostile case: event fields holding terminal escapes, a C1 CSI and bidi controls are drawn escaped on
// every screen (Ink would pass raw ESC through to the terminal), and an event stored at the end of the Date range
// (+275760-09-13) renders in any zone (was: fatal: Invalid time value).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { setStoredEventTime } from '../helpers/older-case.js';
import { runCli } from '../helpers/cli.js';
import { event, writeLog } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';
import { findRawControl } from '../helpers/raw-control.js';
import { contextFor, KEYS, renderApp, tick } from './helpers.js';

const H = 'x\u001b]0;pwned\u0007\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b31m\u202e\u2066y';
const KEY = 'AKIAEXAMPLEHOSTILE02';
const FAR = '+275760-09-13T00:00:00Z';

let file = '';
let db: Db;

beforeAll(() => {
  const dir = tmpDir('trailhound-tui-ctl-');
  const identity = { type: 'IAMUser', principalId: 'AIDAHOSTILE', arn: `arn:aws:iam::111122223333:user/mallory${H}`, accountId: '111122223333', accessKeyId: KEY, userName: `mallory${H}` };
  writeLog(path.join(dir, 'ev'), [
    event({
      eventID: 'evt-hostile',
      eventTime: '2024-02-17T10:00:00Z',
      eventName: `Describe${H}`,
      userIdentity: identity,
      recipientAccountId: `111122223333${H}`,
      awsRegion: `us-east-1${H}`,
      eventCategory: `Management${H}`,
      userAgent: H,
      sourceIPAddress: `203.0.113.9${H}`,
      errorCode: `Denied${H}`,
      errorMessage: H,
      requestParameters: { k: H, [`key${H}`]: [H] },
    }),
    event({ eventID: 'evt-far', eventTime: FAR, userIdentity: identity }),
  ]);
  file = path.join(dir, 'case.db');
  const r = runCli(['ingest', path.join(dir, 'ev'), '--db', file, '--quiet']);
  expect(r.code).toBe(4); // today's ingest refuses the far time (a problem); an older case holds it:
  setStoredEventTime(file, 'evt-far', Date.parse(FAR));
  db = openCase(file, { readonly: true });
});
afterAll(() => db?.close());

function safe(frame: string, where: string): void {
  expect(findRawControl(frame), where).toBeNull();
  expect(frame, where).not.toMatch(/Invalid time value/);
}

describe('TUI on hostile text', () => {
  it.each(['UTC', 'Asia/Seoul', '+14:00'])('overview, event list, detail, provenance and investigation in %s', async (tz) => {
    const app = await renderApp(contextFor(db, file, { tz }), {}, { columns: 160, rows: 40 });
    safe(app.frame(), 'overview');
    expect(app.frame()).toContain('\\e]0;pwned');
    await app.press(KEYS.tab);
    const list = app.frame();
    safe(list, 'event list');
    expect(list).toContain('Describex\\e]0;pwned');
    expect(list).toContain(tz === 'UTC' ? '> +275760-09-13 00:0' : '> +275760-09-13 00:00:00Z');
    // the hostile event is the second (newest first): open it
    await app.press(KEYS.down, KEYS.enter);
    let f = app.frame();
    safe(f, 'detail');
    expect(f).toContain('\\u202e');
    await app.press('Z');
    safe(app.frame(), 'detail unfolded');
    await app.press('p');
    safe(app.frame(), 'provenance');
    await app.press('p', 'i');
    safe(app.frame(), 'investigations menu');
    await app.press(KEYS.enter);
    await tick(100);
    await app.press();
    f = app.frame();
    safe(f, 'access-key investigation');
    expect(f).toContain(`Access key ${KEY}`);
    await app.press('G');
    safe(app.frame(), 'investigation end');
    app.unmount();
  });

  it('the filter bar: a value pasted with control characters is shown escaped', async () => {
    const app = await renderApp(contextFor(db, file), { startOn: 'events' });
    await app.press('/');
    await app.type(`user-agent=${H}`);
    safe(app.frame(), 'filter editing');
    await app.press(KEYS.enter);
    safe(app.frame(), 'filter applied');
    app.unmount();
  });
});
