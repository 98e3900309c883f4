// The README's Figures table, produced from the built files (run after `npm run build`):
//   node scripts/figures.mjs          prints the table
//   node scripts/figures.mjs --write  writes it into README.md between the figures markers (`npm run figures`)
//   node scripts/figures.mjs --check  exits 1 when README.md's table is not what the build gives (run by the docs test)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { firstLoad, measure } from './first-load.mjs';

const START = '<!-- figures:start (written by `npm run figures`) -->';
const END = '<!-- figures:end -->';

const KB = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
/** The chunk `name` that the self-contained module loads, directly or through another chunk (the bundlers' build has chunks of the same names beside it). */
function chunk(name) {
  const reached = new Set();
  const visit = (code, pattern) => {
    for (const [, file] of code.matchAll(pattern)) {
      if (reached.has(file)) continue;
      reached.add(file);
      visit(readFileSync(`dist/chunks/${file}`, 'utf8'), /["'`]\.\/([\w.-]+\.js)["'`]/g);
    }
  };
  visit(readFileSync('dist/cryptopocket-ramp.bundle.js', 'utf8'), /chunks\/([\w.-]+\.js)/g);
  const file = readdirSync('dist/chunks').find((f) => f.startsWith(`${name}-`) && reached.has(f));
  if (!file) throw new Error(`no ${name} chunk reached from the bundle`);
  return `dist/chunks/${file}`;
}

const both = ({ min, gzip }) => `${KB(min)} min, ${KB(gzip)} gzip`;

export function figuresTable() {
  const bundle = measure(firstLoad('dist/cryptopocket-ramp.bundle.js'));
  const classic = measure(firstLoad('dist/classic/cryptopocket-ramp.js'));
  const iife = measure(['dist/cryptopocket-ramp.iife.js']);
  const module = measure(firstLoad('dist/cryptopocket-ramp.js'));
  const steps = measure([chunk('steps')]);
  const qr = measure([chunk('qrcode'), chunk('qr')]);
  const iban = measure([chunk('iban-check')]);
  const es = measure([chunk('es')]);
  return [
    '| what | size |',
    '| --- | --- |',
    `| self-contained ES module \`cryptopocket-ramp.bundle.js\`, first load | ${both(bundle)} (budget 20 KB gzip) |`,
    `| classic script \`classic/cryptopocket-ramp.js\`, first load | ${both(classic)} (budget 20 KB gzip) |`,
    `| ES module for bundlers, without Lit, first load | ${both(module)} (budget 15 KB gzip) |`,
    `| later steps, loaded when the user comes near or after 2 s idle | ${KB(steps.gzip)} gzip |`,
    `| QR code and its payment request, loaded at the deposit step | ${KB(qr.gzip)} gzip |`,
    `| IBAN check (the registry), loaded for a euro sale only | ${KB(iban.gzip)} gzip |`,
    `| another language (Spanish), loaded when it is the locale | ${KB(es.gzip)} gzip |`,
    `| one-file classic script \`cryptopocket-ramp.iife.js\` (everything inside) | ${both(iife)} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const table = figuresTable();
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md has no figures markers');
  const current = readme.slice(start + START.length, end).trim();
  if (process.argv.includes('--write')) writeFileSync('README.md', `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`);
  else if (process.argv.includes('--check')) {
    if (current !== table) {
      console.error(`README.md's figures are not this build's; run npm run figures. Expected:\n${table}`);
      process.exit(1);
    }
  } else console.log(table);
}
