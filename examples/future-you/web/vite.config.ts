import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app is built once and served by the example's server, for every organisation it
// hosts: each page asks the API which organisation its host name belongs to.
// HEARTH_SOURCE=1 builds against the packages' sources (tests), not their built `dist`.
const fromSource = process.env.HEARTH_SOURCE === '1';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  resolve: fromSource
    ? { conditions: ['hearth-source', 'module', 'browser', 'import', 'default'] }
    : {},
  build: {
    outDir: process.env.HEARTH_WEB_OUT ?? 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // One bundle for the whole site, about 190 KB gzipped with React (bench:size has the
    // figures); it is cached for good once loaded, since its name carries its hash.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `vite` on its own for UI work: the API calls go to a running example server.
    proxy: { '/trpc': 'http://localhost:3000' },
  },
});
