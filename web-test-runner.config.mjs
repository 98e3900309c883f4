// Web Test Runner: the browser tests (test/**/*.test.ts) in Debian's Chromium (apt-get install -y chromium),
// against the session handler + Cryptopocket simulator mounted in the dev server (test/support/backend.ts).
import { register } from 'tsx/esm/api';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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
      code ??= (await build({ entryPoints: ['qrcode'], bundle: true, format: 'esm', write: false, platform: 'browser', logLevel: 'silent' })).outputFiles[0]
        .text;
      return { body: code, type: 'js' };
    },
  };
}

/**
 * React ships CommonJS only. Its three entry points the React test imports are bundled once, together (one copy of
 * React, or its hooks break), and each is served as an ES module with its real export names.
 */
function reactAsEsm() {
  const entries = { react: 'R', 'react-dom/client': 'C', 'react-dom/server.browser': 'S' };
  const require = createRequire(import.meta.url);
  let bundle;
  return {
    name: 'react-as-esm',
    resolveImport({ source }) {
      if (source in entries) return `/__esm/${source}.js`;
    },
    async serve(context) {
      if (context.path === '/__esm/bundle.js') {
        bundle ??= (
          await build({
            stdin: {
              contents: Object.entries(entries)
                .map(([id, name]) => `import * as ${name} from '${id}'; export { ${name} };`)
                .join('\n'),
              resolveDir: process.cwd(),
            },
            bundle: true,
            format: 'esm',
            write: false,
            platform: 'browser',
            define: { 'process.env.NODE_ENV': '"development"' },
            logLevel: 'silent',
          })
        ).outputFiles[0].text;
        return { body: bundle, type: 'js' };
      }
      const id = Object.keys(entries).find((source) => context.path === `/__esm/${source}.js`);
      if (!id) return;
      // the export names, read in Node from the production build (the development build patches the console, which the
      // runner's own console proxy does not survive); both builds export the same names
      const env = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      const names = Object.keys(require(id)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
      if (env === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = env;
      const name = entries[id];
      const body = `import { ${name} } from '/__esm/bundle.js'; const m = ${name}.default ?? ${name}; export default m; export const { ${names.join(', ')} } = m;`;
      return { body, type: 'js' };
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

// A page served under a strict Content-Security-Policy with Trusted Types enforced (test/element/csp.test.ts).
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types lit-html";
const PROBE = "window.violations = []; document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));";
function cspPage(variant, operationId) {
  const scripts = { iife: '<script src="/dist/cryptopocket-ramp.iife.js"></script>', classic: '<script src="/dist/classic/cryptopocket-ramp.js"></script>' };
  const script = scripts[variant] ?? '<script type="module" src="/dist/cryptopocket-ramp.bundle.js"></script>';
  // the negative control: an inline script and an inline style attribute, both forbidden by this policy
  const control = variant === 'control' ? '<script>window.inlineRan = true</script><p style="color: red">inline style</p>' : '';
  return `<!doctype html><html lang="en"><head><script src="/csp/probe.js"></script>${script}</head><body>${control}<cryptopocket-ramp session-url="/session/eu" mode="offramp" operation-id="${operationId}"></cryptopocket-ramp></body></html>`;
}

// A merchant's page that loads the built files from another origin, as from a CDN (test/element/cdn.test.ts): the page
// is served at localhost, the files at 127.0.0.1 (another origin), with the CORS header public CDNs send.
const integrity = () => JSON.parse(readFileSync(new URL('./dist/integrity.json', import.meta.url), 'utf8'));
/** The import map that pins every chunk by its hash (dist/integrity.json, keys prefixed with where dist/ is served). */
function importMap(cdn, alter = (hash, _file) => hash) {
  const pinned = Object.fromEntries(Object.entries(integrity()).map(([file, hash]) => [`${cdn}/dist/${file}`, alter(hash, file)]));
  return `<script type="importmap">${JSON.stringify({ integrity: pinned })}</script>`;
}

function cdnPage(variant) {
  const cdn = `http://127.0.0.1:${port}`;
  const scripts = {
    classic: `<script src="${cdn}/dist/classic/cryptopocket-ramp.js"></script>`,
    'classic-cors': `<script src="${cdn}/dist/classic/cryptopocket-ramp.js" crossorigin="anonymous"></script>`,
    // the script is there, its chunks are not (a CDN that lost them): the widget must say so, not spin
    'missing-chunks': `<script src="/cdn-missing/cryptopocket-ramp.js"></script>`,
    bundle: `<script type="module" src="${cdn}/dist/cryptopocket-ramp.bundle.js"></script>`,
    // Subresource Integrity as the README shows it: the entry's hash on its tag, the chunks' in an import map
    'bundle-sri': `${importMap(cdn)}<script type="module" src="${cdn}/dist/cryptopocket-ramp.bundle.js" integrity="${integrity()['cryptopocket-ramp.bundle.js']}" crossorigin="anonymous"></script>`,
    'classic-sri': `${importMap(cdn)}<script src="${cdn}/dist/classic/cryptopocket-ramp.js" integrity="${integrity()['classic/cryptopocket-ramp.js']}" crossorigin="anonymous"></script>`,
    // a CDN that serves altered chunks: the hashes no longer match, and the browser must refuse them
    'bundle-sri-tampered': `${importMap(cdn, (hash, file) => (file.includes('chunks/') ? hash.replace(/^sha384-./, (m) => (m.endsWith('A') ? 'sha384-B' : 'sha384-A')) : hash))}<script type="module" src="${cdn}/dist/cryptopocket-ramp.bundle.js"></script>`,
  };
  return `<!doctype html><html lang="en"><head>${scripts[variant] ?? scripts.classic}</head><body><cryptopocket-ramp session-url="/session/eu-seller" mode="offramp" lock-mode></cryptopocket-ramp></body></html>`;
}

export default {
  files: ['test/**/*.test.ts', '!test/**/*.node.test.ts'],
  port,
  nodeResolve: { exportConditions: ['development'], browser: true },
  concurrency: 2,
  plugins: [qrcodeAsEsm(), reactAsEsm(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
  middleware: [
    async (ctx, next) => {
      if (ctx.path === '/csp/probe.js') {
        ctx.type = 'js';
        ctx.body = PROBE;
        return;
      }
      if (ctx.path === '/cdn/page.html') {
        ctx.type = 'html';
        ctx.body = cdnPage(String(ctx.query.variant ?? 'classic'));
        return;
      }
      if (ctx.path.startsWith('/dist/')) {
        // the built files exactly as a CDN would serve them: no dev-server transform (their SRI hashes must hold)
        ctx.set('access-control-allow-origin', '*');
        const file = new URL(`.${ctx.path}`, import.meta.url);
        if (/^\/dist\/[\w./-]+\.(js|json)$/.test(ctx.path) && !ctx.path.includes('..') && existsSync(file)) {
          ctx.type = ctx.path.endsWith('.json') ? 'json' : 'js';
          ctx.body = readFileSync(file);
          return;
        }
      }
      if (ctx.path === '/cdn-missing/cryptopocket-ramp.js') {
        ctx.type = 'js';
        ctx.body = readFileSync(new URL('./dist/classic/cryptopocket-ramp.js', import.meta.url), 'utf8');
        return;
      }
      if (ctx.path === '/csp/page.html') {
        ctx.set('content-security-policy', CSP);
        ctx.type = 'html';
        ctx.body = cspPage(String(ctx.query.variant ?? 'bundle'), String(ctx.query.op ?? '').replace(/[^A-Za-z0-9]/g, ''));
        return;
      }
      return next();
    },
    async (ctx, next) => {
      if (!ctx.path.startsWith('/session/') && !ctx.path.startsWith('/_simulator/') && !ctx.path.startsWith('/_backend/')) return next();
      ctx.respond = false;
      await listener(ctx.req, ctx.res);
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  // Lit's development build (used in tests, with extra checks) announces itself once per file
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  reporters: [defaultReporter(), summaryReporter()],
  testFramework: { config: { timeout: 8000 } },
};
