// A Stryker test runner for the Node tests (`testRunner: 'node-test'` in stryker.config.mjs), in Stryker's own worker
// process. Each run imports fresh copies of the test files' bundles (scripts/mutation/build.mjs), with the mutant
// already active, so module state starts clean and a mutant in code that runs at load is in effect too; their tests
// register with scripts/mutation/harness.mjs and this runner runs only those that reach the mutant, stopping at the
// first failure. The tap runner did the same per file, in a new Node process each time (about 0.35 s to start on
// this machine, before any test): here a mutant costs the tests that reach it.
//
// The order node:test follows is kept: `before` hooks once before a suite's first test, `beforeEach` from the outside
// in, `afterEach` from the inside out, `after` hooks once after the suite (also after a failure), and an error thrown
// or rejected while a test runs (even outside its promise) fails that test.
import { pathToFileURL } from 'node:url';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import { DryRunStatus, MutantRunStatus, TestStatus } from '@stryker-mutator/api/test-runner';

const KEY = Symbol.for('cryptopocket-ramp.mutation-harness');
const NS = '__stryker__';

/** Errors thrown or rejected outside any promise a test awaits: they fail the test running at the time. */
let stray = undefined;
const onStray = (error) => void stray?.push(error);
process.on('uncaughtException', onStray);
process.on('unhandledRejection', onStray);

/**
 * The timers the bundles set (scripts/mutation/build.mjs routes their setTimeout and setInterval here), cleared once a
 * test file has run, as the end of its process would under `node --test`: a poll that a mutant keeps from stopping, or
 * an interval it never clears, would otherwise go on in the worker, and an error it throws later would fail a test of
 * another file or another mutant's run.
 */
const live = new Set();
globalThis.__mutationTimers = {
  setTimeout: (fn, ms, ...args) => {
    const timer = setTimeout(fn, ms, ...args);
    live.add(timer);
    return timer;
  },
  setInterval: (fn, ms, ...args) => {
    const timer = setInterval(fn, ms, ...args);
    live.add(timer);
    return timer;
  },
};
const clearTimers = () => {
  for (const timer of live) clearTimeout(timer);
  live.clear();
};

/** @param {unknown} error */
const describeError = (error) => (error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : JSON.stringify(error));

/**
 * One test file, imported afresh.
 * @param {string} file the test file, as named in stryker.config.mjs
 * @param {string} bundle its bundle in the sandbox
 * @param {number} run a number that makes the import new
 */
async function load(file, bundle, run) {
  const url = pathToFileURL(path.resolve(bundle));
  url.search = `?run=${run}`;
  await import(url.href);
  const root = globalThis[KEY].root;
  /** @type {Map<string, any>} */
  const byId = new Map();
  const visit = (node, names) => {
    for (const child of node.children) {
      const trail = [...names, child.name];
      if ('children' in child) visit(child, trail);
      else {
        const base = [file, ...trail].join(' › ');
        let id = base;
        for (let n = 2; byId.has(id); n += 1) id = `${base} (${n})`;
        child.id = id;
        byId.set(id, child);
      }
    }
  };
  visit(root, []);
  return { root, byId };
}

/** The suites from the root to the test's own, outermost first. */
const suitesOf = (test) => {
  const chain = [];
  for (let s = test.parent; s; s = s.parent) chain.unshift(s);
  return chain;
};

/** A test (or hook) that ran past its time: with a mutant active, the mutant timed out. */
class TimedOut extends Error {}

/** Where the dry run leaves each test's time, for the budgets of the mutant runs (in the sandbox). */
const DURATIONS = '.mutate-build/durations.json';

/**
 * How long a test may take with a mutant active: three times its time without one, and 2 s more. The dry run times
 * the tests in one worker while the machine is otherwise idle; the mutant runs share the 2 cores four ways, so a test
 * takes about twice as long there without any mutant's help. A mutant that makes a test wait on something that never
 * comes times out here, without waiting out Stryker's timeout for the whole run and the restart of the worker after it.
 */
const budget = (ms) => 3 * ms + 2000;

/** A test quicker than this (in the dry run) runs in the first pass of a mutant run. */
const QUICK_MS = 100;

/** A hook's budget: hooks start and stop servers, which take a moment, never seconds. */
const HOOK_BUDGET = 5000;

/**
 * Awaits fn(), failing on its timeout or on a stray error that arrives meanwhile.
 * @returns {Promise<unknown>} the error, or undefined
 */
async function guarded(fn, timeout) {
  stray = [];
  let timer;
  try {
    const failed = new Promise((_, reject) => {
      if (timeout !== undefined && Number.isFinite(timeout))
        timer = setTimeout(() => reject(new TimedOut(`timed out after ${Math.round(timeout)} ms`)), timeout);
    });
    await Promise.race([Promise.resolve().then(fn), failed]);
    // Let errors already queued (an unawaited rejection, a throw in a callback due now) reach this test.
    await new Promise((resolve) => setImmediate(resolve));
    return stray.length ? stray[0] : undefined;
  } catch (error) {
    return error;
  } finally {
    clearTimeout(timer);
    stray = undefined;
  }
}

/**
 * Runs the chosen tests of one file in document order with their hooks.
 * @param {{ root: any, byId: Map<string, any> }} loaded
 * @param {Set<string> | undefined} chosen test ids, or every test
 * @param {{ bail: boolean, ns: any, hookId: (suite: any) => string }} options
 * @returns {Promise<{ id: string, name: string, status: string, failureMessage?: string, timeSpentMs: number }[]>}
 */
async function runFile(loaded, chosen, { bail, ns, hookId, durations }) {
  const results = [];
  // budgets only once the dry run has given the times (the dry run itself runs unbounded)
  const hookLimit = durations ? HOOK_BUDGET : undefined;
  const limit = (test) => {
    const own = durations?.[test.id];
    const mine = own === undefined ? undefined : budget(own);
    return test.timeout === undefined ? mine : mine === undefined ? test.timeout : Math.min(test.timeout, mine);
  };
  const wanted = (test) => chosen === undefined || chosen.has(test.id);
  const count = (node) => ('children' in node ? node.children.reduce((sum, child) => sum + count(child), 0) : wanted(node) ? 1 : 0);
  const fail = (test, error, started) =>
    results.push({
      id: test.id,
      name: test.id,
      status: TestStatus.Failed,
      failureMessage: describeError(error),
      timeSpentMs: Date.now() - started,
      timedOut: error instanceof TimedOut,
    });
  let stop = false;

  const runTest = async (test) => {
    const started = Date.now();
    if (test.skip) return void results.push({ id: test.id, name: test.id, status: TestStatus.Skipped, timeSpentMs: 0 });
    ns.currentTestId = test.id;
    const chain = suitesOf(test);
    let error;
    for (const suite of chain) for (const hook of suite.hooks.beforeEach) if (!error) error = await guarded(hook, hookLimit);
    const context = { name: test.name, diagnostic() {} };
    if (!error) error = await guarded(() => test.fn(context), limit(test));
    for (const suite of chain.reverse()) for (const hook of suite.hooks.afterEach) error ??= await guarded(hook, hookLimit);
    ns.currentTestId = undefined;
    if (error !== undefined) {
      fail(test, error, started);
      if (bail) stop = true;
    } else results.push({ id: test.id, name: test.id, status: TestStatus.Success, timeSpentMs: Date.now() - started });
  };

  const runSuite = async (suite) => {
    if (count(suite) === 0) return;
    ns.currentTestId = hookId(suite);
    let error;
    for (const hook of suite.hooks.before) if (!error) error = await guarded(hook, hookLimit);
    ns.currentTestId = undefined;
    for (const child of suite.children) {
      if (stop) break;
      if ('children' in child) await runSuite(child);
      else if (!wanted(child)) continue;
      else if (error !== undefined) {
        fail(child, error, Date.now());
        if (bail) stop = true;
      } else await runTest(child);
    }
    ns.currentTestId = hookId(suite);
    for (const hook of suite.hooks.after) {
      const afterError = await guarded(hook, hookLimit);
      if (afterError !== undefined && !results.some((r) => r.status === TestStatus.Failed)) {
        const last = results.at(-1);
        if (last) Object.assign(last, { status: TestStatus.Failed, failureMessage: `after(): ${describeError(afterError)}` });
      }
    }
    ns.currentTestId = undefined;
  };

  await runSuite(loaded.root);
  return results;
}

export class NodeTestRunner {
  static inject = tokens(commonTokens.options, commonTokens.logger);

  /** @param {any} options @param {import('@stryker-mutator/api/logging').Logger} log */
  constructor(options, log) {
    this.log = log;
    /** @type {{ file: string, bundle: string }[]} */
    this.files = options.nodeTest.files;
    this.runs = 0;
  }

  /** The dry run's time per test (read once per worker), or undefined before there was one. */
  durations() {
    if (this.timings === undefined) {
      try {
        this.timings = JSON.parse(readFileSync(DURATIONS, 'utf8'));
      } catch {
        this.timings = null;
      }
    }
    return this.timings ?? undefined;
  }

  capabilities() {
    return { reloadEnvironment: true };
  }

  /** The Stryker namespace, reset for a run. */
  namespace(activeMutant, hitLimit) {
    const ns = (globalThis[NS] = {});
    ns.activeMutant = activeMutant;
    if (hitLimit !== undefined) {
      ns.hitLimit = hitLimit;
      ns.hitCount = 0;
    }
    return ns;
  }

  /** Every test, with what each one reaches (coverage per test is the only analysis this runner does). */
  async dryRun() {
    const ns = this.namespace(undefined, undefined);
    ns.mutantCoverage = { static: {}, perTest: {} };
    const tests = [];
    const perTest = {};
    const add = (into, from) => {
      for (const [id, hits] of Object.entries(from ?? {})) into[id] = (into[id] ?? 0) + hits;
    };
    try {
      for (const { file, bundle } of this.files) {
        // What runs as the file loads, or in a suite's before/after hooks, is there for each of the tests after it.
        ns.mutantCoverage.static = {};
        const loaded = await load(file, bundle, (this.runs += 1));
        const atLoad = ns.mutantCoverage.static;
        ns.mutantCoverage.static = {};
        let hooks = 0;
        const hookId = (suite) => (suite.hookId ??= `${file} › hooks #${(hooks += 1)}`);
        const results = await runFile(loaded, undefined, { bail: false, ns, hookId });
        clearTimers();
        for (const result of results) {
          const test = loaded.byId.get(result.id);
          const coverage = { ...ns.mutantCoverage.perTest[result.id] };
          add(coverage, atLoad);
          add(coverage, ns.mutantCoverage.static);
          for (const suite of suitesOf(test)) add(coverage, ns.mutantCoverage.perTest[hookId(suite)]);
          perTest[result.id] = coverage;
          tests.push({ ...result, fileName: file });
        }
      }
    } catch (error) {
      return { status: DryRunStatus.Error, errorMessage: describeError(error) };
    }
    writeFileSync(DURATIONS, JSON.stringify(Object.fromEntries(tests.map((test) => [test.id, test.timeSpentMs]))));
    return { status: DryRunStatus.Complete, tests, mutantCoverage: { static: {}, perTest } };
  }

  /** @param {import('@stryker-mutator/api/test-runner').MutantRunOptions} options */
  async mutantRun(options) {
    const started = Date.now();
    const result = await this.run(options);
    if (process.env.MUTATION_TRACE)
      appendFileSync(
        process.env.MUTATION_TRACE,
        `${JSON.stringify({ id: options.activeMutant.id, file: options.activeMutant.fileName, ms: Date.now() - started, status: result.status, tests: result.nrOfTests, filter: options.testFilter?.length, timeout: options.timeout })}\n`,
      );
    return result;
  }

  /** @param {import('@stryker-mutator/api/test-runner').MutantRunOptions} options */
  async run(options) {
    const ns = this.namespace(options.activeMutant.id, options.hitLimit);
    const durations = this.durations();
    // the quick tests of every file first, then the slow ones (timers, generated cases): most mutants die in a quick one
    const quick = (id) => (durations?.[id] ?? 0) < QUICK_MS;
    const passes = options.testFilter ? [new Set(options.testFilter.filter(quick)), new Set(options.testFilter.filter((id) => !quick(id)))] : [undefined];
    let ran = 0;
    try {
      for (const chosen of passes) {
        if (chosen?.size === 0) continue;
        const files = chosen ? this.files.filter(({ file }) => [...chosen].some((id) => id.startsWith(`${file} › `))) : this.files;
        for (const { file, bundle } of files) {
          let loaded;
          try {
            loaded = await load(file, bundle, (this.runs += 1));
          } catch (error) {
            // The file does not even load with this mutant: node --test would fail it.
            const killer = options.testFilter?.find((id) => id.startsWith(`${file} › `)) ?? file;
            return { status: MutantRunStatus.Killed, killedBy: [killer], failureMessage: `loading ${file}: ${describeError(error)}`, nrOfTests: ran };
          }
          const results = await runFile(loaded, chosen, { bail: !options.disableBail, ns, hookId: () => undefined, durations });
          clearTimers();
          ran += results.length;
          if (ns.hitLimit !== undefined && ns.hitCount > ns.hitLimit)
            return { status: MutantRunStatus.Timeout, reason: `Hit limit reached (${ns.hitCount}/${ns.hitLimit})` };
          const failed = results.filter((r) => r.status === TestStatus.Failed);
          const late = failed.find((r) => r.timedOut);
          if (late) return { status: MutantRunStatus.Timeout, reason: `${late.id}: ${late.failureMessage}` };
          if (failed.length)
            return {
              status: MutantRunStatus.Killed,
              killedBy: failed.map((r) => r.id),
              failureMessage: failed[0].failureMessage,
              nrOfTests: ran,
            };
        }
      }
    } catch (error) {
      if (ns.hitLimit !== undefined && ns.hitCount > ns.hitLimit)
        return { status: MutantRunStatus.Timeout, reason: `Hit limit reached (${ns.hitCount}/${ns.hitLimit})` };
      return { status: MutantRunStatus.Error, errorMessage: describeError(error) };
    }
    return { status: MutantRunStatus.Survived, nrOfTests: ran };
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'node-test', NodeTestRunner)];

export const strykerValidationSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'NodeTestRunnerOptions',
  type: 'object',
  properties: {
    nodeTest: {
      type: 'object',
      properties: { files: { type: 'array', items: { type: 'object' } } },
      required: ['files'],
    },
  },
};
