// docs/export.md's column tables are the export schema (model/export-schema.ts): every table, column, type and
// meaning, in file order, partitions last. Regenerate the tables from the schema when this fails.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { EXPORT_TABLE_LAYOUT } from '../../src/model/export-schema.js';
import { EXPORT_ENTRIES } from '../../src/export/output-dir.js';

const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'export.md'), 'utf8');

/** The markdown table of one exported table, as docs/export.md must hold it. */
function tableText(t: (typeof EXPORT_TABLE_LAYOUT)[number]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `### ${t.table} (\`${t.folder}/\`)`,
    '',
    '| column | type | meaning |',
    '|---|---|---|',
    ...t.columns.map((c) => `| \`${c.name}\` | ${c.type} | ${esc(c.description)} |`),
    ...t.partitions.map((p) => `| \`${p.name}\` (partition) | ${p.type} | ${esc(p.description)} |`),
    '',
  ].join('\n');
}

describe('docs/export.md', () => {
  it.each(EXPORT_TABLE_LAYOUT.map((t) => [t.table, t] as const))('documents %s column by column, as export-schema.ts has it', (_name, t) => {
    expect(doc).toContain(tableText(t));
  });

  it('names everything --force replaces, and each table folder in the layout', () => {
    for (const e of EXPORT_ENTRIES) expect(doc).toContain(`\`${e}${e.includes('.') ? '' : '/'}\``);
    for (const t of EXPORT_TABLE_LAYOUT) expect(doc).toMatch(new RegExp(`^  ${t.folder}/`, 'm'));
  });
});
