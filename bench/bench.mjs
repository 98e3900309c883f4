// npm run bench: measures the widget and the session handler side by side and prints one table (markdown).
// Needs a build (npm run build) and Debian's Chromium. Runs only on loopback; every loop is bounded.
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { register } from 'tsx/esm/api';
import { firstLoad } from '../scripts/first-load.mjs';

register();
const { createBackend } = await import('../demo/backend.ts');
const { toNodeListener, createSessionHandler } = await import('../src/server/index.ts');
const { createSimulator } = await import('../src/simulator/index.ts');

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
/** Another build's `dist/` folder (e.g. the previous release's): its first view is measured in turn with this build's. */
const BASELINE = process.env.BENCH_BASELINE;
const AB_RUNS = Number(process.env.BENCH_AB_RUNS ?? 40);
const rows = [];
const row = (what, ours, budget = '', note = '') => rows.push({ what, ours, budget, note });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const gzAll = (files) => files.reduce((n, f) => n + gz(f), 0);

// ── sizes ───────────────────────────────────────────────────────────────
const chunk = readdirSync('dist/chunks').find((f) => f.startsWith('qrcode-'));
const bundleFirst = firstLoad('dist/cryptopocket-ramp.bundle.js');
const moduleFirst = firstLoad('dist/cryptopocket-ramp.js');
const steps = readdirSync('dist/chunks')
  .filter((f) => f.startsWith('steps-'))
  .map((f) => `dist/chunks/${f}`);
const classicFirst = firstLoad('dist/classic/cryptopocket-ramp.js');
row(
  'script-tag file: classic script, first load, min+gzip',
  kb(gzAll(classicFirst)),
  '≤ 20 KB',
  `<script src>; Lit inside; later steps, QR, languages load beside it`,
);
row(
  'script-tag file: self-contained ES module, first load, min+gzip',
  kb(gzAll(bundleFirst)),
  '≤ 20 KB',
  `<script type=module src>; ${bundleFirst.length} file(s), Lit inside`,
);
row(
  'one-file classic script (IIFE: everything inside), min+gzip',
  kb(gz('dist/cryptopocket-ramp.iife.js')),
  '',
  'for pages that can load one file only: all steps, QR, 3 languages',
);
row('ES module without Lit, first load, min+gzip', kb(gzAll(moduleFirst)), '≤ 15 KB', `${moduleFirst.length} file(s)`);
row(
  'later steps chunk (lazy: fetched when the user comes near, or after 2 s idle), min+gzip',
  kb(Math.max(...steps.map(gz))),
  '',
  'payout, wallet, review, deposit, payment, status, KYC, activity',
);
row('QR code chunk (lazy, at the deposit step), min+gzip', kb(gz(`dist/chunks/${chunk}`)), '≤ 12 KB');
// peers: published loader sizes measured on this machine from their npm packages (see shared/TOOLCHAIN.md);
// each excludes the iframe web app it loads at run time
for (const [name, bytes] of [
  ['Ramp Network SDK 6.2.0 (+ iframe app)', 8312],
  ['MoonPay JS 0.7.6 (+ widget from CDN, iframe)', 507],
  ['Transak SDK 4.0.2 (+ iframe app)', 7521],
  ['Stripe crypto 1.1.3 + stripe-js (+ UI from CDN)', 1695],
])
  row(`peer: ${name}, min+gzip`, kb(bytes), '', 'loader only; their UI is a second app in an iframe');

// ── a local server: pages, built files, session handler + simulator ──────
/** One simulated user stands for every load and client here: the per-user rate limits are not what is measured. */
const UNLIMITED = { quotesPerMinute: 1e9, createsPerMinute: 1e9, streamsPerUser: 1e9 };
const backend = createBackend({
  handlerOptions: { limits: UNLIMITED },
  publicOrigin: 'http://127.0.0.1',
  sessions: [
    { basePath: '/session', resolveUser: () => ({ id: 106, region: 'EU' }) },
    { basePath: '/nostream', resolveUser: () => ({ id: 106, region: 'EU' }) },
  ],
  log: () => {},
});
const api = toNodeListener(backend.handle);
const bare = (
  await build({
    stdin: {
      contents:
        "import { LitElement, html } from 'lit'; customElements.define('bare-line', class extends LitElement { render() { return html`<p>Hello</p>`; } });",
      resolveDir: process.cwd(),
    },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
  })
).outputFiles[0].text;
// the first Intl.NumberFormat of the page is timed, to tell the task that starts ICU from the widget's own tasks
const probe = `window.t0 = performance.now(); window.longTasks = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
const NumberFormat = Intl.NumberFormat;
Intl.NumberFormat = new Proxy(NumberFormat, { construct(target, args) { if (window.icu) return Reflect.construct(target, args); const start = performance.now(); const made = Reflect.construct(target, args); window.icu = { start, end: performance.now() }; return made; } });
window.tasks = () => longTasks.map((t) => ({ duration: t.duration, icu: Boolean(window.icu) && t.start <= icu.start && t.start + t.duration >= icu.end }));
const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
document.addEventListener('ramp-ready', async (e) => { await e.target.updateComplete; await frame(); window.ready = performance.now() - t0; });
customElements.whenDefined('bare-line').then(async () => { await document.querySelector('bare-line').updateComplete; await frame(); window.ready = performance.now() - t0; });
window.configTrip = async () => { const s = performance.now(); await (await fetch('/session/config', { cache: 'no-store' })).json(); return performance.now() - s; };`;
const pages = {
  '/bench/widget.html': `<!doctype html><html lang="en"><body><script src="/bench/probe.js"></script><script type="module" src="/dist/cryptopocket-ramp.bundle.js"></script><cryptopocket-ramp session-url="/session" mode="offramp"></cryptopocket-ramp></body></html>`,
  '/bench/bare.html': `<!doctype html><html lang="en"><body><script src="/bench/probe.js"></script><script type="module" src="/bench/bare.js"></script><bare-line></bare-line></body></html>`,
  // the widget's first view as fixed HTML and CSS (captured from a rendered widget), shown by a few lines of script
  // after the same config request: what the browser alone spends on this form (fetch, style, layout, paint)
  '/bench/static.html': `<!doctype html><html lang="en"><body><script src="/bench/probe.js"></script><script type="module" src="/bench/static.js"></script><static-view></static-view></body></html>`,
  // BENCH_BASELINE=<another build's dist/>: the same page on that build, loaded in turn with this one (A/B)
  '/bench/widget-baseline.html': `<!doctype html><html lang="en"><body><script src="/bench/probe.js"></script><script type="module" src="/baseline/cryptopocket-ramp.bundle.js"></script><cryptopocket-ramp session-url="/session" mode="offramp"></cryptopocket-ramp></body></html>`,
  '/bench/empty.html': `<!doctype html><html lang="en"><body><script src="/bench/probe.js"></script><script type="module" src="/dist/cryptopocket-ramp.bundle.js"></script></body></html>`,
};
let snapshot = { html: '', css: '' };
const staticView = () => `const root = document.querySelector('static-view').attachShadow({ mode: 'open' });
const sheet = new CSSStyleSheet(); sheet.replaceSync(${JSON.stringify(snapshot.css)}); root.adoptedStyleSheets = [sheet];
await (await fetch('/session/config')).json();
root.innerHTML = ${JSON.stringify(snapshot.html)};
await frame(); window.ready = performance.now() - t0;`;
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path.startsWith('/nostream/events')) return void res.writeHead(503).end();
  if (path.startsWith('/session') || path.startsWith('/nostream') || path.startsWith('/_simulator/')) return void api(req, res);
  if (pages[path]) return void res.writeHead(200, { 'content-type': 'text/html' }).end(pages[path]);
  if (path === '/bench/probe.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(probe);
  if (path === '/bench/bare.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bare);
  if (path === '/bench/static.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(staticView());
  if ((path.startsWith('/dist/') || (BASELINE && path.startsWith('/baseline/'))) && !path.includes('..')) {
    let body;
    try {
      body = readFileSync(path.startsWith('/baseline/') ? `${BASELINE}/${path.slice('/baseline/'.length)}` : `.${path}`);
    } catch {
      body = undefined;
    }
    if (body) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
  }
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-renderer-backgrounding',
    '--disable-background-timer-throttling',
  ],
});

async function timeToReady(page) {
  const context = await browser.createBrowserContext();
  const tab = await context.newPage();
  await tab.goto(`${origin}${page}`);
  await tab.waitForFunction('window.ready !== undefined', { timeout: 10_000 });
  // the load's later steps count too: the first price (and the ICU start-up it brings), then a quiet moment
  if (page === '/bench/widget.html') await tab.waitForFunction('window.icu !== undefined', { timeout: 5_000 }).catch(() => {});
  await new Promise((r) => setTimeout(r, 300));
  const result = await tab.evaluate(async () => ({
    ready: window.ready,
    trip: await window.configTrip(),
    longTasks: window.tasks(),
    icu: window.icu && window.icu.end - window.icu.start,
  }));
  await context.close();
  return result;
}

// ── speed: first rendered view with config, against a bare Lit element ──
{
  const context = await browser.createBrowserContext();
  const tab = await context.newPage();
  await tab.goto(`${origin}/bench/widget.html`);
  await tab.waitForFunction('window.ready !== undefined', { timeout: 10_000 });
  snapshot = await tab.evaluate(() => {
    const root = document.querySelector('cryptopocket-ramp').shadowRoot;
    return {
      html: root.innerHTML.replace(/<!--[^>]*-->/g, ''),
      css: root.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join('\n'),
    };
  });
  await context.close();
}
const widget = [];
const staticRuns = [];
const bareRuns = [];
const trips = [];
let longTasks = [];
let bareLongTasks = [];
const icuCosts = [];
for (let i = 0; i < RUNS; i++) {
  const w = await timeToReady('/bench/widget.html');
  widget.push(w.ready);
  trips.push(w.trip);
  longTasks = longTasks.concat(w.longTasks);
  if (w.icu !== undefined) icuCosts.push(w.icu);
  const b = await timeToReady('/bench/bare.html');
  bareRuns.push(b.ready);
  bareLongTasks = bareLongTasks.concat(b.longTasks);
  staticRuns.push((await timeToReady('/bench/static.html')).ready);
}
const floor = median(bareRuns) + median(trips);
const spread = (xs) => `middle half ${pct(xs, 25).toFixed(0)}–${pct(xs, 75).toFixed(0)} ms`;
row(
  `first view with config, median of ${RUNS} (ms)`,
  median(widget).toFixed(1),
  `≤ ${(1.5 * floor).toFixed(1)}`,
  `${spread(widget)}; bare Lit line ${median(bareRuns).toFixed(1)} ms + config round trip ${median(trips).toFixed(1)} ms = ${floor.toFixed(1)} ms; ratio ${(median(widget) / floor).toFixed(2)}×`,
);
row(
  `reference: the same first view as fixed HTML, after the same config request, median of ${RUNS} (ms)`,
  median(staticRuns).toFixed(1),
  '',
  `${spread(staticRuns)}; no Lit, no logic: the browser's own cost for this form; ratio ${(median(staticRuns) / floor).toFixed(2)}× the floor`,
);

// ── A/B: this build against a baseline build, loaded in turn (the machine's drift hits both alike) ──
if (BASELINE) {
  const ours = [];
  const theirs = [];
  for (let i = 0; i < AB_RUNS; i++) {
    const order = i % 2 ? ['/bench/widget.html', '/bench/widget-baseline.html'] : ['/bench/widget-baseline.html', '/bench/widget.html'];
    for (const page of order) (page === '/bench/widget.html' ? ours : theirs).push((await timeToReady(page)).ready);
  }
  row(
    `A/B first view, this build vs ${BASELINE}, ${AB_RUNS} loads each in turn, median (ms)`,
    median(ours).toFixed(1),
    `≤ ${median(theirs).toFixed(1)}`,
    `baseline median ${median(theirs).toFixed(1)} ms (${spread(theirs)}); this build ${spread(ours)}; ratio ${(median(ours) / median(theirs)).toFixed(2)}×`,
  );
}

// ── reference: what the browser itself spends on its first Intl.NumberFormat (ICU start-up) ──
{
  const costs = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.createBrowserContext();
    const tab = await context.newPage();
    await tab.goto(`${origin}/bench/empty.html`);
    costs.push(
      await tab.evaluate(() => {
        const s = performance.now();
        new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(1);
        return performance.now() - s;
      }),
    );
    await context.close();
  }
  row(
    'reference: the first Intl.NumberFormat in a fresh page (ms)',
    median(costs).toFixed(1),
    '',
    'ICU start-up in one call, paid once per page by any script that formats numbers with Intl; the widget splits it into three tasks (locale data, locale list, number format)',
  );
}

// ── typing: 6 characters at human speed ──────────────────────────────────
{
  const context = await browser.createBrowserContext();
  const tab = await context.newPage();
  const quotes = [];
  tab.on('request', (r) => r.url().includes('/session/offramp/quote') && quotes.push(r.url()));
  await tab.goto(`${origin}/bench/widget.html`);
  await tab.waitForFunction('window.ready !== undefined');
  await tab.evaluate(() => document.querySelector('cryptopocket-ramp').shadowRoot.getElementById('amount').focus());
  await tab.keyboard.type('100.25', { delay: 150 });
  await new Promise((r) => setTimeout(r, 1500));
  const shown = await tab.evaluate(
    () => document.querySelector('cryptopocket-ramp').shadowRoot.querySelector('[data-testid="quote-amount"]')?.textContent ?? '',
  );
  row(
    'quote requests while typing "100.25" (150 ms/key)',
    String(quotes.length),
    '≤ 2',
    `last asked: amount=${new URL(quotes.at(-1)).searchParams.get('amount')}; shown ${shown.trim()}`,
  );
  longTasks = longTasks.concat(await tab.evaluate(() => window.tasks()));
  await context.close();
}

// ── status tracking: requests over a 10-minute operation (virtual time) ──
async function statusRequests(base) {
  const created = await (
    await fetch(`${origin}${base}/offramp/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${Math.random().toString(36).slice(2)}` },
      body: JSON.stringify({ amount: '10', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' }),
    })
  ).json();
  const context = await browser.createBrowserContext();
  const tab = await context.newPage();
  const counts = { polls: 0, streams: 0 };
  tab.on('request', (r) => {
    if (r.url().includes(`/offramp/operations/${created.id}`)) counts.polls++;
    if (r.url().includes('/events?')) counts.streams++;
  });
  await tab.goto(`${origin}/bench/empty.html`);
  await tab.evaluate(
    (b, id) => {
      const el = document.createElement('cryptopocket-ramp');
      el.setAttribute('session-url', b);
      el.setAttribute('mode', 'offramp');
      el.setAttribute('operation-id', id);
      document.body.append(el);
    },
    base,
    created.id,
  );
  const cdp = await tab.createCDPSession();
  // ten minutes of the page's clock, run as fast as the page idles (network fetches pause it)
  await cdp.send('Emulation.setVirtualTimePolicy', { policy: 'pauseIfNetworkFetchesPending', budget: 600_000 });
  await Promise.race([new Promise((r) => cdp.once('Emulation.virtualTimeBudgetExpired', r)), new Promise((r) => setTimeout(r, 60_000))]);
  await context.close();
  return counts;
}
const withStream = await statusRequests('/session');
row('status polls over 10 min with the status stream', String(withStream.polls), '0', `${withStream.streams} stream connection(s)`);
const withoutStream = await statusRequests('/nostream');
row(
  'status polls over 10 min, polling fallback',
  String(withoutStream.polls),
  '',
  `backoff 2 s ×1.6 to a 30 s cap, after ${withoutStream.streams} failed stream attempts`,
);

{
  const long = longTasks.filter((t) => t.duration > 50);
  const ours = long.filter((t) => !t.icu);
  const max = (tasks) => (tasks.length ? `max ${Math.max(...tasks.map((t) => t.duration)).toFixed(0)} ms` : 'none');
  const bareLong = bareLongTasks.filter((t) => t.duration > 50);
  row(
    `long tasks > 50 ms in ${RUNS} cold loads (to the first price) and typing`,
    String(long.length),
    '0',
    `${max(long)}; ${long.length - ours.length} of them the task of the page's first Intl.NumberFormat (the widget starts ICU in three tasks; that last step took median ${median(icuCosts).toFixed(0)} ms in these loads); the others: ${ours.length} (${max(ours)}); the bare Lit page: ${bareLong.length} in ${RUNS} loads`,
  );
}

// ── memory: 1,000 mount/unmount cycles ───────────────────────────────────
{
  const context = await browser.createBrowserContext();
  const tab = await context.newPage();
  // the page's timers, counted: set and not yet fired or cleared
  await tab.evaluateOnNewDocument(() => {
    const pending = new Set();
    const [setT, clearT, setI, clearI] = [setTimeout, clearTimeout, setInterval, clearInterval];
    window.setTimeout = (fn, ms, ...args) => {
      const id = setT(() => (pending.delete(id), typeof fn === 'function' && fn(...args)), ms);
      pending.add(id);
      return id;
    };
    window.clearTimeout = (id) => (pending.delete(id), clearT(id));
    window.setInterval = (fn, ms, ...args) => {
      const id = setI(fn, ms, ...args);
      pending.add(id);
      return id;
    };
    window.clearInterval = (id) => (pending.delete(id), clearI(id));
    window.pendingTimers = () => pending.size;
  });
  await tab.goto(`${origin}/bench/empty.html`);
  await tab.waitForFunction("customElements.get('cryptopocket-ramp') !== undefined");
  const cdp = await tab.createCDPSession();
  // listeners on window and document (an element's own die with it; these would outlive it)
  const listeners = async () => {
    let count = 0;
    for (const expression of ['window', 'document']) {
      const { result } = await cdp.send('Runtime.evaluate', { expression });
      count += (await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId })).listeners.length;
    }
    return count;
  };
  const timers = async () => (await cdp.send('Runtime.evaluate', { expression: 'pendingTimers()', returnByValue: true })).result.value;
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const cycle = (n) =>
    tab.evaluate(async (count) => {
      for (let i = 0; i < count; i++) {
        const el = document.createElement('cryptopocket-ramp');
        el.setAttribute('session-url', '/session');
        document.body.append(el);
        await el.updateComplete;
        el.remove();
      }
    }, n);
  // warm-up: the first few hundred cycles grow the heap with compiled code and inline caches, then it stays flat
  await cycle(300);
  await new Promise((r) => setTimeout(r, 500));
  const before = { heap: await heap(), timers: await timers(), listeners: await listeners() };
  await cycle(1000);
  // one-shot timers of the last cycles (the 100 ms first-render wait) fire; nothing should be left after
  await new Promise((r) => setTimeout(r, 500));
  const after = { heap: await heap(), timers: await timers(), listeners: await listeners() };
  // a second thousand: what the first still spent on warming up does not recur, a leak would
  await cycle(1000);
  await new Promise((r) => setTimeout(r, 500));
  const second = await heap();
  // elements still alive after GC: any would be a leak (a timer, a listener or a stream holding it)
  const proto = await cdp.send('Runtime.evaluate', { expression: "customElements.get('cryptopocket-ramp').prototype" });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
  const alive = (
    await cdp.send('Runtime.callFunctionOn', { objectId: objects.objectId, functionDeclaration: 'function () { return this.length; }', returnByValue: true })
  ).result.value;
  row(
    'JS heap after 300 warm-up cycles → 1,000 mount/unmount cycles → 1,000 more (after GC)',
    `${kb(before.heap)} → ${kb(after.heap)} → ${kb(second)}`,
    'no growth',
    `${((after.heap - before.heap) / 1024).toFixed(1)} KB, then ${((second - after.heap) / 1024).toFixed(1)} KB; ${alive} element instance(s) still alive; pending timers ${before.timers} → ${after.timers}; listeners on window and document ${before.listeners} → ${after.listeners}`,
  );
  await context.close();
}
await browser.close();

// ── session handler on loopback: 100 concurrent clients ─────────────────
{
  const sim = createSimulator({ apiKey: 'k' });
  const simServer = createServer(toNodeListener(sim.handle));
  await new Promise((r) => simServer.listen(0, '127.0.0.1', r));
  const simOrigin = `http://127.0.0.1:${simServer.address().port}`;
  const handler = createSessionHandler({
    apiOrigin: simOrigin,
    apiKey: 'k',
    basePath: '/s',
    resolveUser: () => ({ id: 106, region: 'EU' }),
    limits: UNLIMITED,
    log: () => {},
  });
  const appServer = createServer(toNodeListener(handler));
  await new Promise((r) => appServer.listen(0, '127.0.0.1', r));
  const app = `http://127.0.0.1:${appServer.address().port}/s`;
  const op = await (
    await fetch(`${app}/offramp/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'bench-status-key' },
      body: JSON.stringify({ amount: '10', symbol: 'USDC', chain: 'polygon', fiat: 'EUR', iban: 'ES9121000418450200051332' }),
    })
  ).json();
  // the clients run in a worker thread, so the servers' event loop is theirs alone (2 cores: clients, servers); each
  // run opens its connections in a warm-up round first: a burst of 100 new connections is not what is measured
  const clientCode = `
    const { parentPort, workerData: { url, init } } = require('node:worker_threads');
    const run = (rounds, latencies) => Promise.all(Array.from({ length: 100 }, async () => {
      for (let i = 0; i < rounds; i++) {
        const s = performance.now();
        const res = await fetch(url, init);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(url + ' answered ' + res.status);
        latencies.push(performance.now() - s);
      }
    }));
    (async () => {
      // warm-up: the 100 connections (and the handler's own to the API) are opened before the clock starts
      await run(3, []);
      const latencies = [];
      const started = performance.now();
      await run(20, latencies);
      parentPort.postMessage({ latencies, ms: performance.now() - started });
    })();`;
  async function load(url, init) {
    const { latencies, ms } = await new Promise((resolve, reject) => {
      const worker = new Worker(clientCode, { eval: true, workerData: { url, init } });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return { rps: (latencies.length / ms) * 1000, p50: pct(latencies, 50), p99: pct(latencies, 99) };
  }
  // the handler's own work per request, without HTTP: the simulator called in-process, one request at a time
  async function perRequest(call) {
    for (let i = 0; i < 200; i++) await (await call()).text();
    const started = performance.now();
    for (let i = 0; i < 2000; i++) await (await call()).text();
    return ((performance.now() - started) / 2000) * 1000;
  }
  const inProcess = createSessionHandler({
    apiOrigin: 'http://simulator.invalid',
    apiKey: 'k',
    basePath: '/s',
    resolveUser: () => ({ id: 106, region: 'EU' }),
    limits: UNLIMITED,
    log: () => {},
    fetch: (input, init) => sim.handle(new Request(input, init)),
  });
  const simCost = await perRequest(() =>
    sim.handle(new Request('http://simulator.invalid/api/rampoff/quote?amount=25&symbol=USDC&blockchain=polygon&fiat_symbol=EUR', { headers: { auth: 'k' } })),
  );
  const handlerCost = await perRequest(() => inProcess(new Request('http://app.invalid/s/offramp/quote?amount=25&symbol=USDC&chain=polygon')));
  const fmt = (r) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`;
  const quoteVia = await load(`${app}/offramp/quote?amount=25&symbol=USDC&chain=polygon`);
  const quoteSim = await load(`${simOrigin}/api/rampoff/quote?amount=25&symbol=USDC&blockchain=polygon&fiat_symbol=EUR`, { headers: { auth: 'k' } });
  const statusVia = await load(`${app}/offramp/operations/${op.id}`);
  const statusSim = await load(`${simOrigin}/api/getRampoff?id=${op.id}`, { headers: { auth: 'k' } });
  row(
    'handler: quote, 100 concurrent clients × 20',
    fmt(quoteVia),
    '',
    `simulator alone: ${fmt(quoteSim)}; p50 ${(quoteVia.p50 - quoteSim.p50).toFixed(1)} ms more through the handler (two HTTP hops instead of one, at saturation)`,
  );
  row(
    'handler: status, 100 concurrent clients × 20',
    fmt(statusVia),
    '',
    `simulator alone: ${fmt(statusSim)}; p50 ${(statusVia.p50 - statusSim.p50).toFixed(1)} ms more through the handler (two HTTP hops instead of one, at saturation)`,
  );
  row(
    'handler: its own work per quote, in-process, no HTTP (µs)',
    (handlerCost - simCost).toFixed(0),
    '',
    `handler + simulator ${handlerCost.toFixed(0)} µs per request, simulator alone ${simCost.toFixed(0)} µs: the rest of the figures above is HTTP (server and the handler's upstream client)`,
  );
  for (const s of [simServer, appServer]) {
    s.closeAllConnections();
    s.close();
  }
}

server.closeAllConnections();
server.close();
backend.close();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `\n_${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, Chromium (Debian) headless_\n`,
);
console.log('| measure | ours | budget | note |');
console.log('| --- | ---: | ---: | --- |');
for (const r of rows) console.log(`| ${r.what} | ${r.ours} | ${r.budget} | ${r.note} |`);
process.exit(0);
