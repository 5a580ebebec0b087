// Lint: typescript-eslint's recommended rules (syntax only, no type information, to stay fast),
// plus Reelay's own rules that keep the layers of DESIGN.md apart (eslint-rules/).
// `npm run lint`; formatting is Prettier's job (`npm run format:check`), not ESLint's.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reelay from './eslint-rules/index.js';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** Who may import whom; paths are relative to the repository root, a trailing `/` means a folder. */
const LAYERS = {
  root: ROOT,
  zones: [
    { target: 'src/store/', forbidden: ['src/api/'], message: 'the store knows nothing of HTTP' },
    { target: 'src/core/', forbidden: ['src/api/'], message: 'the rules know nothing of HTTP' },
    {
      // An engine sees its own folder, the engine contract and the neutral helpers, never the
      // server around it (config, store, API) nor another engine.
      target: 'src/engines/',
      ownFolder: true,
      allowed: ['src/engines/engine.ts', 'src/engines/remote/', 'src/core/types.ts', 'src/logger.ts', 'src/media/', 'src/config-values.ts'],
      message: 'an engine depends only on its own folder, the engine contract and the neutral modules',
    },
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'data/', '.test-tmp/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { reelay },
    rules: {
      'reelay/no-cycle': 'error',
      'reelay/layers': ['error', LAYERS],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
);
