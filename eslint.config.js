import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Dependency direction (docs/STYLE: imports point downward only), one rule set per folder of src/:
//   cli, tui -> triage -> ingest, integrity, scenarios, detect, report -> index, sources -> model
// A folder may import only the folders below it (index may also use sources). triage runs the middle layer's
// steps in order (ingest, verify, detect, investigations) and gathers one report from them. tui never imports cli; cli imports
// tui only in cli/commands/tui.ts, which launches it. Only cli/ knows yargs, only tui/ knows ink and react, only
// index/ knows better-sqlite3, only export/ knows @duckdb/node-api. test/lint-layers.test.ts proves each rule fails a violating import.
const MIDDLE = ['ingest', 'integrity', 'scenarios', 'detect', 'report', 'export'];
const ALL = ['model', 'sources', 'index', ...MIDDLE, 'triage', 'cli', 'tui'];
const PACKAGES = { 'better-sqlite3': 'index', yargs: 'cli', ink: 'tui', react: 'tui', '@duckdb/node-api': 'export' };

/** The folders of src/ each folder may import (besides itself). */
const MAY_IMPORT = {
  model: [],
  sources: ['model'],
  index: ['model', 'sources'],
  ...Object.fromEntries(MIDDLE.map((m) => [m, ['model', 'sources', 'index']])),
  triage: ['model', 'sources', 'index', ...MIDDLE],
  cli: ['model', 'sources', 'index', ...MIDDLE, 'triage'],
  tui: ['model', 'sources', 'index', ...MIDDLE, 'triage'],
};

function restriction(folder, extraAllowed = []) {
  const allowed = new Set([folder, ...MAY_IMPORT[folder], ...extraAllowed]);
  const banned = ALL.filter((f) => !allowed.has(f));
  return [
    'error',
    {
      paths: Object.entries(PACKAGES)
        .filter(([, owner]) => owner !== folder)
        .map(([name, owner]) => ({ name, message: `only src/${owner}/ imports ${name} (layering: eslint.config.js)` })),
      patterns: banned.length
        ? [{ regex: `^(\\.\\./)+(${banned.join('|')})/`, message: `src/${folder}/ may import only ${MAY_IMPORT[folder].map((f) => `src/${f}/`).join(', ') || 'nothing of ours'} (layering: eslint.config.js)` }]
        : [],
    },
  ];
}

function layerRules() {
  return [
    ...Object.keys(MAY_IMPORT).map((folder) => ({
      files: [`src/${folder}/**/*.ts`, `src/${folder}/**/*.tsx`],
      rules: { 'no-restricted-imports': restriction(folder) },
    })),
    // The tui command launches the TUI: the one cli file that may import tui/.
    { files: ['src/cli/commands/tui.ts'], rules: { 'no-restricted-imports': restriction('cli', ['tui']) } },
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/sample/**', 'bench/out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  ...layerRules(),
);
