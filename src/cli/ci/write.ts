/** Writes the CI files of `init --ci github` for a resolved config (a new one, or the one already there). */
import * as fs from 'fs';
import * as path from 'path';
import type { BackplaneConfig } from '../../config';
import type { ParsedArgs } from '../args';
import { flag, type Context } from '../command';
import { UsageError, UserError } from '../errors';
import { githubCiFiles, REPOSITORY } from './github';

/** `--repo`, checked before anything is written. */
export function ciRepository(args: ParsedArgs): string {
  const repository = flag.string(args, 'repo');
  if (!repository || !REPOSITORY.test(repository))
    throw new UsageError('--ci github needs --repo <owner>/<repo> (the repository whose workflows may deploy)');
  return repository;
}

export function writeGithubCi(args: ParsedArgs, ctx: Context, config: BackplaneConfig, dir: string): void {
  const repository = ciRepository(args);
  if (config.state.backend === 'local')
    throw new UserError(
      'a CI runner loses a local state file: use state.backend "s3" (backplane init --backend s3) or "cloud" before --ci github',
    );
  const files = githubCiFiles({
    name: config.name,
    region: config.region,
    repository,
    branch: flag.string(args, 'branch') ?? 'main',
    stage: config.stage,
    stateBucket: config.state.backend === 's3' ? config.state.bucket : undefined,
    previewParent: config.preview?.parent,
  });
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(dir, relative);
    if (fs.existsSync(file) && !flag.bool(args, 'force')) throw new UserError(`${relative} already exists: pass --force to overwrite it`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    ctx.io.out(`wrote ${path.relative(ctx.io.cwd, file) || file}`);
  }
  ctx.io.out('then, once, with an administrator: (cd ci/github-oidc && terraform init && terraform apply)');
  ctx.io.out('and set the repository variables BACKPLANE_DEPLOY_ROLE_ARN and BACKPLANE_PR_ROLE_ARN to its outputs');
}
