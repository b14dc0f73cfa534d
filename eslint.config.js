// Lint for the whole tree: TypeScript and Svelte, plus the house rule on import directions
// (ARCHITECTURE.md, "Rules of the house"), checked by a small local rule below.
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));

// Pure modules: no DOM, no Svelte, no Node APIs (the pure type check proves the DOM/Node part).
const PURE = ['app/src/protocols', 'app/src/mime', 'app/src/lessons', 'app/src/transcript', 'app/src/wire'];
const inside = (file, dir) => file === dir || file.startsWith(`${dir}/`);

/** Why an import from `from` (a repository path) of `spec` breaks the house rules, or null. */
function importViolation(from, spec) {
  const isPure = PURE.some((d) => inside(from, d));
  if (isPure && (spec.startsWith('node:') || spec === 'svelte' || spec.startsWith('svelte/'))) {
    return 'pure modules use no Node APIs and no Svelte';
  }
  if (!spec.startsWith('.')) return null;
  const to = relative(root, resolve(root, dirname(from), spec))
    .split('\\')
    .join('/');
  if (inside(from, 'app') && !inside(to, 'app'))
    return 'app/ imports only from app/ (the wire contract is app/src/wire)';
  if (isPure && !PURE.some((d) => inside(to, d))) return 'a pure module imports only pure modules';
  if (inside(from, 'bridge') && inside(to, 'app') && !PURE.some((d) => inside(to, d))) {
    return 'bridge/ imports from app/ only the pure modules';
  }
  if (inside(from, 'bridge/practice') && inside(to, 'bridge/relay'))
    return 'the practice server knows nothing of the relay';
  if (inside(from, 'bridge/relay') && inside(to, 'bridge/practice')) {
    return 'the relay knows the practice server only through relay/named-targets.ts';
  }
  return null;
}

const houseRules = {
  rules: {
    'import-direction': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const from = relative(root, context.filename).split('\\').join('/');
        const check = (node) => {
          const spec = node.source && typeof node.source.value === 'string' ? node.source.value : null;
          const why = spec && importViolation(from, spec);
          if (why) context.report({ node, message: `Import of '${spec}' breaks the house rules: ${why}.` });
        };
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', '.mailwire-data/', 'pack/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { house: houseRules },
    rules: {
      'house/import-direction': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Protocol code tests for control characters on purpose (CR, LF, NUL in commands).
      'no-control-regex': 'off',
      // TypeScript checks names itself, types included (typescript-eslint's advice).
      'no-undef': 'off',
    },
  },
  // Tests read JSON bodies and library internals where a precise type buys nothing.
  { files: ['test/**', 'bench/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Ambient declarations (app/src/pure-globals.d.ts) declare globals with `var`, as lib.dom does.
  { files: ['**/*.d.ts'], rules: { 'no-var': 'off' } },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);
