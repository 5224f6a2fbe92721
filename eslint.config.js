// Lint: typescript-eslint's recommended rules, plus the determinism rule for the kernel:
// nothing under src/ may read real time or real randomness (ARCHITECTURE.md, principle 5).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const realTimeAndChance = [
  { object: 'Date', property: 'now', message: 'The kernel runs on the virtual clock.' },
  { object: 'Math', property: 'random', message: 'Use the kernel\'s seeded PRNG.' },
  { object: 'performance', property: 'now', message: 'The kernel runs on the virtual clock.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The simulation; src/state runs on the host (locks, files) and may read real time.
    files: ['src/**/*.ts'],
    ignores: ['src/state/**'],
    rules: {
      'no-restricted-properties': ['error', ...realTimeAndChance],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'No real timers in the kernel: use sleep on the virtual clock.' },
        { name: 'setInterval', message: 'No real timers in the kernel.' },
        { name: 'setImmediate', message: 'No real timers in the kernel.' }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads real time; pass virtual milliseconds.' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['cmd/**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
