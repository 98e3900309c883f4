// Mutation testing of the money- and safety-critical code: `npm run mutate` (scripts/mutate.mjs prints the score per
// folder). Survivors that are equivalent mutants are listed, each with its reason, in test/mutation/equivalent.md.

/**
 * The Node test files that judge the mutants, one concern per file: Stryker runs, for each mutant, only the files that
 * reach its code (the load, Redis, demo and rendering tests add time, not kills).
 */
export const MUTATION_TESTS = [
  'test/lib/logic.node.test.ts',
  'test/lib/session-client.node.test.ts',
  'test/lib/protocol.node.test.ts',
  ...['amounts', 'base58', 'iban', 'keccak', 'sha256', 'sse'].map((name) => `test/lib/differential-${name}.node.test.ts`),
  ...['api', 'creates', 'input', 'safety', 'users', 'webhooks'].map((name) => `test/server/handler-${name}.node.test.ts`),
  ...['creates', 'limits', 'status', 'webhooks'].map((name) => `test/server/faults-${name}.node.test.ts`),
  'test/server/register.node.test.ts',
  'test/server/simulator.node.test.ts',
];

/** Where scripts/mutate-build.mjs writes a test file's bundle inside the sandbox. */
export const bundled = (file) => `.mutate-build/${file.replace(/\.ts$/, '.mjs')}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['src/server/**/*.ts', 'src/lib/**/*.ts'],
  buildCommand: 'node scripts/mutate-build.mjs',
  testRunner: 'tap',
  tap: {
    testFiles: (process.env.MUTATE_TESTS?.split(',') ?? MUTATION_TESTS).map(bundled),
    nodeArgs: ['-r', '{{hookFile}}', '--test-reporter=tap', '{{testFile}}'],
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutate.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  concurrency: 4,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['json', 'progress', 'clear-text'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { reportMutants: false, reportTests: false, allowEmojis: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  timeoutMS: 10000,
  ignoreStatic: true,
  plugins: ['@stryker-mutator/*', './scripts/stryker-log-ignorer.mjs'],
  ignorers: ['log-lines'],
  thresholds: { high: 90, low: 85, break: null },
};
