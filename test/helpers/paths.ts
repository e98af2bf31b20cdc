// Paths shared by tests: the repo root, the built CLI, and the shared corpora (skipped cleanly when absent).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliBin = path.join(repoRoot, 'bin', 'trailhound.js');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const corporaDir = path.join(sharedDir, 'corpora');
export const hasCorpora = fs.existsSync(corporaDir);
export const sampleDir = path.join(repoRoot, 'fixtures', 'sample');

if (!hasCorpora) {
  process.stderr.write(`note: ${corporaDir} is absent; tests on the real corpora are skipped\n`);
}

export function tmpDir(prefix = 'trailhound-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
