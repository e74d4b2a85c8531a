import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'web/dist/**', 'server/dist*/**', 'data/**', 'coverage/**', '**/*.sql'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['web/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // SQL lives in one place per module, its queries.ts (and any queries-<capability>.ts split off beside it)
    // and the migrations: a service, a route or a job that builds a query would hide SQL from the reviewed
    // queries.sql snapshot and from the module's table types. Module boundaries themselves are checked by dependency-cruiser (.dependency-cruiser.cjs).
    files: ['server/src/modules/**/*.ts'],
    ignores: [
      'server/src/modules/**/queries.ts',
      'server/src/modules/**/queries-*.ts',
      'server/src/modules/**/*.test.ts',
      'server/src/modules/**/testing.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto)$/]',
          message: "Queries belong in the module's queries.ts.",
        },
        { selector: "TaggedTemplateExpression[tag.name='sql']", message: "SQL belongs in the module's queries.ts." },
      ],
    },
  },
  {
    files: ['server/src/main.ts', 'server/src/cli.ts', 'bench/**/*.ts', 'scripts/**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
