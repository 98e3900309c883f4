// The files a page downloads before the element can render: an entry and the chunks it imports statically.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';

export function firstLoad(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+from\s*)?["'](\.\.?\/[^"']+)["']/g)) visit(join(dirname(file), m[1]));
  };
  visit(entry);
  return [...seen];
}

/** The bytes of `files` together: minified as built, and gzip -9 per file (what the size budgets count). */
export function measure(files) {
  const buffers = files.map((f) => readFileSync(f));
  return { min: buffers.reduce((n, b) => n + b.length, 0), gzip: buffers.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0) };
}
