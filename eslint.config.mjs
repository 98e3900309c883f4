// ESLint (flat config): typescript-eslint's recommended rules, and the lit and wc plugins' for the element.
// Run by `npm run lint` (part of `npm test`); Prettier owns the formatting.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'reports/', '.stryker-tmp/', '.mutate-build/', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts'],
    ...wc.configs['flat/recommended'],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // TypeScript itself checks names (typescript-eslint's advice); plain scripts get the globals they run with
  { files: ['**/*.ts', '**/*.tsx'], rules: { 'no-undef': 'off' } },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['window', 'document', 'console', 'globalThis', 'process', 'Buffer', 'URL', 'fetch', 'Request', 'Response', 'Headers', 'AbortController', 'performance']
          .concat([
            'setTimeout',
            'clearTimeout',
            'setInterval',
            'clearInterval',
            'setImmediate',
            'queueMicrotask',
            'structuredClone',
            'TextEncoder',
            'TextDecoder',
            'crypto',
          ])
          .map((name) => [name, 'readonly']),
      ),
    },
  },
  // chai's assertions are expressions (`expect(x).to.be.true`)
  { files: ['test/**'], rules: { '@typescript-eslint/no-unused-expressions': 'off' } },
);
