import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = dirname(fileURLToPath(import.meta.url));

/**
 * The layers, lowest first. A module may import from its own folder and from folders of lower layers,
 * never from a higher layer or from another folder of its own layer. handlers/ sits above all of src/,
 * so nothing in src/ imports it; main.ts, test/ and bench/ are above everything and not checked.
 */
const LAYERS = [
  ['src/util'],
  ['src/i18n'],
  ['src/runbooks', 'src/commands'],
  ['src/diagnosis'],
  ['src/alerts', 'src/remediation'],
  ['src/collect', 'src/report'],
  ['src/pipeline'],
  ['src/slack', 'src/queue', 'src/store', 'src/config', 'src/metrics'],
  ['src/bot', 'src/worker', 'src/cli'],
  ['handlers'],
];

/** The layer folder of a repository path (`src/bot.ts` belongs with `src/bot/`), or null outside the layers. */
function folderOf(path) {
  const p = path.split(sep).join('/').replace(/\.ts$/, '');
  for (const [rank, folders] of LAYERS.entries()) {
    for (const folder of folders) if (p === folder || p.startsWith(`${folder}/`)) return { folder, rank };
  }
  return null;
}

const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports go down the layers listed in eslint.config.mjs, never up or sideways.' },
    schema: [],
  },
  create(context) {
    const from = folderOf(relative(ROOT, context.filename));
    if (!from) return {};
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = folderOf(relative(ROOT, resolve(dirname(context.filename), source.replace(/\.js$/, ''))));
      if (!to || to.folder === from.folder || to.rank < from.rank) return;
      const why = to.rank > from.rank ? 'a higher layer' : 'another folder of the same layer';
      context.report({
        node: node.source,
        message: `${from.folder} may not import ${to.folder} (${why}); see the layer list in eslint.config.mjs and the README's architecture section.`,
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { local: { rules: { layers: layersRule } } },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: ROOT } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'local/layers': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union or an as-const object.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
);
