import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FLAGS, JSON_FLAG, flag, json, loadResolved, type Command } from '../command';
import { UserError } from '../errors';
import { heavy } from '../heavy-loader';

const pad = (n: number) => String(n).padStart(2, '0');
const timestampTag = (d: Date) =>
  `build-${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

export const imagePushCommand: Command = {
  name: 'image push',
  summary: "build the app image for the service's platform, push it to ECR, print the digest to pin",
  usage: 'image push [--context <dir>] [--dockerfile <file>] [--tag <tag>] [--config <file>] [--json]',
  description:
    'Builds with the local Docker CLI (docker buildx, --platform linux/arm64 for service.architecture "arm64"),\n' +
    'logs in to ECR with a token from GetAuthorizationToken (AWS SDK; no AWS CLI needed) and pushes to the\n' +
    "stack's repository (<name>-<stage>, created by `backplane deploy`). Pin the printed digest in the config:\n" +
    "service: { imageDigest: 'sha256:...' }. Tags are immutable: every push needs a new tag.",
  flags: [
    ...CONFIG_FLAGS,
    { name: 'context', type: 'string', value: '<dir>', description: 'build context (default: the config directory)' },
    { name: 'dockerfile', alias: 'f', type: 'string', value: '<file>', description: 'Dockerfile (default: <context>/Dockerfile)' },
    {
      name: 'tag',
      alias: 't',
      type: 'string',
      value: '<tag>',
      description: 'image tag (default: service.imageTag, else build-<UTC timestamp>)',
    },
    JSON_FLAG,
  ],
  async run(args, ctx) {
    const { config, dir } = loadResolved(args, ctx);
    if (config.service.image)
      throw new UserError(
        `service.image is set (${config.service.image}): the service runs an image from elsewhere; remove it to use the Backplane repository`,
      );
    const context = path.resolve(ctx.io.cwd, flag.string(args, 'context') ?? dir);
    const dockerfile = path.resolve(ctx.io.cwd, flag.string(args, 'dockerfile') ?? path.join(context, 'Dockerfile'));
    if (!fs.existsSync(dockerfile))
      throw new UserError(
        `no Dockerfile at ${path.relative(ctx.io.cwd, dockerfile) || dockerfile}: pass --context <dir> or --dockerfile <file>`,
      );
    const tag = flag.string(args, 'tag') ?? config.service.imageTag ?? timestampTag(ctx.deps.now());
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag))
      throw new UserError(`--tag "${tag}" is not a Docker tag (letters, digits, _ . -, up to 128 characters)`);
    const repository = `${config.name}-${config.stage}`;
    const { buildAndPush, ecrLogin } = heavy().image();
    const login = await ecrLogin(ctx.deps.aws.ecr(config.region));
    const platform = config.service.architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64';
    ctx.io.err(`building ${repository}:${tag} for ${platform} from ${path.relative(ctx.io.cwd, context) || '.'}`);
    const pushed = await buildAndPush({
      runner: ctx.deps.runner,
      login,
      repository,
      tag,
      context,
      dockerfile,
      platform,
      env: ctx.io.env,
      onLine: (l) => l.trim() && ctx.io.err(`  ${l}`),
    });
    if (args.flags.json) {
      ctx.io.out(json({ image: pushed.image, digest: pushed.digest, pinned: pushed.pinned, repository, tag, platform }));
      return 0;
    }
    ctx.io.out(`pushed ${pushed.image}`);
    ctx.io.out(`digest ${pushed.digest}`);
    ctx.io.out(`pin it in the config: service: { imageDigest: '${pushed.digest}' }, then \`backplane deploy\``);
    return 0;
  },
};
