import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    // Dependency direction: only cli/ and tui/ know yargs, ink and react; only index/ knows better-sqlite3.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/cli/**', 'src/tui/**', 'src/index/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['better-sqlite3', 'yargs', 'ink', 'react'], patterns: ['**/cli/*', '**/tui/*'] }],
    },
  },
  {
    files: ['src/index/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['yargs', 'ink', 'react'], patterns: ['**/cli/*', '**/tui/*', '**/ingest/*', '**/scenarios/*', '**/integrity/*', '**/report/*'] }],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/tui/**/*.ts', 'src/tui/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['better-sqlite3'] }],
    },
  },
);
