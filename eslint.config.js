// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'vendor/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  // Type-aware rules (issue 9): they catch promises nobody awaits and values typed `any` leaking in.
  // Types come from one program, tsconfig.json's, so every linted .ts file must be in its `include`.
  // Not `projectService`: it would also open packages/cli/tsconfig.json and build a second program
  // over core's sources, which made a full lint about half again as slow (docs/design.md).
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' },
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'no-console': 'off',
    },
  },
  // Plain JavaScript (the bin shim, the build scripts) is in no tsconfig: lint it without types.
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
