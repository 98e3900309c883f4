// Subresource Integrity for every file a page may load (run by `npm run build`): writes dist/integrity.json, the
// sha384 of each entry script and each lazily loaded chunk by its path inside dist/, and prints the entries' hashes.
// A page pins the entry with `integrity` on its <script> and the chunks with an import map's "integrity" section
// (the README's "Subresource Integrity"; tested in test/element/cdn.test.ts).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';

const sri = (file) =>
  `sha384-${createHash('sha384')
    .update(readFileSync(`dist/${file}`))
    .digest('base64')}`;
const entries = ['cryptopocket-ramp.bundle.js', 'classic/cryptopocket-ramp.js', 'cryptopocket-ramp.iife.js', 'cryptopocket-ramp.js'];
const chunks = ['chunks', 'classic/chunks'].flatMap((dir) => (existsSync(`dist/${dir}`) ? readdirSync(`dist/${dir}`).map((name) => `${dir}/${name}`) : []));
const integrity = Object.fromEntries([...entries, ...chunks].sort().map((file) => [file, sri(file)]));
writeFileSync('dist/integrity.json', `${JSON.stringify(integrity, null, 2)}\n`);
for (const file of entries) console.log(`dist/${file}  integrity="${integrity[file]}"`);
console.log(`dist/integrity.json: ${Object.keys(integrity).length} files (entries and chunks)`);
