// Prints the Subresource Integrity hashes of the files a page loads with <script src> (run by `npm run build`).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

for (const file of ['dist/classic/cryptopocket-ramp.js', 'dist/cryptopocket-ramp.iife.js', 'dist/cryptopocket-ramp.bundle.js']) {
  const hash = createHash('sha384').update(readFileSync(file)).digest('base64');
  console.log(`${file}  integrity="sha384-${hash}"`);
}
