/**
 * `npm run screenshots`: what a merchant gets, from the running demo (`npm start`'s server, simulator behind it), in
 * light and dark: the purchase with its live quote, and the sale's deposit step with its QR code. Writes
 * `docs/screenshots/*.png` (committed, shown by the README). Needs `npm run build` and Chromium (CHROME_PATH).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import puppeteer from 'puppeteer-core';

const root = resolve(import.meta.dirname, '..');
const out = resolve(root, 'docs/screenshots');
const port = String(18000 + Math.floor(Math.random() * 2000));
const origin = `http://localhost:${port}`;

const server = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
  cwd: root,
  env: { ...process.env, PORT: port },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((done, fail) => {
  let printed = '';
  server.stdout.on('data', (chunk) => (printed += chunk).includes(`${origin}/`) && done());
  server.once('exit', (code) => fail(new Error(`the demo exited (${code})`)));
});

const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
mkdirSync(out, { recursive: true });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 1000, deviceScaleFactor: 1 });
  await page.goto(`${origin}/`);
  // the element, handed to each function run in the page (puppeteer passes handles as arguments)
  const ramp = await page.waitForSelector('cryptopocket-ramp');
  const inRamp = (fn, ...args) => ramp.evaluate(fn, ...args);
  const until = (fn, ...args) => page.waitForFunction(fn, { timeout: 10_000 }, ramp, ...args);
  const type = (label, value) =>
    inRamp(
      (r, l, v) => {
        const input = [...r.shadowRoot.querySelectorAll('label')].find((x) => x.textContent.trim().startsWith(l))?.control;
        input.value = v;
        input.dispatchEvent(new input.ownerDocument.defaultView.Event('input', { bubbles: true, composed: true }));
      },
      label,
      value,
    );
  const press = (name) => inRamp((r, n) => [...r.shadowRoot.querySelectorAll('button')].find((b) => b.textContent.trim() === n).click(), name);
  const text = (wanted) => until((r, w) => r.shadowRoot.textContent.includes(w), wanted);
  const shoot = async (name) => {
    for (const theme of ['light', 'dark']) {
      await inRamp((r, t) => r.setAttribute('theme', t), theme);
      await new Promise((done) => setTimeout(done, 300));
      await (await page.$('cryptopocket-ramp')).screenshot({ path: `${out}/${name}-${theme}.png` });
      console.log(`docs/screenshots/${name}-${theme}.png`);
    }
  };

  await until((r) => r.shadowRoot?.querySelector('input'));
  await inRamp((r) => r.setAttribute('mode', 'onramp'));
  await until((r) => r.shadowRoot.textContent.includes('You pay'));
  await type('You pay', '150');
  await until((r) => r.shadowRoot.querySelector('dl.breakdown') && r.shadowRoot.querySelector('[part="token-mark"] svg'));
  await shoot('buy');

  await inRamp((r) => r.setAttribute('mode', 'offramp'));
  await until((r) => r.shadowRoot.textContent.includes('You sell'));
  await type('You sell', '250');
  await until((r) => r.shadowRoot.querySelector('dl.breakdown'));
  await press('Continue');
  await text('Where should we pay you?');
  await type('IBAN', 'ES91 2100 0418 4502 0005 1332');
  await press('Continue');
  await text('Review your sale');
  await press('Confirm and sell');
  await until((r) => r.shadowRoot.querySelector('canvas')?.dataset.drawn);
  await shoot('sell-deposit');
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
