// The cases several test files read, built once per run by test/setup/global.ts: what each holds and the CLI steps
// (with their documented exit codes, docs/exit-codes.md) that build it. Tests get the paths with sharedCase() or a
// private copy with copyCase() (test/helpers/cases.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/sample');
const evidence = path.join(sampleDir, 'evidence');
const exportsDir = path.join(sampleDir, 'exports');
const verifyArgs = (db: string): string[] => ['verify', '--db', db, '--public-keys', `us-east-1=${path.join(evidence, 'keys', 'list-public-keys.json')}`, '--digest-metadata', path.join(evidence, 'digest-metadata.json')];

interface Step {
  args: string[];
  exit: number;
}

export interface SharedCaseSpec {
  /** Start from a copy of this case (built first) instead of an empty one. */
  from?: 'sample' | 'sampleWithExports';
  steps: (db: string) => Step[];
}

export const SHARED_CASES = {
  /** fixtures/sample/evidence (the S3 buckets only); ingest exits 0: nothing is skipped. */
  sample: { steps: (db: string): Step[] => [{ args: ['ingest', evidence, '--db', db, '--quiet'], exit: 0 }] },
  /** fixtures/sample/evidence and its exports (console/CLI downloads). */
  sampleWithExports: { steps: (db: string): Step[] => [{ args: ['ingest', evidence, exportsDir, '--db', db, '--quiet'], exit: 0 }] },
  /**
   * A copy of sampleWithExports, then verified (trust labels stored); verify exits 5: the sample has gaps in
   * assurance. Copying saves ingesting the same evidence a second time.
   */
  sampleVerified: { from: 'sampleWithExports', steps: (db: string): Step[] => [{ args: verifyArgs(db), exit: 5 }] },
} satisfies Record<string, SharedCaseSpec>;

export type SharedCaseName = keyof typeof SHARED_CASES;

/** A case file's size and modification time: what any write to it changes. */
export function stamp(file: string): string {
  const s = fs.statSync(file);
  return `${s.size} ${s.mtimeMs}`;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sample: string;
    sampleWithExports: string;
    sampleVerified: string;
    /** Each shared case file's size and mtime when built: test/setup/shared-cases-unchanged.ts checks them. */
    sharedCaseStamps: Record<string, string>;
  }
}
