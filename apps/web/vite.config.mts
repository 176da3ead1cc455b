import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// The browser gets the libraries' sources. `@hatch/model` resolves to its core entry: everything but the
// DDL/DBML importers (PostgreSQL parser WASM, @dbml/core), which a browser must not bundle.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: {
      '@hatch/model': repo('libs/model/src/core.ts'),
      '@hatch/protocol': repo('libs/protocol/src/index.ts'),
    },
    // one Yjs copy: two would break `instanceof` checks inside Yjs
    dedupe: ['yjs', 'lib0', 'react', 'react-dom'],
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    // `npm run dev -w @hatch/web`: the api on :3000 answers REST, socket.io and the Yjs endpoint
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
      '/collab': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
