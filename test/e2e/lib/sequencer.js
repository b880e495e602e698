/**
 * The e2e stage's order: longest first, so that with parallel workers the slowest scenarios start at once and
 * the short ones fill the gaps (a fresh CI clone has no jest timing cache, and jest would fall back to file
 * size). A file's weight is jest's own recorded duration when it has one, else its entry below (seconds
 * measured on this 2-core machine, from the timing table `npm test` prints), else a middle weight.
 */
const Sequencer = require('@jest/test-sequencer').default;
const path = require('path');

const MEASURED_SECONDS = {
  'test/e2e/fullstack.e2e.test.ts': 420,
  'test/e2e/production.e2e.test.ts': 400,
  'test/e2e/hcl-fullstack.e2e.test.ts': 260,
  'test/e2e/consumer.e2e.test.ts': 200,
  'test/e2e/modules.e2e.test.ts': 80,
  'test/e2e/async-tier.e2e.test.ts': 200,
  'test/e2e/async-tier-lambda.e2e.test.ts': 200,
  'test/e2e/moto-gaps.e2e.test.ts': 180,
  'test/e2e/cloudfront.e2e.test.ts': 130,
  'test/e2e/lib/harness.e2e.test.ts': 90,
  'test/e2e/cdk-cli.e2e.test.ts': 60,
  'test/data/terraform.e2e.test.ts': 30,
  'test/lambda/bun-lambda.e2e.test.ts': 30,
  'test/dns/modules.e2e.test.ts': 20,
  'test/async/sqs-module.e2e.test.ts': 12,
  'test/cli/plan.e2e.test.ts': 10,
};
const UNKNOWN_SECONDS = 150;

class LongestFirst extends Sequencer {
  sort(tests) {
    const weight = (test) => {
      const recorded = this.time(test);
      if (recorded > 0) return recorded / 1000;
      const rel = path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/');
      return MEASURED_SECONDS[rel] ?? UNKNOWN_SECONDS;
    };
    return [...tests].sort((a, b) => weight(b) - weight(a));
  }
}

module.exports = LongestFirst;
