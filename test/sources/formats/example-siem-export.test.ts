// A new evidence format touches its module, its registration and its test: here both the module
// (example-siem-export.ts) and the registration (registerFormat) live in test/, and the events of a SIEM export
// land in a case through the real in-process ingest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runIngest } from '../../../src/ingest/run.js';
import { registerFormat } from '../../../src/sources/formats/registry.js';
import { readRecords } from '../../../src/sources/read-records.js';
import { exampleSiemExport } from './example-siem-export.js';

const ev = (id: string): Record<string, unknown> => ({ eventVersion: '1.09', eventID: id, eventTime: '2024-02-17T10:00:00Z', eventName: 'GetObject', eventSource: 's3.amazonaws.com', awsRegion: 'eu-west-1' });
const siem = Buffer.from(JSON.stringify({ took: 3, hits: { total: { value: 3 }, hits: [{ _index: 'ct', _source: ev('a-1') }, { _index: 'ct', _source: ev('a-2') }, { _index: 'ct', _source: { message: 'x' } }] } }));

let unregister: (() => void) | null = null;
afterEach(() => {
  unregister?.();
  unregister = null;
});

describe('a format registered from a test', () => {
  it('unregistered, a SIEM export is skipped as JSON that is not CloudTrail', () => {
    expect(readRecords(siem, null).skipReason).toBe('JSON that is not CloudTrail (top-level value: an object (keys: took, hits))');
  });

  it('registered, its hits are read as events and the non-event is reported', () => {
    unregister = registerFormat(exampleSiemExport);
    const r = readRecords(siem, null);
    expect(r.kind).toBe('event-json');
    expect(r.records.map((x) => x.record?.eventID ?? x.code)).toEqual(['a-1', 'a-2', 'not_an_event']);
  });

  it('refuses a second format of the same name', () => {
    unregister = registerFormat(exampleSiemExport);
    expect(() => registerFormat(exampleSiemExport)).toThrow('evidence format "example-siem-export" is already registered; pick another name');
  });

  it('registered, its events land in a case through the in-process ingest', async () => {
    unregister = registerFormat(exampleSiemExport);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-siem-'));
    fs.writeFileSync(path.join(dir, 'siem-export.json'), siem);
    const db = path.join(dir, 'case.db');
    await runIngest({ dbPath: db, paths: [path.join(dir, 'siem-export.json')], workers: 0 });
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare('SELECT kind, status, record_count FROM sources').all()).toEqual([{ kind: 'event-json', status: 'done', record_count: 3 }]);
      expect(d.prepare('SELECT event_name FROM events_v ORDER BY event_name').all()).toEqual([{ event_name: 'GetObject' }, { event_name: 'GetObject' }]);
      expect(d.prepare("SELECT code FROM warnings WHERE code = 'not_an_event'").all()).toEqual([{ code: 'not_an_event' }]);
    } finally {
      d.close();
    }
  });
});
