// Vite library builds of the element, one per `--mode`:
//   module  → dist/cryptopocket-ramp.js          ES module for bundlers (lit and qrcode stay imports)
//   bundle  → dist/cryptopocket-ramp.bundle.js   self-contained ES module for <script type="module"> (QR code in a lazy chunk)
//   classic → dist/classic/cryptopocket-ramp.js  classic script for <script src>: the first screen, later steps in chunks beside it
//   iife    → dist/cryptopocket-ramp.iife.js     one classic script with everything inside (for pages that can load one file only)
// The server and simulator are compiled for Node by tsc (tsconfig.build.json).
import { createHash } from 'node:crypto';
import { defineConfig, type Plugin } from 'vite';

/**
 * Lit's css`` and html`` templates keep their source indentation; the minifier leaves strings alone.
 * Collapse that whitespace at build time (HTML and CSS collapse it anyway).
 */
function minifyTemplates(): Plugin {
  return {
    name: 'minify-lit-templates',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id)) return null;
      const out = code
        .replace(
          /\bcss`([^`]*)`/g,
          (_m, body: string) =>
            `css\`${body
              .replace(/\/\*[^]*?\*\//g, '')
              .replace(/\s+/g, ' ')
              .replace(/\s*([{};:,>])\s*/g, '$1')
              .replace(/;}/g, '}')
              .trim()}\``,
        )
        .replace(/\bhtml`([^`]*)`/g, (_m, body: string) => `html\`${body.replace(/\n\s*/g, ' ')}\``);
      return out === code ? null : { code: out, map: null };
    },
  };
}

/**
 * Turns the code-split ES build into a classic script plus ES chunks beside it. A classic script cannot `import`
 * statically but can `import()` (relative to its own URL), so:
 * - the entry is wrapped in a function (no global names leak) and, instead of `export{…}`, hands the bindings its
 *   chunks need to a registry on `globalThis`, keyed by a hash of this build (two versions on a page never mix);
 *   its public exports also become `window.CryptopocketRamp`, as in the IIFE;
 * - each chunk's `import{…}from"<entry>"` becomes a read of that registry; imports between chunks stay;
 * - the entry's `import("./chunks/…")` resolve against the script's own absolute URL (`document.currentScript.src`),
 *   not the browser's notion of a classic script's base: from another origin without `crossorigin`, Chromium
 *   resolves them against `about:blank` and the later steps never load.
 * The build fails if the output does not have the expected shape.
 */
function classicScript(): Plugin {
  /** `a as b, c` (an import or export list) → `[['a', 'b'], ['c', 'c']]`. */
  const specifiers = (list: string) =>
    list.split(',').map((part) => {
      const [left = '', right = left] = part.trim().split(/\s+as\s+/);
      return [left, right] as const;
    });
  /** An object literal of bindings: `{"name":local,…}`'s inside. */
  const object = (list: { local: string; name: string }[]) => list.map(({ local, name }) => `${JSON.stringify(name)}:${local}`).join(',');
  return {
    name: 'classic-script',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (!entry || entry.type !== 'chunk') throw new Error('classic-script: no entry chunk');
      const key = `cryptopocket-ramp:${createHash('sha256').update(entry.code).digest('hex').slice(0, 12)}`;
      const exported = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(entry.code);
      if (!exported || entry.imports.length) throw new Error('classic-script: the entry must end with one export list and import nothing statically');
      const pairs = specifiers(exported[1]!).map(([local, name]) => ({ local, name }));
      // public names keep their source names (the bindings only chunks need get short ones): the facade's own
      // exports and, for its `export *`, the exports of the modules it imports
      const facade = this.getModuleInfo(entry.facadeModuleId!);
      const sourceNames = new Set([...(facade?.exports ?? []), ...(facade?.importedIds ?? []).flatMap((id) => this.getModuleInfo(id)?.exports ?? [])]);
      const publicNames = new Set(
        pairs.map(({ name }) => name).filter((name) => (facade?.exports ?? []).includes(name) || (facade?.exports?.includes('*') && sourceNames.has(name))),
      );
      const body = entry.code
        .slice(0, exported.index)
        .replace(/\bimport\((["'`])(\.\/[^"'`]+)\1\)/g, (_m, quote: string, path: string) => `import(new URL(${quote}${path}${quote},__cpBase).href)`);
      if (/\bimport\((["'`])\./.test(body)) throw new Error('classic-script: a relative import() was left unresolved');
      entry.code = `(function(){"use strict";var __cpBase=document.currentScript&&document.currentScript.src||document.baseURI;${body};globalThis[Symbol.for(${JSON.stringify(key)})]={${object(pairs)}};globalThis.CryptopocketRamp??={${object(pairs.filter(({ name }) => publicNames.has(name)))}};})();\n`;
      const base = entry.fileName.split('/').pop()!;
      const fromEntry = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*["'\`][./]*${base.replace(/\./g, '\\.')}["'\`];?`, 'g');
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || chunk === entry) continue;
        chunk.code = chunk.code.replace(fromEntry, (_m, names: string) => {
          return `const{${object(specifiers(names).map(([name, local]) => ({ local, name })))}}=globalThis[Symbol.for(${JSON.stringify(key)})];`;
        });
        if (chunk.code.includes(base)) throw new Error(`classic-script: ${chunk.fileName} still refers to the entry`);
      }
    },
  };
}

/** The lazily loaded QR code chunk is named for what it is. */
const chunkFileNames = (chunk: { moduleIds: string[] }) =>
  chunk.moduleIds.some((id) => id.includes('/qrcode/')) ? 'chunks/qrcode-[hash].js' : 'chunks/[name]-[hash].js';

export default defineConfig(({ mode }) => {
  const common = {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
  } as const;
  /** A code-split ES library build of the element, Lit inside (the bundle and, turned classic, the classic script). */
  const selfContained = (outDir: string, fileName: string, plugins: Plugin[]) => ({
    plugins: [minifyTemplates(), ...plugins],
    build: {
      ...common,
      outDir,
      lib: { entry: 'src/index.ts', formats: ['es' as const], fileName: () => fileName },
      rollupOptions: { preserveEntrySignatures: 'allow-extension' as const, output: { chunkFileNames, minify: true } },
    },
  });
  if (mode === 'classic') return selfContained('dist/classic', 'cryptopocket-ramp.js', [classicScript()]);
  if (mode === 'iife') {
    return {
      plugins: [minifyTemplates()],
      build: {
        ...common,
        lib: { entry: 'src/index.ts', name: 'CryptopocketRamp', formats: ['iife'], fileName: () => 'cryptopocket-ramp.iife.js' },
      },
    };
  }
  if (mode === 'bundle') return selfContained('dist', 'cryptopocket-ramp.bundle.js', []);
  return {
    plugins: [minifyTemplates()],
    build: {
      ...common,
      lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'cryptopocket-ramp.js' },
      rollupOptions: {
        preserveEntrySignatures: 'allow-extension',
        external: [/^lit($|\/)/, /^@lit\//, /^qrcode($|\/)/],
        output: { chunkFileNames, minify: true },
      },
    },
  };
});
