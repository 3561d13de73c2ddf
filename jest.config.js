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
  // files. A worker over this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: '512MB',
  // A worker's process takes 0.8–1.2 s to end after its last file even so (measured from jest's
  // END message until the process is gone, its 'exit' event within 40 ms of END: the rest is
  // Node tearing down the heap and contexts), past jest's default 500 ms ("A worker process has
  // failed to exit gracefully"). One that does not end at all is still reported, after this.
  workerGracefulExitTimeout: 3000,
};
