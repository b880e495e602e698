/** Unit tests: synthesis assertions, config refusals, generators; a few start a private moto_server or real
 * Postgres/Redis on 127.0.0.1 (the CLI's AWS calls, the sample app). Nothing here runs terraform: a test that
 * drives the real engine is named `*.e2e.test.ts` and runs in the e2e stage (jest.e2e.config.js). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '\\.e2e\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
  // Two cores: one worker per core (jest's default would be one worker in all).
  maxWorkers: process.env.UNIT_WORKERS ?? 2,
};
