// Mutation testing of the money- and safety-critical code: `npm run mutate` (scripts/mutate.mjs prints the score per
// folder). Equivalent mutants are disabled in the source with their reason; the script lists them in
// stryker.equivalent.md.

/**
 * The Node test files that judge the mutants. For each mutant, the runner (scripts/mutation/runner.mjs) runs only the
 * tests that reach its code, in this order, and stops at the first failure; the load, Redis, demo and rendering tests
 * add time, not kills.
 */
export const MUTATION_TESTS = [
  // quick tests that reach much first: most mutants die in them
  'test/lib/logic.node.test.ts',
  'test/lib/protocol.node.test.ts',
  'test/server/http.node.test.ts',
  'test/server/redis-client.node.test.ts',
  'test/server/store.node.test.ts',
  'test/server/context.node.test.ts',
  'test/server/upstream-map.node.test.ts',
  'test/server/api.node.test.ts',
  'test/server/upstream.node.test.ts',
  'test/server/follower.node.test.ts',
  'test/server/ledger.node.test.ts',
  'test/server/reconcile.node.test.ts',
  ...['creates', 'api', 'input', 'users', 'webhooks', 'safety', 'routes'].map((name) => `test/server/handler-${name}.node.test.ts`),
  'test/server/activity.node.test.ts',
  'test/server/events.node.test.ts',
  'test/server/register.node.test.ts',
  'test/server/simulator.node.test.ts',
  // then the slower ones: timers, retries, generated cases
  'test/lib/session-client.node.test.ts',
  ...['limits', 'status', 'webhooks', 'creates'].map((name) => `test/server/faults-${name}.node.test.ts`),
  ...['keccak', 'sha256', 'sse', 'iban', 'base58', 'amounts'].map((name) => `test/lib/differential-${name}.node.test.ts`),
];

/**
 * Survivors judged equivalent: they change nothing a user, a merchant or the API can observe, and they share their
 * line with mutants the tests kill (a `// Stryker disable` comment would hide those as well). `npm run mutate` matches
 * them to the report by place, mutator and replacement, lists them with their reason in stryker.equivalent.md and
 * names any entry that no longer matches a survivor.
 */
export const EQUIVALENT = [];

/** Where scripts/mutation/build.mjs writes a test file's bundle inside the sandbox. */
export const bundled = (file) => `.mutate-build/${file.replace(/\.ts$/, '.mjs')}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['src/server/**/*.ts', 'src/lib/**/*.ts'],
  buildCommand: 'node scripts/mutation/build.mjs',
  testRunner: 'node-test',
  nodeTest: {
    files: (process.env.MUTATE_TESTS?.split(',') ?? MUTATION_TESTS).map((file) => ({ file, bundle: bundled(file) })),
  },
  // Each run imports fresh copies of the test files (about 1 MB each stays in memory): a new worker every 300 runs.
  maxTestRunnerReuse: 300,
  // A mutant TypeScript rejects is a compile error, not a result: our checker (scripts/mutation/checker.mjs) checks the
  // mutated file, and its importers when the types of its exports change.
  checkers: ['ts-file'],
  tsconfigFile: 'tsconfig.mutate.json',
  coverageAnalysis: 'perTest',
  concurrency: 4,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['json', 'progress', 'clear-text'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { reportMutants: false, reportTests: false, allowEmojis: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Stryker's timeout for a whole mutant run: 5 s and 3 times its tests' dry-run time. At Stryker's 1.5 a survivor of
  // a file many tests reach (every test runs for a survivor) ran out of time on the busy machine and counted as
  // detected; a mutant that really hangs is caught earlier, by the runner's budget per test or by the hit limit.
  timeoutMS: 5000,
  timeoutFactor: 3,
  ignoreStatic: true,
  plugins: ['@stryker-mutator/*', './scripts/mutation/runner.mjs', './scripts/mutation/checker.mjs', './scripts/mutation/log-ignorer.mjs'],
  ignorers: ['log-lines'],
  thresholds: { high: 90, low: 85, break: null },
};
