// The catalog of investigation findings (src/model/finding-types.ts) is well formed, and docs/findings.md documents
// exactly its types, each with the catalog's level, investigation, tags, description and example.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEVELS } from '../../src/model/detection.js';
import { FINDING_TYPES, findingType, isFindingTypeId } from '../../src/model/finding-types.js';
import { repoRoot } from '../helpers/paths.js';

const INVESTIGATIONS = ['access-key', 'instance', 'security-group', 'iam', 'console-logins'];

describe('the finding-type catalog', () => {
  it('has one entry per id, each a kebab-case id', () => {
    const ids = FINDING_TYPES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(ids.length).toBeGreaterThanOrEqual(27);
  });

  it('gives every type a Sigma level below critical, an investigation, a title, a description, an example and ATT&CK tags in Sigma form', () => {
    for (const t of FINDING_TYPES) {
      expect(LEVELS.slice(0, 4), t.id).toContain(t.level);
      if (t.alternateLevel) {
        expect(LEVELS.slice(0, 4), t.id).toContain(t.alternateLevel.level);
        expect(t.alternateLevel.level, t.id).not.toBe(t.level);
        expect(t.alternateLevel.when.length, t.id).toBeGreaterThan(10);
      }
      expect(INVESTIGATIONS, t.id).toContain(t.investigation);
      expect(t.title.length, t.id).toBeGreaterThan(5);
      // What it means and what to do next: two or three sentences (four at most).
      const sentences = t.description.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
      expect(sentences, t.id).toBeGreaterThanOrEqual(2);
      expect(sentences, t.id).toBeLessThanOrEqual(4);
      expect(t.example.length, t.id).toBeGreaterThan(10);
      for (const tag of t.tags) expect(tag, t.id).toMatch(/^attack\.(t\d{4}(\.\d{3})?|[a-z]+(-[a-z]+)*)$/);
      // A technique tag comes with its tactic.
      if (t.tags.some((x) => /^attack\.t\d/.test(x))) expect(t.tags.some((x) => /^attack\.[a-z]/.test(x)), t.id).toBe(true);
    }
  });

  it('looks types up by id, and knows which strings are ids', () => {
    expect(findingType('root-login')).toMatchObject({ id: 'root-login', level: 'high', investigation: 'console-logins' });
    expect(isFindingTypeId('root-login')).toBe(true);
    expect(isFindingTypeId('root-logn')).toBe(false);
    expect(isFindingTypeId('toString')).toBe(false);
  });
});

describe('docs/findings.md', () => {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'findings.md'), 'utf8');
  /** The section of each type: from its `### \`id\`` heading to the next heading; with the `## investigation` above it. */
  const sections = new Map<string, { investigation: string; text: string }>();
  let investigation = '';
  for (const part of doc.split(/^(?=#{2,3} )/m)) {
    const h2 = /^## (.+)$/m.exec(part);
    if (part.startsWith('## ') && h2) investigation = h2[1].trim();
    const h3 = /^### `([a-z-]+)`\s*$/m.exec(part);
    if (part.startsWith('### ') && h3) sections.set(h3[1], { investigation, text: part });
  }

  it('has a section for exactly the catalog’s types', () => {
    expect([...sections.keys()].sort()).toEqual(FINDING_TYPES.map((t) => t.id).sort());
  });

  it('gives each type, under its investigation’s heading, its level, investigation, tags, description and example as the catalog does', () => {
    for (const t of FINDING_TYPES) {
      const s = sections.get(t.id);
      if (!s) continue; // reported by the test above
      expect(s.investigation, t.id).toBe(t.investigation);
      expect(s.text, t.id).toContain(`| Level | ${t.level}${t.alternateLevel ? `; ${t.alternateLevel.level} when ${t.alternateLevel.when}` : ''} |`);
      expect(s.text, t.id).toContain(`| Investigation | \`${t.investigation}\` |`);
      expect(s.text, t.id).toContain(`| Tags | ${t.tags.length ? t.tags.map((x) => `\`${x}\``).join(', ') : 'none'} |`);
      expect(s.text, t.id).toContain(`${t.title}.`);
      // Prose is wrapped at 120 columns in the page.
      expect(s.text.replace(/\s+/g, ' '), t.id).toContain(t.description);
      expect(s.text, t.id).toContain(`\`\`\`\n${t.example}\n\`\`\``);
    }
  });
});
