/** The real-engine harness: real Terraform + the aws provider + a private moto_server on 127.0.0.1. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30 * 60 * 1000,
  maxWorkers: 1,
};
