// Meta-test: the documentation stands alone in a clone. Every relative link in README.md and docs/*.md points at a
// file inside the repository (and at a heading that exists, for #anchors); no page sends the reader to a path
// outside the repository (`../shared/...`); every docs/*.md named in the text exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

const pages = ['README.md', ...fs.readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const text = new Map(pages.map((p) => [p, fs.readFileSync(path.join(repoRoot, p), 'utf8')]));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Relative link targets of a page (code blocks and code spans left out), with their line numbers. */
function links(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  const noBlocks = markdown.replace(/```[\s\S]*?```/g, (b) => b.replace(/[^\n]/g, ' '));
  noBlocks.split('\n').forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1])) out.push({ target: m[1], line: i + 1 });
    }
  });
  return out;
}

describe('documentation links resolve inside the repository', () => {
  for (const page of pages) {
    it(page, () => {
      const md = text.get(page) ?? '';
      const problems: string[] = [];
      for (const { target, line } of links(md)) {
        const [file, anchor] = target.split('#');
        const abs = file ? path.resolve(repoRoot, path.dirname(page), decodeURIComponent(file)) : path.join(repoRoot, page);
        const where = `${page}:${line} → ${target}`;
        if (path.relative(repoRoot, abs).startsWith('..')) problems.push(`${where}: outside the repository`);
        else if (!fs.existsSync(abs)) problems.push(`${where}: no such file`);
        else if (anchor && abs.endsWith('.md') && !anchors(fs.readFileSync(abs, 'utf8')).has(anchor)) problems.push(`${where}: no heading #${anchor}`);
      }
      // Paths written as text (often in code spans) must not lead outside a clone either.
      for (const m of md.matchAll(/(?<![\w.])\.\.\/[\w./-]+/g)) {
        const abs = path.resolve(repoRoot, path.dirname(page), m[0]);
        if (path.relative(repoRoot, abs).startsWith('..')) problems.push(`${page}: "${m[0]}" is outside the repository`);
        else if (!fs.existsSync(abs)) problems.push(`${page}: "${m[0]}" does not exist`);
      }
      // The workspace's seed guide and specs are not in a clone: quote or summarise them instead.
      for (const m of md.matchAll(/shared\/(seed|specs)\/[\w./-]*/g)) problems.push(`${page}: "${m[0]}" is not in the repository`);
      for (const m of md.matchAll(/(?<![\w/.-])docs\/([\w-]+\.md)/g)) {
        if (!fs.existsSync(path.join(repoRoot, 'docs', m[1]))) problems.push(`${page}: docs/${m[1]} does not exist`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('the checker finds what it should', () => {
    expect(links('see [a](docs/a.md#x) and [b](https://x.y) `[c](no.md)`\n```\n[d](e.md)\n```')).toEqual([{ target: 'docs/a.md#x', line: 1 }]);
    expect(anchors('# Exit codes\n## `--json` fields (ingest)\n## Exit codes')).toEqual(new Set(['exit-codes', '--json-fields-ingest', 'exit-codes-1']));
  });
});
