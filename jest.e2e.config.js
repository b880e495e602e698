/**
 * The real-engine stage: every `*.e2e.test.ts` — the scenarios under test/e2e (real Terraform + the aws provider +
 * a private moto_server each) and the tests elsewhere that drive terraform. Scenarios are independent (own moto,
 * own work dir) and spend most of their time in the provider's waiters, not on the CPU, so they run in parallel
 * (E2E_WORKERS, default 4), the longest first (test/e2e/lib/sequencer.js).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testSequencer: '<rootDir>/test/e2e/lib/sequencer.js',
  testTimeout: 30 * 60 * 1000,
  maxWorkers: Number(process.env.E2E_WORKERS ?? 4),
};
