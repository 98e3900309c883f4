// Vite library builds of the element, one per `--mode`:
//   module  → dist/cryptopocket-ramp.js          ES module for bundlers (lit and qrcode stay imports)
//   bundle  → dist/cryptopocket-ramp.bundle.js   self-contained ES module for <script type="module"> (QR code in a lazy chunk)
//   iife    → dist/cryptopocket-ramp.iife.js     one classic script for <script src>, everything inside
// The server and simulator are compiled for Node by tsc (tsconfig.build.json).
import { defineConfig } from 'vite';

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
      build: {
        ...common,
        lib: { entry: 'src/index.ts', name: 'CryptopocketRamp', formats: ['iife'], fileName: () => 'cryptopocket-ramp.iife.js' },
      },
    };
  }
  if (mode === 'bundle') {
    return {
      build: {
        ...common,
        lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'cryptopocket-ramp.bundle.js' },
        rollupOptions: { output: { chunkFileNames: 'chunks/[name]-[hash].js' } },
      },
    };
  }
  return {
    build: {
      ...common,
      lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'cryptopocket-ramp.js' },
      rollupOptions: { external: [/^lit($|\/)/, /^@lit\//, /^qrcode($|\/)/], output: { chunkFileNames: 'chunks/[name]-[hash].js' } },
    },
  };
});
