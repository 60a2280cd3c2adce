// Lint config: typescript-eslint's type-aware recommended rules over every TypeScript file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'docs/api/', 'node_modules/', 'bench/results/', 'bench/_*'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      'no-console': 'off',
    },
  },
  {
    // One adapter per protocol version (src/protocol/): nothing else asks which version a node speaks.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/protocol/**', 'src/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[3, 4].flatMap((n) =>
          ['left', 'right'].map((side) => ({
            selector: `BinaryExpression[operator=/^[=!]==?$/][${side === 'left' ? 'right' : 'left'}.value=${n}]:matches([${side}.property.name='version'], [${side}.name='version'])`,
            message: 'A protocol version check outside src/protocol/: give the adapter (or protocol/capabilities.ts) a method for it.',
          })),
        ),
      ],
    },
  },
  {
    // One job per file: a file a newcomer can read in one sitting (the simulator in testing/ is a whole server).
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/testing/**'],
    rules: { 'max-lines': ['error', { max: 350 }] },
  },
  {
    // ioredis is an optional peer dependency: only the Redis store imports it, and only `lavathread/redis` reaches that.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/session-store/redis-store.ts', 'src/session-store/redis-client.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'ioredis', message: 'Only src/session-store/redis-store.ts and redis-client.ts import ioredis (an optional peer dependency).' }] }],
    },
  },
  {
    // Tests read wire JSON field by field; `any` there is the point, not a leak into the API.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
