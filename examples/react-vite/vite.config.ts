import { defineConfig } from 'vite';

// JSX by Vite's own transform (no plugin needed); the session endpoint is your backend's, proxied in development
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  server: { proxy: { '/api/ramp-session': 'http://localhost:8787' } },
});
