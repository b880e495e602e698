import { CONFIG_FLAGS, JSON_FLAG, flag, json, loadValidated, type Command } from '../command';
import { UsageError } from '../errors';
import { heavy } from '../heavy-loader';

const USAGE_FLAGS = { requests: 'requestsPerMonth', emails: 'emailsPerMonth', 'logs-gb': 'logsGbPerMonth' } as const;

export const costCommand: Command = {
  name: 'cost',
  summary: 'the monthly baseline of the configured stack, per line item, with the cost levers',
  usage: 'cost [--config <file>] [--json] [--requests <per month>] [--emails <per month>] [--logs-gb <GB>]',
  description:
    'Prices every component the config turns on from the table in src/cost/prices.ts (us-east-1, on-demand, read 2026-11,\n' +
    '730 h/month). Each line shows its arithmetic; the levers re-price the config with one setting changed.\n' +
    'The baseline is the idle stack; pass usage flags to add traffic. "By stage" prices the same config as dev and as prod\n' +
    '(prod adds its redundancy defaults where the config is silent). See docs/cost.md.',
  flags: [
    ...CONFIG_FLAGS,
    JSON_FLAG,
    { name: 'requests', type: 'number', value: '<n>', description: 'API requests per month (ALB LCUs, CloudFront) (default: 0)' },
    { name: 'emails', type: 'number', value: '<n>', description: 'emails sent per month (default: 0)' },
    { name: 'logs-gb', type: 'number', value: '<GB>', description: 'CloudWatch Logs ingested per month (default: 1)' },
    { name: 'brief', type: 'boolean', description: 'leave out the arithmetic of each line' },
  ],
  async run(args, ctx) {
    const assumptions: Record<string, number> = {};
    for (const [name, key] of Object.entries(USAGE_FLAGS)) {
      const v = flag.number(args, name);
      if (v === undefined) continue;
      if (v < 0) throw new UsageError(`--${name} must not be negative (got ${v})`);
      assumptions[key] = v;
    }
    // The same checks as synth: a config synth refuses is never priced.
    const { config, input } = loadValidated(args, ctx);
    const { costReport, formatCostReport } = heavy().cost;
    const report = costReport(config, assumptions, input);
    ctx.io.out(args.flags.json ? json(report) : formatCostReport(report, { details: !flag.bool(args, 'brief') }));
    return 0;
  },
};
