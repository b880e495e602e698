import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FLAGS, flag, loadResolved, type Command } from '../command';
import { CONFIG_NAMES } from '../load-config';
import { UsageError, UserError } from '../errors';
import { heavy } from '../heavy-loader';

export const cloudfrontSnapshotCommand: Command = {
  name: 'cloudfront snapshot',
  summary: "save the existing CloudFront distribution's config (the snapshot Backplane attaches to)",
  usage: 'cloudfront snapshot [--id <DISTRIBUTION_ID>] [--out <file>] [--without-origin <originId>]',
  description:
    'Reads the distribution with the AWS SDK (GetDistributionConfig, the JSON of `aws cloudfront get-distribution-config`).\n' +
    'Without --id, uses edge.distributionId and writes edge.snapshotFile from the config. Commit the file: synthesis\n' +
    'renders the distribution from it, and the plan refuses to run if the live distribution changed since.\n' +
    'Re-snapshot a distribution Backplane already attached to with --without-origin backplane-api.',
  flags: [
    { name: 'id', type: 'string', value: '<id>', description: 'the distribution id, e.g. E2QWRUHAPOMQZL (default: edge.distributionId)' },
    {
      name: 'out',
      alias: 'o',
      type: 'string',
      value: '<file>',
      description: 'write the snapshot here (default: edge.snapshotFile; stdout with --id alone)',
    },
    { name: 'without-origin', type: 'string', value: '<originId>', description: 'leave out this origin and its behaviors' },
    ...CONFIG_FLAGS,
  ],
  async run(args, ctx) {
    let id = flag.string(args, 'id');
    let out = flag.string(args, 'out');
    if (out) out = path.resolve(ctx.io.cwd, out);
    const hasConfig =
      flag.string(args, 'config') !== undefined ||
      flag.bool(args, 'example') ||
      CONFIG_NAMES.some((n) => fs.existsSync(path.join(ctx.io.cwd, n)));
    if (!id) {
      if (!hasConfig)
        throw new UsageError('--id <DISTRIBUTION_ID> is required (or run it next to a backplane.config.ts with edge.mode "attach")');
      const { config, dir, file } = loadResolved(args, ctx);
      if (config.edge.mode !== 'attach')
        throw new UserError(
          `${file} serves the API at a subdomain (edge.mode "subdomain"): there is no distribution to snapshot; pass --id to snapshot one anyway`,
        );
      id = config.edge.distributionId;
      out = out ?? path.resolve(dir, config.edge.snapshotFile);
    }
    const forwarded = [
      '--id',
      id,
      ...(out ? ['--out', out] : []),
      ...(flag.string(args, 'without-origin') ? ['--without-origin', flag.string(args, 'without-origin') as string] : []),
    ];
    const result = await heavy().snapshot().cloudfrontSnapshotCommand(forwarded, { client: ctx.deps.aws.cloudfront(), now: ctx.deps.now });
    if (result.exitCode !== 0)
      throw new UserError(result.text.split('\n')[0].replace(/^cloudfront snapshot failed: /, ''), result.exitCode);
    ctx.io.out(out ? result.text.replace(out, path.relative(ctx.io.cwd, out) || out) : result.text);
    return 0;
  },
};
