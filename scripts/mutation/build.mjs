// Stryker's build step, run inside its sandbox after the source is instrumented: each Node test file of the mutation
// run becomes one plain ES module, the instrumented source bundled in and packages left to node_modules. `node:test`
// is replaced by scripts/mutation/harness.mjs, so that importing a bundle registers its tests for the runner
// (scripts/mutation/runner.mjs) instead of running them.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { MUTATION_TESTS, bundled } from '../../stryker.config.mjs';

const harness = fileURLToPath(new URL('./harness.mjs', import.meta.url));

/** @type {import('esbuild').Plugin} */
const nodeTest = {
  name: 'node-test-harness',
  setup(b) {
    b.onResolve({ filter: /^node:test$/ }, () => ({ path: harness }));
  },
};

await Promise.all(
  MUTATION_TESTS.map((file) =>
    build({
      entryPoints: [file],
      outfile: bundled(file),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      plugins: [nodeTest],
      // the runner clears what a test file left running once it has run (scripts/mutation/runner.mjs)
      define: { setTimeout: 'globalThis.__mutationTimers.setTimeout', setInterval: 'globalThis.__mutationTimers.setInterval' },
      sourcemap: false,
      logLevel: 'warning',
    }),
  ),
);
