// Meta-test: every command is documented (README table) and answers --help.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/main.js';
import { runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/paths.js';

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const docs = fs.readdirSync(path.join(repoRoot, 'docs')).map((f) => fs.readFileSync(path.join(repoRoot, 'docs', f), 'utf8')).join('\n');

describe('documentation', () => {
  for (const c of COMMANDS) {
    it(`${c.name} is in the README and docs/, and answers --help`, () => {
      expect(readme).toContain(`trailhound ${c.name}`);
      expect(docs).toContain(`trailhound ${c.name}`);
      const r = runCli([c.name, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`trailhound ${c.name}`);
    });
  }

  it('the README starts with the two commands: the main job on fixtures/ and the tests', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toContain('npx trailhound triage fixtures/sample/evidence');
    expect(firstBlock).toContain('npm test');
  });
});
