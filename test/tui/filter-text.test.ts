// The filter bar's language: key:value terms with search's option names, aliases, bare values, quoting, and the
// same EventFilter `search` builds from the same options.
import { describe, expect, it } from 'vitest';
import { completeKey, formatTerms, guessKey, parseFilterText, replaceTerms, termsToFilter } from '../../src/tui/filter-text.js';
import { readSearchFilter } from '../../src/cli/commands/search.js';
import { buildCase, rec, tmpCasePath } from '../query/build-case.js';
import { openCase } from '../../src/index/open.js';
import { searchEvents } from '../../src/index/search.js';

describe('parseFilterText', () => {
  it('reads key:value and key=value terms, aliases and quoted values', () => {
    expect(parseFilterText('event-name:StopInstances ip=203.0.113.0/24 text:"access denied" key:AKIAXXXXXXXXXXXXXXXX').terms).toEqual([
      { key: 'event-name', value: 'StopInstances' },
      { key: 'source-ip', value: '203.0.113.0/24' },
      { key: 'text', value: 'access denied' },
      { key: 'access-key', value: 'AKIAXXXXXXXXXXXXXXXX' },
    ]);
  });
  it('keeps colons inside values (ARNs, times)', () => {
    expect(parseFilterText('principal-arn:arn:aws:iam::123456789012:user/* start:2024-02-17T10:00:00Z').terms).toEqual([
      { key: 'principal-arn', value: 'arn:aws:iam::123456789012:user/*' },
      { key: 'start-time', value: '2024-02-17T10:00:00Z' },
    ]);
  });
  it('guesses the filter of obvious bare values', () => {
    expect(parseFilterText('AKIAXXXXXXXXXXXXXXXX i-1234567890abcdef0 203.0.113.7 arn:aws:iam::123456789012:role/x 123456789012 eu-west-1 ConsoleLogin iam.amazonaws.com').terms.map((t) => t.key)).toEqual([
      'access-key',
      'resource-name',
      'source-ip',
      'principal-arn',
      'account',
      'region',
      'event-name',
      'event-source',
    ]);
    expect(guessKey('hello world')).toBeNull();
  });
  it('names the problem: unknown keys, unclear values, open quotes', () => {
    expect(parseFilterText('colour:red').error).toBe(
      'unknown filter "colour"; filters: event-name, event-source, user, access-key, event-id, resource-type, resource-name, read-only, source-ip, principal-arn, user-agent, error, category, text, trust, start-time, end-time, account, region, request-id',
    );
    expect(parseFilterText('foo').error).toBe('which filter is "foo"? write key:value, e.g. event-name:foo or text:foo');
    expect(parseFilterText('text:"open').error).toBe('a quote is not closed');
  });
  it('formats terms back to text that parses to the same terms', () => {
    const terms = parseFilterText('text:"a b" region:us-east-1 error:').terms;
    expect(formatTerms(terms)).toBe('text:"a b" region:us-east-1 error:""');
    expect(parseFilterText(formatTerms(terms)).terms).toEqual(terms);
  });
  it('completes keys and replaces terms', () => {
    expect(completeKey('region:us-east-1 acc')).toBeNull(); // access-key and account: nothing more in common
    expect(completeKey('region:us-east-1 access')).toBe('region:us-east-1 access-key:');
    expect(completeKey('event-s')).toBe('event-source:');
    expect(replaceTerms([{ key: 'start-time', value: 'a' }, { key: 'region', value: 'r' }], ['start-time', 'end-time'], [{ key: 'start-time', value: 'b' }])).toEqual([
      { key: 'region', value: 'r' },
      { key: 'start-time', value: 'b' },
    ]);
  });
});

describe('termsToFilter', () => {
  const file = tmpCasePath();
  const r1 = rec({ requestID: 'aaaaaaaa-0000-4000-8000-000000000001' });
  buildCase(file, [r1, rec()]).close();
  const db = openCase(file, { readonly: true });
  const ctx = { tz: 'UTC', now: Date.UTC(2025, 1, 14) };

  it('builds the filter search builds from the same options', () => {
    const text = 'event-name:StopInstances,TerminateInstances event-name:RunInstances region:us-east-1 error: start:7d end-time:2025-02-13 read-only:false category:management trust:proven';
    const f = termsToFilter(parseFilterText(text).terms, ctx);
    const expected = readSearchFilter(
      {
        'event-name': ['StopInstances,TerminateInstances', 'RunInstances'],
        region: ['us-east-1'],
        error: [''],
        'start-time': '7d',
        'end-time': '2025-02-13',
        'read-only': 'false',
        category: ['management'],
        trust: ['proven'],
        tz: 'UTC',
      } as never,
      ctx.now,
    );
    expect(f).toEqual(expected);
    expect(f.eventNames).toEqual(['StopInstances', 'TerminateInstances', 'RunInstances']);
    expect(f.errors).toBe('any');
  });
  it('reports bad values with the option named, as search does', () => {
    expect(() => termsToFilter(parseFilterText('source-ip:10.0.0.0/99').terms, ctx)).toThrow('--source-ip: "10.0.0.0/99": prefix length 99 is too long for IPv4');
    expect(() => termsToFilter(parseFilterText('start:yesterdayish').terms, ctx)).toThrow(/^--start-time: cannot read time "yesterdayish"/);
    expect(() => termsToFilter(parseFilterText('read-only:maybe').terms, ctx)).toThrow('read-only: "maybe" is not true or false');
  });
  it('request-id finds the events of a request (none: matches nothing)', () => {
    const f = termsToFilter(parseFilterText('request-id:aaaaaaaa-0000-4000-8000-000000000001').terms, ctx);
    expect(f.requestIds).toEqual(['aaaaaaaa-0000-4000-8000-000000000001']);
    expect(searchEvents(db, f).rows.map((r) => r.eventId)).toEqual([r1.eventID]);
    const none = termsToFilter(parseFilterText('request:nope').terms, ctx);
    expect(searchEvents(db, none).rows).toEqual([]);
  });
});
