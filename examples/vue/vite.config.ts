import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  // <cryptopocket-ramp> is a custom element, not a Vue component
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'cryptopocket-ramp' } } })],
  server: { proxy: { '/api/ramp-session': 'http://localhost:8787' } },
});
