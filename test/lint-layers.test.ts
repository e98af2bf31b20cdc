// The layer rules of eslint.config.js fail a violating import in every folder of src/ and pass a legal one. Probe
// files are linted in memory (ESLint's lintText with a path inside src/); nothing is written to the tree.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

/** The no-restricted-imports messages for `import '<spec>'` in a file at `file` (relative to the repo). */
async function layerErrors(file: string, spec: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import '${spec}';\n`, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const VIOLATIONS: ReadonlyArray<[file: string, spec: string]> = [
  // model imports nothing of ours
  ['src/model/probe.ts', '../sources/gzip.js'],
  ['src/model/probe.ts', '../index/open.js'],
  // sources -> model only
  ['src/sources/probe.ts', '../ingest/run.js'],
  ['src/sources/probe.ts', '../index/open.js'],
  ['src/sources/probe.ts', '../scenarios/common.js'],
  // index -> model, sources
  ['src/index/probe.ts', '../ingest/run.js'],
  ['src/index/probe.ts', '../report/json.js'],
  ['src/index/probe.ts', '../cli/main.js'],
  // the middle layer does not import its peers or anything above it
  ['src/ingest/probe.ts', '../scenarios/common.js'],
  ['src/integrity/probe.ts', '../report/json.js'],
  ['src/scenarios/probe.ts', '../integrity/verifier.js'],
  ['src/report/probe.ts', '../cli/options.js'],
  ['src/report/probe.ts', '../scenarios/common.js'],
  ['src/detect/probe.ts', '../tui/run.js'],
  ['src/detect/sub/probe.ts', '../../ingest/run.js'],
  // triage sits above the middle layer and below cli and tui
  ['src/triage/probe.ts', '../cli/options.js'],
  ['src/triage/probe.ts', '../tui/run.js'],
  ['src/scenarios/probe.ts', '../triage/run.js'],
  ['src/report/probe.ts', '../triage/run.js'],
  ['src/triage/probe.ts', 'better-sqlite3'],
  // tui never imports cli; cli imports tui only from cli/commands/tui.ts
  ['src/tui/probe.ts', '../cli/commands/search.js'],
  ['src/tui/hooks/probe.ts', '../../cli/options.js'],
  ['src/cli/probe.ts', '../tui/run.js'],
  ['src/cli/commands/search.ts', '../../tui/filter-text.js'],
  // packages: only cli knows yargs, only tui knows ink/react, only index knows better-sqlite3
  ['src/sources/probe.ts', 'better-sqlite3'],
  ['src/cli/probe.ts', 'better-sqlite3'],
  ['src/tui/probe.ts', 'yargs'],
  ['src/report/probe.ts', 'yargs'],
  ['src/cli/probe.ts', 'ink'],
  ['src/scenarios/probe.ts', 'react'],
  ['src/model/probe.ts', 'ink'],
  // export is a middle-layer folder, and the only one that knows @duckdb/node-api
  ['src/export/probe.ts', '../detect/run.js'],
  ['src/export/probe.ts', '../triage/output-file.js'],
  ['src/export/probe.ts', 'better-sqlite3'],
  ['src/index/probe.ts', '@duckdb/node-api'],
  ['src/cli/probe.ts', '@duckdb/node-api'],
  ['src/detect/probe.ts', '../export/run.js'],
];

const LEGAL: ReadonlyArray<[file: string, spec: string]> = [
  ['src/sources/probe.ts', '../model/escape.js'],
  ['src/index/probe.ts', '../sources/gzip.js'],
  ['src/index/probe.ts', 'better-sqlite3'],
  ['src/ingest/probe.ts', '../index/open.js'],
  ['src/detect/probe.ts', '../index/open.js'],
  ['src/report/probe.ts', '../model/time.js'],
  ['src/cli/commands/probe.ts', '../../scenarios/common.js'],
  ['src/cli/probe.ts', 'yargs'],
  ['src/cli/commands/tui.ts', '../../tui/run.js'],
  ['src/tui/probe.tsx', 'ink'],
  ['src/tui/probe.tsx', '../report/table.js'],
  ['src/triage/probe.ts', '../detect/run.js'],
  ['src/triage/probe.ts', '../scenarios/registry.js'],
  ['src/cli/commands/probe.ts', '../../triage/run.js'],
  ['src/tui/probe.tsx', '../triage/run.js'],
  ['src/export/probe.ts', '@duckdb/node-api'],
  ['src/export/probe.ts', '../index/export-rows.js'],
  ['src/cli/commands/probe.ts', '../../export/run.js'],
];

describe('lint enforces the layer direction', () => {
  it.each(VIOLATIONS)('%s importing %s fails lint', async (file, spec) => {
    const errors = await layerErrors(file, spec);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/layering: eslint\.config\.js/);
  });

  it.each(LEGAL)('%s importing %s passes', async (file, spec) => {
    expect(await layerErrors(file, spec)).toEqual([]);
  });
});
