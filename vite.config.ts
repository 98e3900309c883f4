// Vite library builds of the element, one per `--mode`:
//   module  → dist/cryptopocket-ramp.js          ES module for bundlers (lit and qrcode stay imports)
//   bundle  → dist/cryptopocket-ramp.bundle.js   self-contained ES module for <script type="module"> (QR code in a lazy chunk)
//   iife    → dist/cryptopocket-ramp.iife.js     one classic script for <script src>, everything inside
// The server and simulator are compiled for Node by tsc (tsconfig.build.json).
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
        .replace(/\bcss`([^`]*)`/g, (_m, body: string) => `css\`${body.replace(/\/\*[^]*?\*\//g, '').replace(/\s+/g, ' ').replace(/\s*([{};:,>])\s*/g, '$1').replace(/;}/g, '}').trim()}\``)
        .replace(/\bhtml`([^`]*)`/g, (_m, body: string) => `html\`${body.replace(/\n\s*/g, ' ')}\``);
      return out === code ? null : { code: out, map: null };
    },
  };
}

/** The lazily loaded QR code chunk is named for what it is. */
const chunkFileNames = (chunk: { moduleIds: string[] }) => (chunk.moduleIds.some((id) => id.includes('/qrcode/')) ? 'chunks/qrcode-[hash].js' : 'chunks/[name]-[hash].js');

export default defineConfig(({ mode }) => {
  const common = {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
  } as const;
  if (mode === 'iife') {
    return {
      plugins: [minifyTemplates()],
      build: {
        ...common,
        lib: { entry: 'src/index.ts', name: 'CryptopocketRamp', formats: ['iife'], fileName: () => 'cryptopocket-ramp.iife.js' },
      },
    };
  }
  if (mode === 'bundle') {
    return {
      plugins: [minifyTemplates()],
      build: {
        ...common,
        lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'cryptopocket-ramp.bundle.js' },
        rollupOptions: { preserveEntrySignatures: 'allow-extension', output: { chunkFileNames, minify: true } },
      },
    };
  }
  return {
    plugins: [minifyTemplates()],
    build: {
      ...common,
      lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'cryptopocket-ramp.js' },
      rollupOptions: { preserveEntrySignatures: 'allow-extension', external: [/^lit($|\/)/, /^@lit\//, /^qrcode($|\/)/], output: { chunkFileNames, minify: true } },
    },
  };
});
