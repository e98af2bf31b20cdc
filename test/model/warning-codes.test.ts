// Meta-test: every warning or problem code the ingest code can produce is in the catalog (src/model/warning-codes.ts)
// and documented in docs/ingest.md ("Warnings and problems"), and the catalog names no code that no longer exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WARNING_CODES } from '../../src/model/warning-codes.js';
import { repoRoot } from '../helpers/paths.js';

function codesInSource(): Set<string> {
  const out = new Set<string>();
  for (const dir of ['src/ingest', 'src/sources', 'src/index']) {
    for (const f of fs.readdirSync(path.join(repoRoot, dir))) {
      // integrity-store.ts makes verify's input warnings (docs/integrity.md, e.g. recorded_input_changed), not ingest's.
      if (!f.endsWith('.ts') || f === 'integrity-store.ts') continue;
      const text = fs.readFileSync(path.join(repoRoot, dir, f), 'utf8');
      // `code: 'x',` as in warnings.push({ ..., code: 'x', ... }); not type unions such as `code: 'a' | 'b'`.
      for (const m of text.matchAll(/\bcode: '([a-z0-9_]+)'\s*,/g)) out.add(m[1]);
      // The record reader's notes and bad records, and discovery's problems.
      for (const m of text.matchAll(/\b(?:note|noteOnce)\('([a-z0-9_]+)'/g)) out.add(m[1]);
      for (const m of text.matchAll(/\bbad\(v, '([a-z0-9_]+)'/g)) out.add(m[1]);
      for (const m of text.matchAll(/\bproblem\([^,()]+, '([a-z0-9_]+)'/g)) out.add(m[1]);
    }
  }
  return out;
}

describe('warning codes', () => {
  const inSource = codesInSource();

  it('finds the codes in the source (the scan works)', () => {
    for (const c of ['empty_file', 'zero_records', 'account_mismatch', 'no_event_id', 'event_conflict', 'skipped']) expect(inSource).toContain(c);
  });

  it('every code the source produces is in the catalog, and every catalog code is produced', () => {
    expect([...inSource].filter((c) => !(c in WARNING_CODES))).toEqual([]);
    expect(Object.keys(WARNING_CODES).filter((c) => !inSource.has(c))).toEqual([]);
  });

  it('docs/ingest.md lists every code with its severity', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'ingest.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Warnings and problems'));
    expect(section.length).toBeLessThan(doc.length);
    for (const [code, info] of Object.entries(WARNING_CODES)) {
      expect(section).toMatch(new RegExp(`^\\| \`${code}\` \\| ${info.severity} \\|`, 'm'));
    }
  });
});
