// ESLint flat config: typescript-eslint (type-aware), Prettier compatibility, and the project's own rules:
// the layering table of docs/architecture.md and "timers only through common/clock".
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import trunkline from './scripts/eslint-rules/layering.mjs';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.tsbuild/**',
      '**/dist/**',
      'coverage/**',
      'sip-core/test/fixtures/**',
      'e2e/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { trunkline },
    rules: {
      'trunkline/layering': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Engine code creates timers only through the injected Clock (common/clock.ts), so that every timer can run
    // on a fake clock in tests. The clock itself is the one exception.
    files: ['sip-core/src/**/*.ts'],
    ignores: ['sip-core/src/common/clock.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'setTimeout',
          'setInterval',
          'setImmediate',
          'clearTimeout',
          'clearInterval',
          'clearImmediate',
        ].map((name) => ({
          name,
          message: 'Create timers through the injected Clock (sip-core/src/common/clock.ts).',
        })),
      ],
      'no-console': ['error'],
    },
  },
  {
    // The CLI is a composition root and talks to the terminal.
    files: ['sip-core/src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // The renderer runs in a browser (Chromium or Electron's sandboxed page): DOM globals, no Node globals.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
