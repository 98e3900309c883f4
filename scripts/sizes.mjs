// Prints min+gzip sizes of the built files and fails when a budget is exceeded (issue: performance budgets).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const KB = 1024;
const files = [
  { file: 'dist/cryptopocket-ramp.iife.js', label: 'script-tag file (IIFE, everything inside)', budget: null },
  { file: 'dist/cryptopocket-ramp.bundle.js', label: 'self-contained ES module, first load', budget: 25 * KB },
  { file: 'dist/cryptopocket-ramp.js', label: 'ES module for bundlers (without Lit)', budget: 15 * KB },
];
for (const chunk of existsSync('dist/chunks') ? readdirSync('dist/chunks') : []) files.push({ file: `dist/chunks/${chunk}`, label: `lazy chunk ${chunk}`, budget: 12 * KB });

let failed = false;
const rows = files.map(({ file, label, budget }) => {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  const over = budget !== null && gz > budget;
  failed ||= over;
  return `${over ? '✖' : '✔'} ${label.padEnd(46)} ${String(raw.length).padStart(8)} B min  ${String(gz).padStart(7)} B gzip${budget ? `  (budget ${budget} B)` : ''}`;
});
console.log(rows.join('\n'));
if (failed) {
  console.error('size budget exceeded');
  process.exit(1);
}
