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
  'test/controllers/create-controller.node.test.ts',
  // then the slower ones: timers, retries, generated cases
  'test/lib/session-client.node.test.ts',
  ...['limits', 'status', 'webhooks', 'creates'].map((name) => `test/server/faults-${name}.node.test.ts`),
  ...['keccak', 'sha256', 'sse', 'iban', 'base58', 'amounts'].map((name) => `test/lib/differential-${name}.node.test.ts`),
  // last: its tests wait on the controller's timers, so a mutant of the libraries it uses should die in another first
  'test/controllers/status-controller.node.test.ts',
];

/**
 * Survivors judged equivalent: they change nothing a user, a merchant or the API can observe, and they share their
 * line with mutants the tests kill (a `// Stryker disable` comment would hide those as well). `npm run mutate` matches
 * them to the report by place, mutator and replacement, lists them with their reason in stryker.equivalent.md and
 * names any entry that no longer matches a survivor.
 */
export const EQUIVALENT = [
  {
    at: 'src/server/ledger.ts:76',
    mutator: 'StringLiteral',
    replacement: '""',
    reason: "the error's name is never shown, logged or compared; `instanceof ClaimConflict` is what the ledger checks",
  },
  {
    at: 'src/server/ledger.ts:99',
    mutator: 'ConditionalExpression',
    replacement: 'true',
    reason: 'with a record already there, the claim (setIfAbsent) fails and the record is read again: the same answer, one store call more',
  },
  {
    at: 'src/server/ledger.ts:205',
    mutator: 'BooleanLiteral',
    replacement: 'true',
    reason: 'a record carrying `found` always carries `sent` (both are written by the same `set`); the default is never used',
  },
  {
    at: 'src/server/ledger.ts:234',
    mutator: 'ConditionalExpression',
    replacement: 'true',
    reason: "the finished run's `finally` runs before any waiter resumes (its `await` on the run came first), so the entry is still this run",
  },
  {
    at: 'src/server/ledger.ts:266',
    mutator: 'EqualityOperator',
    replacement: 'status > 500',
    reason: '`describeFailure` answers no upstream failure with exactly 500 (502, 503 and 504 only)',
  },
  {
    at: 'src/server/follower.ts:95',
    mutator: 'StringLiteral',
    replacement: '""',
    reason: 'the value of a `change:` claim is never read; only whether the claim was new',
  },
  {
    at: 'src/server/follower.ts:119',
    mutator: 'ConditionalExpression',
    replacement: 'false',
    reason: 'after close() an entry is no longer followed, and the next poll returns on that check (line 127) before any read',
  },
  {
    at: 'src/server/follower.ts:127',
    mutator: 'ConditionalExpression',
    replacement: 'false',
    reason: 'a poll scheduled after close() is already refused by the closed check (line 119); no other timer outlives its entry',
  },
  {
    at: 'src/server/follower.ts:134',
    mutator: 'StringLiteral',
    replacement: '""',
    reason: 'the value of the poll lock is never read; only whether it was taken',
  },
  {
    at: 'src/server/routes/events.ts:15',
    mutator: 'StringLiteral',
    replacement: '"Stryker was here!"',
    reason: 'a missing id fails the id pattern with either default',
  },
  {
    at: 'src/server/routes/events.ts:34',
    mutator: 'ConditionalExpression',
    replacement: 'false',
    reason: 'close() unsubscribes first: no change reaches send() after it',
  },
  {
    at: 'src/server/routes/events.ts:41',
    mutator: 'ConditionalExpression',
    replacement: 'false',
    reason:
      'a second close() repeats only steps that are each idempotent (unsubscribe, unfollow, the stream count, clearInterval, a close that throws and is caught)',
  },
  {
    at: 'src/server/routes/events.ts:42',
    mutator: 'BooleanLiteral',
    replacement: 'false',
    reason: 'the flag guards send() and the keep-alive, neither of which runs after close() (unsubscribed, interval cleared)',
  },
  {
    at: 'src/server/routes/events.ts:60',
    mutator: 'OptionalChaining',
    replacement: 'request.signal.addEventListener',
    reason: 'a Fetch API Request always has a signal',
  },
  {
    at: 'src/server/routes/events.ts:60',
    mutator: 'ObjectLiteral',
    replacement: '{}',
    reason: 'close() is idempotent, so listening more than once changes nothing',
  },
  {
    at: 'src/server/routes/events.ts:60',
    mutator: 'BooleanLiteral',
    replacement: 'false',
    reason: 'close() is idempotent, so listening more than once changes nothing',
  },
  {
    at: 'src/server/limits.ts:64',
    mutator: 'ConditionalExpression',
    replacement: 'true',
    reason: "a user's count kept at 0 instead of deleted: the same count of open streams, a map entry more",
  },
  {
    at: 'src/server/limits.ts:64',
    mutator: 'EqualityOperator',
    replacement: 'left >= 0',
    reason: "a user's count kept at 0 instead of deleted: the same count of open streams, a map entry more",
  },
  {
    at: 'src/server/store.ts:56',
    mutator: 'BlockStatement',
    replacement: '{}',
    reason: "the guard's timer, left running, rejects a promise the race has already settled; only the process's exit waits for it",
  },
  {
    at: 'src/server/store.ts:106',
    mutator: 'EqualityOperator',
    replacement: 'this.entries.size % 256 === 0',
    reason: 'how often expired entries are swept: memory only, as get() and setIfAbsent() check the expiry themselves',
  },
  {
    at: 'src/server/store.ts:106',
    mutator: 'ConditionalExpression',
    replacement: 'false',
    reason:
      'sweeping on every write: memory and a little time only, as get() and setIfAbsent() check the expiry themselves (a loaded run may count it or its twin above as timed out in a timing-bound fault test)',
  },
  {
    at: 'src/server/store.ts:108',
    mutator: 'EqualityOperator',
    replacement: 'entry.expires < now',
    reason: 'an entry at its expiry millisecond swept or not: get() and setIfAbsent() treat it as expired either way',
  },
  {
    at: 'src/server/bus.ts:24',
    mutator: 'ConditionalExpression',
    replacement: 'false',
    reason: 'an empty listener set kept for an operation: memory only, publishing to it reaches nobody',
  },
  {
    at: 'src/server/context.ts:162',
    mutator: 'StringLiteral',
    replacement: '"Stryker was here!"',
    reason: 'split() always returns at least one part, so the first default is never used',
  },
  {
    at: 'src/server/routes/activity.ts:84',
    mutator: 'StringLiteral',
    replacement: '"Stryker was here!"',
    reason: 'the cursor pattern guarantees both parts, so neither default is used',
  },
  {
    at: 'src/server/routes/activity.ts:84',
    mutator: 'StringLiteral',
    replacement: '""',
    reason: 'the cursor pattern guarantees both parts, so neither default is used',
  },
  { at: 'src/server/routes/register.ts:19', mutator: 'MethodExpression', replacement: 'typed', reason: 'the value is trimmed again on the next line' },
  {
    at: 'src/server/routes/register.ts:29',
    mutator: 'StringLiteral',
    replacement: '""',
    reason: 'the value of the registration lock is never read; only whether it was taken',
  },
  {
    at: 'src/server/routes/webhooks.ts:32',
    mutator: 'StringLiteral',
    replacement: '"Stryker was here!"',
    reason: 'a delivery without a type is unknown with either default',
  },
  {
    at: 'src/server/routes/webhooks.ts:41',
    mutator: 'StringLiteral',
    replacement: '""',
    reason: "the value of a delivery's dedupe claim is never read; only whether it was new",
  },
];

/** Where scripts/mutation/build.mjs writes a test file's bundle inside the sandbox. */
export const bundled = (file) => `.mutate-build/${file.replace(/\.ts$/, '.mjs')}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // the browser's controllers where Node tests reach them: the create controller (the Idempotency-Key of every press)
  // and the status controller (forward only, the fallback to polling)
  mutate: ['src/server/**/*.ts', 'src/lib/**/*.ts', 'src/controllers/create-controller.ts', 'src/controllers/status-controller.ts'],
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
