import * as path from 'path';
import { CONFIG_FLAGS, JSON_FLAG, OUTDIR_FLAG, json, synthFromArgs, type Command } from '../command';

export const synthCommand: Command = {
  name: 'synth',
  summary: 'synthesize the Terraform configuration (cdktf.out/stacks/<name>-<stage>/cdk.tf.json)',
  usage: 'synth [--config <file>] [--outdir <dir>] [--json]',
  description: 'Validates the config, then writes the Terraform JSON that plan/deploy/destroy run. Nothing reaches AWS.',
  flags: [...CONFIG_FLAGS, OUTDIR_FLAG, JSON_FLAG],
  async run(args, ctx) {
    const { loaded, result, ms } = synthFromArgs(args, ctx);
    const total = Object.values(result.resources).reduce((a, b) => a + b, 0);
    const file = path.join(result.stackDir, 'cdk.tf.json');
    if (args.flags.json) {
      ctx.io.out(
        json({
          stack: result.stackName,
          config: loaded.file,
          file: path.resolve(file),
          resourceCount: total,
          resources: result.resources,
          milliseconds: Math.round(ms),
        }),
      );
      return 0;
    }
    const width = Math.max(...Object.values(result.resources).map((n) => String(n).length), 3);
    ctx.io.out(`Synthesized ${result.stackName} from ${loaded.file}: ${total} resources in ${ms.toFixed(0)} ms`);
    ctx.io.out(`  -> ${path.relative(ctx.io.cwd, file) || file}`);
    for (const [type, n] of Object.entries(result.resources).sort(([a], [b]) => a.localeCompare(b)))
      ctx.io.out(`  ${String(n).padStart(width)}  ${type}`);
    return 0;
  },
};
