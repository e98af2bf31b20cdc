// lookup-events: the CloudTrailEvent string is the event; pages are recognised by their Events array.
import { describe, expect, it } from 'vitest';
import { lookupEntry, lookupEvents } from '../../../src/sources/formats/lookup-events.js';

const ev = { eventID: 'e-1', eventName: 'ConsoleLogin', eventTime: '2024-02-17T10:00:00Z' };

describe('lookup-events format', () => {
  it('reads the event from the CloudTrailEvent string, keeping that string as the text', () => {
    const r = lookupEntry({ EventId: 'e-1', CloudTrailEvent: JSON.stringify(ev) });
    expect(r.record).toEqual(ev);
    expect(r.text).toBe(JSON.stringify(ev));
  });

  it('names entries it cannot read', () => {
    expect(lookupEntry({ CloudTrailEvent: '{bad' }).code).toBe('bad_record');
    expect(lookupEntry({ CloudTrailEvent: '{"x":1}' }).error).toBe('CloudTrailEvent is not a CloudTrail event');
    expect(lookupEntry({ EventId: 'x' }).error).toBe('lookup-events entry has no CloudTrailEvent');
  });

  it('takes an entry that is itself an event (insights output)', () => {
    expect(lookupEntry(ev).record).toEqual(ev);
  });

  it('claims "Events" arrays, but not an "Events" field of an event', () => {
    expect(lookupEvents.container!('Events', [])).toBe(true);
    expect(lookupEvents.container!('events', ['NextToken'])).toBe(true);
    expect(lookupEvents.container!('Events', ['eventName', 'eventTime'])).toBe(false);
    expect(lookupEvents.arrayOf!({ Events: [], NextToken: 'x' })).toBe(true);
    expect(lookupEvents.arrayOf!(ev)).toBe(false);
  });
});
