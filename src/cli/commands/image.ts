import * as path from 'path';
import { CONFIG_FLAGS, JSON_FLAG, flag, json, loadResolved, type Command } from '../command';
import { UserError } from '../errors';
import { buildPlan, pushAndRecord, timestampTag } from '../image-first-deploy';

export const imagePushCommand: Command = {
  name: 'image push',
  summary: "build the app image for the service's platform, push it to ECR, print the digest to pin",
  usage: 'image push [--context <dir>] [--dockerfile <file>] [--tag <tag>] [--config <file>] [--json]',
  description:
    'Builds with the local Docker CLI (docker buildx, --platform linux/arm64 for service.architecture "arm64"),\n' +
    'logs in to ECR with a token from GetAuthorizationToken (AWS SDK; no AWS CLI needed) and pushes to the\n' +
    "stack's repository (<name>-<stage>, a preview's parent's; `backplane deploy` creates it). Pin the printed digest\n" +
    "in the config (service: { imageDigest: 'sha256:...' }); with service.build it is recorded in\n" +
    'backplane.images.json instead (then `backplane deploy --no-build`). Tags are immutable: every push needs a new tag.',
  flags: [
    ...CONFIG_FLAGS,
    {
      name: 'context',
      type: 'string',
      value: '<dir>',
      description: 'build context (default: service.build.context, else the config directory)',
    },
    { name: 'dockerfile', alias: 'f', type: 'string', value: '<file>', description: 'Dockerfile (default: <context>/Dockerfile)' },
    {
      name: 'tag',
      alias: 't',
      type: 'string',
      value: '<tag>',
      description: 'image tag (default: service.imageTag; with service.build <stage>-<UTC timestamp>; else build-<UTC timestamp>)',
    },
    JSON_FLAG,
  ],
  async run(args, ctx) {
    const loaded = loadResolved(args, ctx);
    const { config } = loaded;
    if (config.service.image)
      throw new UserError(
        `service.image is set (${config.service.image}): the service runs an image from elsewhere; remove it to use the Backplane repository`,
      );
    const plan = buildPlan(loaded, ctx.io.cwd, { context: flag.string(args, 'context'), dockerfile: flag.string(args, 'dockerfile') });
    const tag =
      flag.string(args, 'tag') ?? config.service.imageTag ?? timestampTag(ctx.deps.now(), config.service.build ? config.stage : 'build');
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag))
      throw new UserError(`--tag "${tag}" is not a Docker tag (letters, digits, _ . -, up to 128 characters)`);
    const pushed = await pushAndRecord(ctx, loaded, plan, tag);
    if (args.flags.json) {
      ctx.io.out(
        json({
          image: pushed.image,
          digest: pushed.digest,
          pinned: `${pushed.image.slice(0, pushed.image.lastIndexOf(':'))}@${pushed.digest}`,
          repository: plan.repository,
          tag,
          platform: plan.platform,
          ...(pushed.lockFile ? { recorded: pushed.lockFile } : {}),
        }),
      );
      return 0;
    }
    ctx.io.out(`pushed ${pushed.image}`);
    ctx.io.out(`digest ${pushed.digest}`);
    ctx.io.out(
      pushed.lockFile
        ? `recorded for stage ${config.stage} in ${path.relative(ctx.io.cwd, pushed.lockFile) || pushed.lockFile} (service.build): \`backplane deploy --no-build\` deploys it`
        : `pin it in the config: service: { imageDigest: '${pushed.digest}' }, then \`backplane deploy\``,
    );
    return 0;
  },
};
