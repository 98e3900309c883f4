/**
 * `npm run test:examples`: type-checks every app in `examples/` against the package as a merchant installs it — the
 * `npm pack` tarball of the current build, unpacked as `node_modules/cryptopocket-ramp` beside copies of the apps,
 * with the repository's locked dependencies (react, vue, svelte, next…) next to it. Needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const modules = join(root, 'node_modules');
const work = mkdtempSync(join(tmpdir(), 'ramp-examples-'));
const run = (command, args, cwd = root) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

const checks = {
  'react-vite': ['typescript/bin/tsc', '-p', 'tsconfig.json'],
  vue: ['vue-tsc/bin/vue-tsc.js', '-p', 'tsconfig.json'],
  svelte: ['svelte-check/bin/svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human'],
  next: ['typescript/bin/tsc', '-p', 'tsconfig.json'],
};

let failed = 0;
try {
  const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work]));
  const installed = join(work, 'node_modules');
  mkdirSync(installed);
  run('tar', ['-xzf', join(work, filename), '-C', installed]);
  renameSync(join(installed, 'package'), join(installed, 'cryptopocket-ramp'));
  // the locked dependencies, as npm would have installed them beside the package
  for (const name of readdirSync(modules)) {
    if (name === '.bin' || name.startsWith('.') || name === 'cryptopocket-ramp') continue;
    symlinkSync(join(modules, name), join(installed, name));
  }
  cpSync(join(root, 'examples'), join(work, 'examples'), { recursive: true });
  for (const [app, [tool, ...args]] of Object.entries(checks)) {
    const started = Date.now();
    try {
      run(process.execPath, [join(modules, tool), ...args], join(work, 'examples', app));
      console.log(`examples/${app}: types ok against the packed package (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      console.error(`examples/${app}: type errors\n${error.stdout ?? error.message}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
