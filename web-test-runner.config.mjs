// Web Test Runner: the browser tests (test/**/*.test.ts) in Debian's Chromium (apt-get install -y chromium),
// against the session handler + Cryptopocket simulator mounted in the dev server (test/support/backend.ts).
import { register } from 'tsx/esm/api';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { build } from 'esbuild';

/**
 * qrcode ships CommonJS only: serve it to the browser as one ES module bundled by esbuild
 * (as Vite does in the real build), with the package's own `default` export.
 */
function qrcodeAsEsm() {
  let code;
  return {
    name: 'qrcode-as-esm',
    resolveImport({ source }) {
      if (source === 'qrcode') return '/__qrcode.js';
    },
    async serve(context) {
      if (context.path !== '/__qrcode.js') return;
      code ??= (await build({ entryPoints: ['qrcode'], bundle: true, format: 'esm', write: false, platform: 'browser', logLevel: 'silent' })).outputFiles[0].text;
      return { body: code, type: 'js' };
    },
  };
}

register();
const { createTestBackend } = await import('./test/support/backend.ts');
const { toNodeListener } = await import('./src/server/node.ts');

const port = Number(process.env.WTR_PORT ?? 8765);
const backend = createTestBackend(`http://localhost:${port}`);
const listener = toNodeListener(backend.handle);

// prints one plain closing line, "wtr: N passed, N failed, N skipped", for CI logs
function summaryReporter() {
  const count = (suite, acc) => {
    for (const t of suite?.tests ?? []) acc[t.skipped ? 'skipped' : t.passed ? 'passed' : 'failed']++;
    for (const s of suite?.suites ?? []) count(s, acc);
    return acc;
  };
  return {
    stop({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const s of sessions) {
        count(s.testResults, acc);
        if (!s.passed && s.errors?.length) acc.failed++; // a file that failed to load or threw outside a test
      }
      process.once('exit', () => console.log(`wtr: ${acc.passed} passed, ${acc.failed} failed, ${acc.skipped} skipped`));
    },
  };
}

export default {
  files: ['test/**/*.test.ts', '!test/**/*.node.test.ts'],
  port,
  nodeResolve: { exportConditions: ['development'], browser: true },
  concurrency: 2,
  plugins: [qrcodeAsEsm(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
  middleware: [
    async (ctx, next) => {
      if (!ctx.path.startsWith('/session/') && !ctx.path.startsWith('/_simulator/')) return next();
      ctx.respond = false;
      await listener(ctx.req, ctx.res);
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
  // Lit's development build (used in tests, with extra checks) announces itself once per file
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  reporters: [defaultReporter(), summaryReporter()],
  testFramework: { config: { timeout: 8000 } },
};
