// Stryker's build step, run inside its sandbox after the source is instrumented: each Node test file of the mutation
// run becomes one plain ES module (the instrumented source bundled in, packages left to node_modules), so a test
// run starts in plain Node instead of compiling TypeScript on every start (about 0.7 s of each run on this machine).
import { build } from 'esbuild';
import { MUTATION_TESTS, bundled } from '../stryker.config.mjs';

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
      sourcemap: false,
      logLevel: 'warning',
    }),
  ),
);
