/** What both runs share: TypeScript through swc, the environment every test file starts from. */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // The Kubernetes client and its auth dependencies ship only as ES modules: transform them too.
  transformIgnorePatterns: [
    '/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose|@marcbachmann/cel-js|intl-messageformat|@formatjs)/)',
  ],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // Lazy imports name the compiled .js file; under jest they resolve to the TypeScript source.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};

/**
 * The tests of the stores and queues (and of the bot, the alerts, the approvals and the fleet through
 * them), run a second time on a local three-master Redis Cluster, as on Memorystore Cluster.
 */
const ON_REDIS_CLUSTER = [
  'unit/remediation-proposal-store',
  'unit/clusters',
  'integration/bot',
  'integration/alerts',
  'integration/approvals',
  'integration/fleet',
].map((name) => `<rootDir>/test/${name}.test.ts`);

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'redis', testMatch: ['**/*.test.ts'] },
    {
      ...common,
      displayName: 'redis-cluster',
      testMatch: ON_REDIS_CLUSTER,
      setupFiles: [...common.setupFiles, '<rootDir>/test/setup-redis-cluster.ts'],
    },
  ],
  // Stops the run at once, saying what to install, when redis-server is missing.
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
};
