/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation lets the WASM backend use SharedArrayBuffer and threads.
// Any static host serving dist/ should send the same three headers (docs/user-guide.md, "Hosting it yourself").
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * What the built lab may do: its own scripts and no inline ones; WASM ('wasm-unsafe-eval'); eval for the
 * charts (vega, under tfjs-vis, compiles its expressions with Function); workers from itself and blobs, and
 * blob scripts (tfjs' pthread workers are blobs that import the WASM module's script from a blob); and
 * connections to its own origin only, so no photo or number can leave it.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' blob: 'wasm-unsafe-eval' 'unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The policy in every built page, for static hosts that send no headers (frame-ancestors needs a header). */
const cspMeta = (): Plugin => ({
  name: 'lab-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy },
      injectTo: 'head-prepend',
    },
  ],
});

/**
 * `vite build` is the lab alone. `--mode lab` adds the pages the tools drive (bench.html for bench:train and the
 * kernel checks, cli.html for `npm run lab`) and the worker's fault hooks; the e2e tests, benchmarks and the
 * command line build it into their own folders, so dist/ holds only what a host should serve.
 */
export const LAB_TOOLS_MODE = 'lab';

export default defineConfig(({ mode }) => ({
  plugins: [react(), cspMeta()],
  // No policy in development: React's fast refresh injects an inline script. The page's modules are transformed
  // at start (warmup), so that the first visit finds them ready.
  server: {
    headers: isolationHeaders,
    port: 5173,
    strictPort: false,
    warmup: { clientFiles: ['./src/app/main.tsx'] },
  },
  preview: {
    headers: {
      ...isolationHeaders,
      'Content-Security-Policy': `${contentSecurityPolicy}; frame-ancestors 'none'`,
    },
    port: 4173,
  },
  worker: { format: 'es' },
  optimizeDeps: {
    // The dev server bundles dependencies from what it finds from these at start. The pages alone would leave out
    // the workers' (tfjs and its backends): found at the first click that starts a worker, they were bundled then
    // and the page reloaded under the user.
    entries: ['*.html', 'src/**/*.worker.ts'],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: (mode === LAB_TOOLS_MODE
        ? { main: 'index.html', bench: 'bench.html', cli: 'cli.html' }
        : { main: 'index.html' }) as Record<string, string>,
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
}));
