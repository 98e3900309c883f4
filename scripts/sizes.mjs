// Prints min+gzip sizes of the built files against the performance issue's budgets and fails when one is exceeded
// (or, for files without a budget yet, when they grow past a guard). "First load" is an entry plus its static chunks.
import { existsSync, readdirSync } from 'node:fs';
import { firstLoad, measure } from './first-load.mjs';

const KB = 1024;
const rows = [];
function row(label, files, target, ceiling) {
  const { min: raw, gzip: gz } = measure(files);
  rows.push({ label: files.length > 1 ? `${label} (${files.length} files)` : label, raw, gz, target, ceiling });
}

// the budgets fail the build. The one-file IIFE holds everything (issue 2: for pages that can load one file only), so it
// has a guard, not the script-tag budget; the classic script that loads its later steps beside it has the budget.
// the script-tag files' first load: 20 KB (the element rebuild's budget; it was 25 KB before)
row('self-contained ES module (script tag), first load', firstLoad('dist/cryptopocket-ramp.bundle.js'), 20 * KB, 20 * KB);
row('classic script (script tag), first load', firstLoad('dist/classic/cryptopocket-ramp.js'), 20 * KB, 20 * KB);
row('ES module without Lit, first load', firstLoad('dist/cryptopocket-ramp.js'), 15 * KB, 15 * KB);
// its guard grows with what it holds: the rebuilt steps (issue 14), the reference validators (issue 17), and the deposit
// step's payment requests with their texts in three languages (issue 16, +1.7 KB), and the amount pair's marks, price
// breakdown, step indicator and quote countdown (issue 16, +2.8 KB)
row('one-file classic script (IIFE, everything inside)', ['dist/cryptopocket-ramp.iife.js'], Infinity, 66 * KB);
for (const [dir, entries] of [
  ['dist/chunks', ['dist/cryptopocket-ramp.bundle.js', 'dist/cryptopocket-ramp.js']],
  ['dist/classic/chunks', ['dist/classic/cryptopocket-ramp.js']],
]) {
  const loaded = new Set(entries.flatMap((entry) => firstLoad(entry)));
  for (const chunk of existsSync(dir) ? readdirSync(dir) : []) {
    const file = `${dir}/${chunk}`;
    if (loaded.has(file)) continue;
    const name = chunk.replace(/-[\w-]{8}\.js$/, '');
    // the QR code chunk's budget is 12 KB; the later steps have none, only a guard (the IBAN registry left it for its own chunk, issue 16)
    const limit = name === 'steps' ? 24 * KB : 12 * KB;
    row(`lazy chunk ${name}${dir.includes('classic') ? ' (classic script)' : ''}`, [file], name === 'steps' ? Infinity : 12 * KB, limit);
  }
}

let failed = false;
console.log(`  ${'file'.padEnd(52)} ${'min'.padStart(8)} ${'gzip'.padStart(8)} ${'target'.padStart(8)} ${'ceiling'.padStart(8)}`);
for (const { label, raw, gz, target, ceiling } of rows) {
  failed ||= gz > ceiling;
  const mark = gz > ceiling ? '✖' : gz > target ? '~' : '✔';
  console.log(
    `${mark} ${label.padEnd(52)} ${String(raw).padStart(8)} ${String(gz).padStart(8)} ${String(target === Infinity ? '—' : target).padStart(8)} ${String(ceiling).padStart(8)}`,
  );
}
console.log('bytes; gzip -9 per file. ✔ within target, ~ over target (performance issue), ✖ over ceiling (fails)');
if (failed) {
  console.error('size ceiling exceeded');
  process.exit(1);
}
