/**
 * The first deploy with DNS outside Route53 and Cloudflare (`dns.provider: "manual"`). The apply waits for ACM to
 * validate the certificate, and ACM validates only once its CNAME exists at the user's DNS host, which the user can
 * create only once they know it: in one apply that is a deadlock until the validation timeout. So the deploy runs in
 * two steps (issue 14):
 *   1. a targeted apply of what the records are made of: the certificate (its validation CNAME), the SES identity
 *      (its DKIM tokens) and the load balancer (the API record's target);
 *   2. a full plan, whose `dns_records` output is now known: every record is printed, copy-pasteable, then the deploy
 *      waits for ACM with a progress line (what it waits for, for how long, how to check it yourself), then applies.
 * Interrupted or timed out, `backplane deploy` starts again at 2 (the certificate is in the state); `backplane dns`
 * prints the records at any time.
 */
import { setTimeout as sleep } from 'timers/promises';
import type { Context } from './command';
import { UserError } from './errors';
import type { ShowJson, TerraformRunner } from './terraform';
import { duration, type ChangeCounts } from './terraform-ui';

/** The manual DNS provider's output (src/constructs/dns.ts ManualDnsProvider). */
export const RECORDS_OUTPUT = 'dns_records';
/** What step 1 creates: the resources every record's value comes from. */
const FIRST_STEP_TYPES = ['aws_acm_certificate', 'aws_sesv2_email_identity', 'aws_lb'] as const;

export interface DnsRow {
  readonly name: string;
  readonly type: string;
  /** The value to enter; undefined while Terraform does not know it yet. */
  readonly value?: string;
  readonly ttl?: number;
  readonly purpose: string;
}

export interface RecordsInPlan {
  readonly rows: readonly DnsRow[];
  /** Some records (or the whole list) are known only once step 1 has run. */
  readonly incomplete: boolean;
}

/** The records of the `dns_records` output in a plan (`show -json`), or undefined when the stack has none. */
export function recordsInPlan(show: ShowJson): RecordsInPlan | undefined {
  const change = show.output_changes?.[RECORDS_OUTPUT];
  if (!change) return undefined;
  if (change.after_unknown === true || !Array.isArray(change.after)) return { rows: [], incomplete: true };
  const unknown = Array.isArray(change.after_unknown) ? (change.after_unknown as unknown[]) : [];
  let incomplete = false;
  const rows = (change.after as Record<string, unknown>[]).map((r, i): DnsRow => {
    const missing = unknown[i] === true || (unknown[i] as { value?: boolean } | undefined)?.value === true;
    incomplete ||= missing;
    return {
      name: String(r.name),
      type: String(r.type),
      value: missing ? undefined : String(r.value),
      ttl: typeof r.ttl === 'number' ? r.ttl : undefined,
      purpose: String(r.purpose ?? ''),
    };
  });
  return { rows, incomplete };
}

/** One line per record, aligned: type, name, value (quoted when it has spaces, as DNS hosts take TXT values), purpose. */
export function formatRecords(rows: readonly DnsRow[]): string {
  const shown = rows.map((r) => ({
    ...r,
    text:
      r.value === undefined ? '(known once the deploy has created it)' : /\s/.test(r.value) && r.type === 'TXT' ? `"${r.value}"` : r.value,
  }));
  const w = (f: (r: (typeof shown)[number]) => string) => Math.max(...shown.map((r) => f(r).length), 0);
  const [type, name, value] = [w((r) => r.type), w((r) => r.name), w((r) => r.text)];
  return shown.map((r) => `  ${r.type.padEnd(type)}  ${r.name.padEnd(name)}  ${r.text.padEnd(value)}  # ${r.purpose}`).join('\n');
}

export interface FirstStep {
  /** Addresses to create first; empty when a previous run created them (the deploy resumes at the wait). */
  readonly targets: readonly string[];
}

/** Whether this deploy needs the two steps: manual DNS records and a certificate validation still to create. */
export function firstStep(plan: ShowJson): FirstStep | undefined {
  if (!plan.output_changes?.[RECORDS_OUTPUT]) return undefined;
  const creates = (type: string) =>
    (plan.resource_changes ?? []).filter((c) => c.mode === 'managed' && c.type === type && c.change.actions.includes('create'));
  if (creates('aws_acm_certificate_validation').length === 0) return undefined;
  return { targets: FIRST_STEP_TYPES.flatMap((t) => creates(t).map((c) => c.address)) };
}

interface PendingCertificate {
  readonly arn: string;
  readonly domain: string;
  /** The validation CNAMEs ACM looks for. */
  readonly records: readonly { readonly name: string; readonly value: string }[];
}

/** The certificates in the state, with their validation records. */
export function certificatesInState(state: ShowJson): PendingCertificate[] {
  return (state.values?.root_module?.resources ?? [])
    .filter((r) => r.type === 'aws_acm_certificate')
    .map((r) => ({
      arn: String(r.values.arn),
      domain: String(r.values.domain_name),
      records: ((r.values.domain_validation_options ?? []) as { resource_record_name: string; resource_record_value: string }[]).map(
        (o) => ({ name: o.resource_record_name.replace(/\.$/, ''), value: o.resource_record_value.replace(/\.$/, '') }),
      ),
    }));
}

export interface WaitOptions {
  readonly region: string;
  /** Give up (the deploy can be run again: it resumes) after this long. */
  readonly limitMs: number;
  /** Between two DescribeCertificate calls. */
  readonly pollMs: number;
}

/** ACM statuses after which waiting is pointless (ACM API Reference, CertificateDetail.Status). */
const GAVE_UP = ['FAILED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'INACTIVE', 'EXPIRED'];

/** Polls ACM until every certificate is ISSUED, with a progress line per poll; throws on failure or at the limit. */
export async function waitForCertificates(ctx: Context, certificates: readonly PendingCertificate[], options: WaitOptions): Promise<void> {
  const { ACMClient, DescribeCertificateCommand } = await import('@aws-sdk/client-acm');
  const acm = new ACMClient(ctx.deps.aws.clientConfig(options.region));
  const started = Date.now();
  const pending = new Map(certificates.map((c) => [c.arn, c]));
  try {
    for (;;) {
      for (const cert of [...pending.values()]) {
        const { Certificate: d } = await acm.send(new DescribeCertificateCommand({ CertificateArn: cert.arn }));
        const status = d?.Status ?? 'UNKNOWN';
        const elapsed = duration((Date.now() - started) / 1000);
        if (status === 'ISSUED') {
          pending.delete(cert.arn);
          ctx.io.err(`  certificate for ${cert.domain} issued (after ${elapsed})`);
          continue;
        }
        if (GAVE_UP.includes(status))
          throw new UserError(
            `ACM did not validate the certificate for ${cert.domain}: ${status}${d?.FailureReason ? ` (${d.FailureReason})` : ''}; check the records above, then run \`backplane deploy\` again`,
          );
        const record = cert.records[0];
        ctx.io.err(
          `  waiting for ACM to validate ${cert.domain} (${status}, ${elapsed})` +
            (record ? `: it looks up CNAME ${record.name} -> ${record.value}; check it yourself: dig +short CNAME ${record.name}` : ''),
        );
      }
      if (pending.size === 0) return;
      if (Date.now() - started >= options.limitMs) {
        const domains = [...pending.values()].map((c) => c.domain).join(', ');
        throw new UserError(
          `the certificate for ${domains} is not validated after ${duration(options.limitMs / 1000)}: create the records above at your DNS host, then run \`backplane deploy\` again (it resumes here; \`backplane dns\` prints the records)`,
        );
      }
      await sleep(options.pollMs);
    }
  } finally {
    acm.destroy();
  }
}

/**
 * Step 1 (skipped when a previous run did it), then the full plan, the records and the wait. Leaves the full plan
 * saved for the caller to apply; returns the records and what step 1 changed.
 */
export async function runFirstStep(
  ctx: Context,
  tf: TerraformRunner,
  step: FirstStep,
  options: WaitOptions,
): Promise<{ rows: readonly DnsRow[]; changed?: ChangeCounts }> {
  let changed: ChangeCounts | undefined;
  if (step.targets.length > 0) {
    ctx.io.err('Step 1 of 2: the certificate, the email identity and the load balancer (what the DNS records are made of)');
    changed = (await tf.applyTargets(step.targets)).summary;
  } else {
    ctx.io.err('Resuming: the certificate exists; its validation is what is left to wait for');
  }
  await tf.plan(false, true);
  const records = recordsInPlan(await tf.show(true));
  const rows = records?.rows ?? [];
  ctx.io.err(
    `Create these DNS records at your DNS host now (\`backplane dns\` prints them again); ACM validates the certificate once its CNAME resolves:\n${formatRecords(rows)}`,
  );
  await waitForCertificates(ctx, certificatesInState(await tf.show(false)), options);
  ctx.io.err('Step 2 of 2: everything else');
  return { rows, changed };
}
