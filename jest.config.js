/** Unit tests: synthesis assertions, config refusals, generators; a few start a private moto_server or real
 * Postgres/Redis on 127.0.0.1 (the CLI's AWS calls, the sample app). The real-engine harness is jest.e2e.config.js. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
};
