// Prints min+gzip sizes of the built files against the performance issue's targets, and fails when a
// file grows past its ceiling (a regression guard; the targets are not all met yet: see README "Figures").
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const KB = 1024;
const files = [
  { file: 'dist/cryptopocket-ramp.iife.js', label: 'script-tag file (IIFE, all inside, QR included)', target: 25 * KB, ceiling: 48 * KB },
  { file: 'dist/cryptopocket-ramp.bundle.js', label: 'self-contained ES module, first load', target: 25 * KB, ceiling: 36 * KB },
  { file: 'dist/cryptopocket-ramp.js', label: 'ES module for bundlers (without Lit)', target: 15 * KB, ceiling: 30 * KB },
];
for (const chunk of existsSync('dist/chunks') ? readdirSync('dist/chunks') : []) {
  files.push({ file: `dist/chunks/${chunk}`, label: `lazy chunk ${chunk.replace(/-[\w-]+\.js$/, '')}`, target: 12 * KB, ceiling: 12 * KB });
}

let failed = false;
console.log(`${'file'.padEnd(50)} ${'min'.padStart(8)} ${'gzip'.padStart(8)} ${'target'.padStart(8)} ${'ceiling'.padStart(8)}`);
for (const { file, label, target, ceiling } of files) {
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  const mark = gz > ceiling ? '✖' : gz > target ? '~' : '✔';
  failed ||= gz > ceiling;
  console.log(`${mark} ${label.padEnd(48)} ${String(raw.length).padStart(8)} ${String(gz).padStart(8)} ${String(target).padStart(8)} ${String(ceiling).padStart(8)}`);
}
console.log('bytes; gzip -9. ✔ within target, ~ over target (performance issue open), ✖ over ceiling (fails)');
if (failed) {
  console.error('size ceiling exceeded');
  process.exit(1);
}
