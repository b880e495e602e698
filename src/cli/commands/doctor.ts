import { CONFIG_FLAGS, JSON_FLAG, json, loadResolved, type Command } from '../command';
import type { CheckResult } from '../doctor';
import { UserError, isConfigError } from '../errors';
import { heavy } from '../heavy-loader';

const MARK: Record<CheckResult['status'], string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check Node, terraform/tofu, AWS credentials, Docker, the DNS token, the snapshot and the state backend',
  usage: 'doctor [--config <file>] [--json]',
  description: 'Each check says what it found and how to fix it. Exits 1 when a check fails (warnings do not).',
  flags: [...CONFIG_FLAGS, JSON_FLAG],
  async run(args, ctx) {
    const { checkCredentials, checkDnsToken, checkDocker, checkNode, checkSnapshot, checkState, checkTerraform } = heavy().doctor();
    const results: CheckResult[] = [checkNode()];
    results.push(...(await checkTerraform(ctx)));
    let loaded: ReturnType<typeof loadResolved> | undefined;
    try {
      loaded = loadResolved(args, ctx);
      results.push({
        check: 'Config',
        status: 'ok',
        detail: `${loaded.file} is valid (${loaded.config.name}-${loaded.config.stage}, ${loaded.config.region})`,
      });
    } catch (err) {
      if (isConfigError(err)) {
        const lines = (err as Error).message.split('\n');
        results.push({
          check: 'Config',
          status: 'fail',
          detail: `${lines[0]} ${lines[1]?.trim().replace(/^- /, '') ?? ''}`.trim(),
          fix: 'run `backplane synth` to see every problem',
        });
      } else if (err instanceof UserError) results.push({ check: 'Config', status: 'warn', detail: err.message, fix: 'backplane init' });
      else throw err;
    }
    const credentials = await checkCredentials(ctx, loaded?.config.region ?? 'us-east-1');
    results.push(credentials);
    results.push(...(await checkDocker(ctx)));
    if (loaded) {
      results.push(checkDnsToken(ctx, loaded.config));
      results.push(await checkSnapshot(ctx, loaded.config, loaded.dir, credentials.status === 'ok'));
      results.push(await checkState(ctx, loaded.config, credentials.status === 'ok'));
    }
    const failed = results.filter((r) => r.status === 'fail').length;
    const warned = results.filter((r) => r.status === 'warn').length;
    if (args.flags.json) {
      ctx.io.out(json({ ok: failed === 0, checks: results }));
    } else {
      const width = Math.max(...results.map((r) => r.check.length));
      for (const r of results) {
        ctx.io.out(`${MARK[r.status]} ${r.check.padEnd(width)}  ${r.detail}`);
        if (r.fix && (r.status === 'fail' || r.status === 'warn')) ctx.io.out(`  ${' '.repeat(width)}  fix: ${r.fix}`);
      }
      ctx.io.out(
        failed === 0
          ? `\nReady${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`
          : `\n${failed} problem${failed === 1 ? '' : 's'} to fix${warned ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}.`,
      );
    }
    return failed === 0 ? 0 : 1;
  },
};
