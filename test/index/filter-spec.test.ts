// The filter specification is the one description of the filter language: docs/search.md's table, search's
// options, the TUI bar's keys and aliases and the reader all agree with it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILTER_OPTIONS, readFilter } from '../../src/index/filter-spec.js';
import { searchFilterOptions } from '../../src/cli/commands/search.js';
import { FILTER_ALIASES, FILTER_KEYS } from '../../src/tui/filter-text.js';
import { repoRoot } from '../helpers/paths.js';

describe('the filter specification', () => {
  it("docs/search.md's table lists every filter with the spec's text and aliases", () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'search.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `--([a-z-]+)[^`]*` \| (.+) \| (.+) \| (.+) \|$/gm)].map((m) => ({ name: m[1], matches: m[2], index: m[3], aliases: m[4] }));
    expect(rows.map((r) => r.name)).toEqual(FILTER_OPTIONS.map((o) => o.name));
    for (const o of FILTER_OPTIONS) {
      const r = rows.find((x) => x.name === o.name)!;
      expect(r.matches, o.name).toBe(o.matches);
      expect(r.index, o.name).toBe(o.index);
      expect(r.aliases, o.name).toBe(o.aliases.map((a) => `\`${a}:\``).join(' ') || '-');
    }
  });

  it("search's options, the bar's keys and aliases come from it", () => {
    const scoped = ['start-time', 'end-time', 'account', 'region'];
    expect(Object.keys(searchFilterOptions)).toEqual(FILTER_OPTIONS.map((o) => o.name).filter((n) => !scoped.includes(n)));
    for (const o of FILTER_OPTIONS) expect((searchFilterOptions as Record<string, { describe?: string }>)[o.name]?.describe ?? o.describe).toBe(o.describe);
    expect(FILTER_KEYS).toEqual(FILTER_OPTIONS.map((o) => o.name));
    for (const o of FILTER_OPTIONS) for (const a of o.aliases) expect(FILTER_ALIASES[a]).toBe(o.name);
    const aliases = FILTER_OPTIONS.flatMap((o) => o.aliases);
    expect(new Set(aliases).size).toBe(aliases.length);
  });

  it('reads every filter into its typed field (trust and request IDs too)', () => {
    const f = readFilter({ 'event-name': ['A,B'], 'request-id': ['r1'], trust: ['Proven'], error: true, 'read-only': 'false', category: ['DATA'], 'start-time': '2025-02-01', 'end-time': '2025-02-01', account: ['123456789012'] });
    expect(f.eventNames).toEqual(['A', 'B']);
    expect(f.requestIds).toEqual(['r1']);
    expect(f.trust).toEqual(['proven']);
    expect(f.errors).toBe('any');
    expect(f.readOnly).toBe(false);
    expect(f.categories).toEqual(['data']);
    expect(f.endMs! - f.startMs!).toBe(86_400_000 - 1);
    expect(() => readFilter({ trust: ['gold'] })).toThrow('--trust: unknown label "gold"; allowed: proven, provisional, unverified');
    expect(() => readFilter({ account: ['12'] })).toThrow('--account: "12" is not a 12-digit AWS account ID');
  });
});
