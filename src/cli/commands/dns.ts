/**
 * `backplane dns`: the records to create at the user's DNS host (dns.provider "manual"), read from a fresh plan of
 * the stack so the values are the live ones (the certificate's validation CNAME, the DKIM tokens, the load balancer).
 */
import { CONFIG_FLAGS, JSON_FLAG, OUTDIR_FLAG, json, synthFromArgs, type Command } from '../command';
import { formatRecords, recordsInPlan } from '../dns-first-deploy';
import { prepare } from './terraform';

export const dnsCommand: Command = {
  name: 'dns',
  summary: 'the DNS records to create at your DNS host (dns.provider "manual"), with their current values',
  usage: 'dns [--config <file>] [--json]',
  description:
    'Plans the stack (nothing is changed) and prints every record Backplane needs: the certificate validation CNAME,\n' +
    "SES's DKIM CNAMEs, MAIL FROM MX and SPF, DMARC and the API record. Before the first `backplane deploy` has created\n" +
    'the certificate, the email identity and the load balancer, some values are not known yet and say so.',
  flags: [...CONFIG_FLAGS, OUTDIR_FLAG, JSON_FLAG],
  async run(args, ctx) {
    const synthesized = synthFromArgs(args, ctx, { pendingImage: true });
    const { config } = synthesized.loaded;
    if (config.dns.provider !== 'manual') {
      const message = `dns.provider is "${config.dns.provider}": Backplane creates every record itself, there is nothing to create by hand`;
      ctx.io.out(args.flags.json ? json({ provider: config.dns.provider, records: [], message }) : message);
      return 0;
    }
    const { tf, result } = await prepare(args, ctx, 'dns', synthesized);
    await tf.plan(false, true);
    const records = recordsInPlan(await tf.show(true)) ?? { rows: [], incomplete: false };
    const pending = records.incomplete
      ? 'Some values are known only once `backplane deploy` has created the certificate, the email identity and the load balancer (its first step).'
      : undefined;
    if (args.flags.json) {
      ctx.io.out(json({ stack: result.stackName, provider: 'manual', records: records.rows, complete: !records.incomplete }));
      return 0;
    }
    ctx.io.out(`DNS records for ${result.stackName} (create them at your DNS host):`);
    ctx.io.out(records.rows.length > 0 ? formatRecords(records.rows) : '  (none known yet)');
    if (pending) ctx.io.out(pending);
    return 0;
  },
};
