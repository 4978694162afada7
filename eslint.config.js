// Layer boundaries: each folder under src/ may import only the folders listed here. docs/architecture.md
// ("Layers") shows them, and scripts/docs.test.ts keeps the two equal.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const layers = ['core', 'demo', 'ml', 'data', 'workers', 'services', 'lab', 'state', 'ui', 'app'];
const allowed = {
  core: [],
  demo: ['core'],
  ml: ['core'],
  data: ['core'],
  workers: ['core', 'ml', 'data', 'demo'],
  services: ['core', 'data', 'demo'],
  lab: ['core'],
  state: ['core', 'lab'],
  ui: ['core', 'state'],
};
// Layers whose types (and only types) a layer may import: the Lab is handed storage and workers, never imports them.
const typeOnly = { services: ['workers'], lab: ['data', 'workers'] };
// Packages a layer must not touch even though they are installed.
const bannedPackages = {
  core: ['@tensorflow/*', 'react', 'react-dom', 'idb-keyval', 'idb', 'comlink', 'zustand'],
  demo: ['@tensorflow/*', 'react', 'react-dom', 'idb-keyval', 'idb', 'comlink', 'zustand'],
  ml: ['react', 'react-dom', 'idb-keyval', 'idb', 'zustand'],
  data: ['@tensorflow/*', 'react', 'react-dom', 'zustand'],
  lab: ['@tensorflow/*', 'react', 'react-dom', 'idb-keyval', 'idb', 'comlink', 'zustand'],
  ui: [
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-*',
    'idb-keyval',
    'idb',
    'comlink',
  ],
  state: ['@tensorflow/tfjs', '@tensorflow/tfjs-core', 'idb-keyval', 'idb', 'react-dom'],
};

const boundaryRules = Object.entries(allowed).map(([layer, ok]) => {
  const forbidden = layers.filter((l) => l !== layer && !ok.includes(l));
  const patterns = forbidden.map((l) => ({
    group: [`**/${l}/*`, `../${l}`, `../../${l}`],
    message:
      `src/${layer} may import only: ${ok.join(', ') || 'nothing inside src'}` +
      `${typeOnly[layer] ? ` (and the types of ${typeOnly[layer].join(', ')})` : ''} (see docs/architecture.md).`,
    // services may see the workers' API types, and the Lab the types of storage and the workers, nothing more.
    ...(typeOnly[layer]?.includes(l) ? { allowTypeImports: true } : {}),
  }));
  for (const pkg of bannedPackages[layer] ?? []) {
    patterns.push({ group: [pkg], message: `src/${layer} must not depend on ${pkg}.` });
  }
  return {
    files: [`src/${layer}/**/*.{ts,tsx}`],
    ignores: ['src/**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
});

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'test-results',
      'playwright-report',
      'bench-results',
      'e2e/fixtures',
      'src/ml/wasm/as',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Names are shown as text, never as HTML.',
        },
      ],
    },
  },
  ...boundaryRules,
);
