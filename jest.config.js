/** Jest in ESM mode: oidc-provider and jose are ESM-only. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  setupFilesAfterEnv: ['<rootDir>/test/support/stop-hashing-threads.ts'],
  // two workers: keeps the browser tests apart from each other
  testSequencer: '<rootDir>/test/support/test-sequencer.mjs',
  testTimeout: 30000,
  // ESM test files are not all released between files: a worker's heap grew to 0.8–0.9 GB over 70
  // files, and tearing that down at the end overran jest's 500 ms exit limit ("A worker process
  // has failed to exit gracefully"). A worker over this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: '512MB',
};
