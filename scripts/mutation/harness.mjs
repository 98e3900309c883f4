// `node:test` for the mutation runner (scripts/mutation/runner.mjs): the part of its API the Node tests use
// (describe, it, test, before, after, beforeEach, afterEach, the options skip and timeout, t.diagnostic), which
// registers the tests instead of running them. scripts/mutation/build.mjs bundles it in place of `node:test`; each
// import of a test file's bundle hands its tree to the runner, which runs only the tests that reach a mutant, as many
// times as it needs, in one process.

/** Where the runner picks up the tree of the bundle it just imported. */
const KEY = Symbol.for('cryptopocket-ramp.mutation-harness');

/** @typedef {{ skip?: boolean | string, timeout?: number }} Options */

class Suite {
  /** @param {string} name @param {Suite | undefined} parent @param {Options} options */
  constructor(name, parent, options = {}) {
    this.name = name;
    this.parent = parent;
    this.skip = Boolean(options.skip) || Boolean(parent?.skip);
    this.timeout = options.timeout ?? parent?.timeout;
    /** @type {(Suite | Test)[]} */
    this.children = [];
    /** @type {Record<'before' | 'after' | 'beforeEach' | 'afterEach', Function[]>} */
    this.hooks = { before: [], after: [], beforeEach: [], afterEach: [] };
  }
}

class Test {
  /** @param {string} name @param {Suite} parent @param {Options} options @param {Function} fn */
  constructor(name, parent, options, fn) {
    this.name = name;
    this.parent = parent;
    this.skip = Boolean(options.skip) || parent.skip;
    this.timeout = options.timeout ?? parent.timeout;
    this.fn = fn;
  }
}

const root = new Suite('', undefined);
let current = root;
(globalThis[KEY] ??= {}).root = root;

/** node:test's (name?, options?, fn?) in any of its shapes. */
function parse(args) {
  let name = '';
  let options = {};
  let fn = () => {};
  for (const arg of args) {
    if (typeof arg === 'string') name = arg;
    else if (typeof arg === 'function') fn = arg;
    else if (arg && typeof arg === 'object') options = arg;
  }
  return { name: name || fn.name || '<anonymous>', options, fn };
}

export function describe(...args) {
  const { name, options, fn } = parse(args);
  const suite = new Suite(name, current, options);
  current.children.push(suite);
  const outer = current;
  current = suite;
  try {
    const result = fn();
    if (result && typeof result.then === 'function') throw new Error(`describe("${name}"): an async body is not supported`);
  } finally {
    current = outer;
  }
}

export function it(...args) {
  const { name, options, fn } = parse(args);
  current.children.push(new Test(name, current, options, fn));
}

export const test = it;
export const suite = describe;

const hook = (kind) => (fn) => void current.hooks[kind].push(fn);
export const before = hook('before');
export const after = hook('after');
export const beforeEach = hook('beforeEach');
export const afterEach = hook('afterEach');

export default test;
