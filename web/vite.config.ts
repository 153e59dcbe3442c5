import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// keyhold serves the build at /ui (src/http/native/console.ts): index.html, and files under assets/
// only. Its Content-Security-Policy allows no inline script or style, so nothing may be inlined.
export default defineConfig({
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
