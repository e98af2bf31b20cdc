// The registry's order is what classification relies on: integrity inputs first, envelopes, then the generic
// event shapes (which take any top-level array) last among JSON formats; registered formats go before them.
import { describe, expect, it } from 'vitest';
import { evidenceFormats, registerFormat } from '../../../src/sources/formats/registry.js';

describe('format registry', () => {
  it('lists the built-in formats in consultation order', () => {
    expect(evidenceFormats().map((f) => f.name)).toEqual(['cloudtrail-digest', 'public-keys', 'digest-metadata', 'cloudtrail-records', 'lookup-events', 'events', 'console-csv']);
  });

  it('puts a registered format before the generic event shapes, and removes it again', () => {
    const off = registerFormat({ name: 'probe', syntax: 'json', family: 'probe', kind: () => 'event-json' });
    expect(evidenceFormats().map((f) => f.name).slice(4, 7)).toEqual(['lookup-events', 'probe', 'events']);
    off();
    expect(evidenceFormats().some((f) => f.name === 'probe')).toBe(false);
  });
});
