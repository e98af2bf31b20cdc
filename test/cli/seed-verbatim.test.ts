// The seed runbook's lookup-events commands, pasted into bash exactly as the guide prints them (one-line
// flattened form with "\ " continuations included), with `aws cloudtrail` replaced by trailhound and --db added.
// The event-level checks of each command are in lookup-events.test.ts; here: they parse and run as pasted.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedCase } from '../helpers/cases.js';
import { cliBin, sharedDir } from '../helpers/paths.js';

const guide = path.join(sharedDir, 'seed', 'cloudtrail-guide.ko.txt');
// The guide lives outside the repository (../shared/seed): skipped, with a note, where it is absent.
const have = fs.existsSync(guide);
if (!have) process.stderr.write(`note: ${guide} is absent; the seed runbook test is skipped\n`);

/** Every `aws cloudtrail lookup-events` command of the guide, as one shell line (comments cut off). */
function seedCommands(): string[] {
  const lines = fs.readFileSync(guide, 'utf8').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let text = lines[i];
    while (text.trimEnd().endsWith('\\') && i + 1 < lines.length) text = `${text.trimEnd().slice(0, -1)} ${lines[++i]}`;
    for (const part of text.split(/#[^#]*?(?=aws cloudtrail)/)) {
      const at = part.indexOf('aws cloudtrail lookup-events');
      if (at >= 0) out.push(part.slice(at).replace(/\s+#.*$/, '').trim());
    }
  }
  return out;
}

describe.skipIf(!have)('seed runbook, verbatim', () => {
  let db: string;
  beforeAll(() => {
    db = sharedCase('sample');
  });

  it('finds the guide’s eight lookup-events commands', () => {
    expect(seedCommands()).toHaveLength(8);
  });

  for (const [i, cmd] of (have ? seedCommands() : []).entries()) {
    it(`command ${i + 1}: ${cmd.slice(0, 90)}`, () => {
      const line = `${cmd.replace('aws cloudtrail', `"${process.execPath}" "${cliBin}"`)} --db "${db}"`;
      const r = spawnSync('bash', ['-c', line], { encoding: 'utf8' });
      expect(r.stderr).not.toMatch(/Unknown argument|Run 'trailhound --help'/);
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout);
      const rows = Array.isArray(out) ? out : out.Events;
      expect(Array.isArray(rows)).toBe(true);
      expect(rows.length).toBeGreaterThan(0);
    });
  }
});
