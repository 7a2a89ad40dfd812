/**
 * Vite build of the Task Viewer web app. The service serves `dist/index.html` at `/` and the files of
 * `dist/assets/` at `/assets/{asset}`, whose names must match the spec's pattern
 * (`^[A-Za-z0-9][A-Za-z0-9._-]*$`, no folders): chunk names are sanitised for that.
 * `npm run dev:web` runs Vite's dev server with a proxy to the API (TASK_VIEWER_API, default
 * http://127.0.0.1:8001), so the app talks to a real service while you edit it.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.TASK_VIEWER_API ?? 'http://127.0.0.1:8001';
/** A name part that starts with a letter or digit and holds only letters, digits, `.`, `_`, `-`. */
const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z0-9]+/, '') || 'chunk';

export default defineConfig({
  plugins: [react()],
  // Relative URLs: the page is only ever served at `/` (routing lives in the URL fragment), and a
  // path prefix in front of the service keeps working.
  base: './',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    // Every asset is a file of its own (images as data: URIs would need nothing, but keep it explicit).
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        chunkFileNames: (chunk) => `assets/${safe(chunk.name)}-[hash].js`,
        assetFileNames: (asset) => `assets/${safe(asset.names?.[0]?.replace(/\.[^.]+$/, '') ?? 'asset')}-[hash][extname]`,
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/health': { target: api, changeOrigin: false },
    },
  },
});
