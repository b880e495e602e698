/**
 * Snapshot an existing CloudFront distribution with the AWS SDK (no AWS CLI): GetDistributionConfig,
 * the same JSON shape as `aws cloudfront get-distribution-config --id <ID>`, plus the id and the time.
 * The CLI command `backplane cloudfront snapshot --id <ID> [--out file] [--without-origin <originId>]`
 * is {@link cloudfrontSnapshotCommand}.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudFrontClient, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { parseSnapshot, snapshotToJson, withoutOrigin, type DistributionSnapshot } from './distribution-snapshot';

/** The part of a CloudFront client {@link snapshotDistribution} uses (a real `CloudFrontClient` fits). */
export interface CloudFrontSender {
  send(command: GetDistributionConfigCommand): Promise<{ ETag?: string; DistributionConfig?: unknown }>;
}

/** Options of {@link snapshotDistribution}. */
export interface SnapshotOptions {
  /** The distribution id, e.g. `E1A2B3C4D5E6F7`. */
  readonly id: string;
  /**
   * The client to read with.
   * @default a `CloudFrontClient` in us-east-1 with the default credential chain
   */
  readonly client?: CloudFrontSender;
  /**
   * Leave out this origin and every behavior targeting it: re-snapshot a distribution Backplane
   * already attached to (e.g. "backplane-api").
   * @default undefined (the config exactly as read)
   */
  readonly withoutOrigin?: string;
  /**
   * The clock, for tests.
   * @default () => new Date()
   */
  readonly now?: () => Date;
}

/** A snapshot plus its stable JSON. */
export interface Snapshot extends DistributionSnapshot {
  readonly Id: string;
  readonly snapshotAt: string;
  /** Write the snapshot as stable, pretty JSON (directories are created). */
  writeSnapshot(file: string): void;
  /** The JSON {@link writeSnapshot} writes. */
  toJson(): string;
}

const DISTRIBUTION_ID = /^[A-Z0-9]{8,20}$/;

/** Read the distribution's config with GetDistributionConfig. */
export async function snapshotDistribution(options: SnapshotOptions): Promise<Snapshot> {
  if (!DISTRIBUTION_ID.test(options.id)) {
    throw new Error(
      `distribution id "${options.id}" is not a CloudFront distribution id (upper-case letters and digits, e.g. E1A2B3C4D5E6F7)`,
    );
  }
  // CloudFront is a global service whose API lives in us-east-1.
  const client = options.client ?? new CloudFrontClient({ region: 'us-east-1' });
  const answer = await client.send(new GetDistributionConfigCommand({ Id: options.id }));
  const raw = {
    Id: options.id,
    ETag: answer.ETag,
    snapshotAt: (options.now ?? (() => new Date()))().toISOString(),
    DistributionConfig: answer.DistributionConfig,
  };
  let snapshot: DistributionSnapshot = parseSnapshot(JSON.stringify(raw), `GetDistributionConfig(${options.id})`);
  if (options.withoutOrigin) snapshot = withoutOrigin(snapshot, options.withoutOrigin);
  const json = snapshotToJson(snapshot);
  return {
    ...snapshot,
    Id: options.id,
    snapshotAt: raw.snapshotAt,
    toJson: () => json,
    writeSnapshot: (file: string) => {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fs.writeFileSync(file, json);
    },
  };
}

/** What a CLI command returns: the text to print and the exit code. */
export interface CommandResult {
  readonly text: string;
  readonly exitCode: number;
}

const USAGE = 'usage: backplane cloudfront snapshot --id <DISTRIBUTION_ID> [--out <file>] [--without-origin <originId>]';

function parseArgs(args: readonly string[]): { id?: string; out?: string; withoutOrigin?: string; help?: boolean; error?: string } {
  const parsed: { id?: string; out?: string; withoutOrigin?: string; help?: boolean; error?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--help' || flag === '-h') parsed.help = true;
    else if (flag === '--id') parsed.id = value();
    else if (flag === '--out' || flag === '-o') parsed.out = value();
    else if (flag === '--without-origin') parsed.withoutOrigin = value();
    else return { error: `unknown argument "${arg}"` };
  }
  return parsed;
}

/**
 * `backplane cloudfront snapshot --id <ID> [--out file] [--without-origin <originId>]`: without
 * `--out` the JSON is the text; with it, a one-line summary. Errors come back as text and exit code 1
 * (2 for usage errors), never as exceptions.
 */
export async function cloudfrontSnapshotCommand(
  args: readonly string[],
  deps: { client?: CloudFrontSender; now?: () => Date } = {},
): Promise<CommandResult> {
  const parsed = parseArgs(args);
  if (parsed.help) return { text: USAGE, exitCode: 0 };
  if (parsed.error || !parsed.id) return { text: `${parsed.error ?? '--id is required'}\n${USAGE}`, exitCode: 2 };
  try {
    const snapshot = await snapshotDistribution({ id: parsed.id, client: deps.client, now: deps.now, withoutOrigin: parsed.withoutOrigin });
    if (!parsed.out) return { text: snapshot.toJson().trimEnd(), exitCode: 0 };
    snapshot.writeSnapshot(parsed.out);
    const cfg = snapshot.DistributionConfig;
    return {
      text:
        `wrote ${parsed.out}: distribution ${snapshot.Id} (ETag ${snapshot.ETag}), ${cfg.Origins?.Items?.length ?? 0} origin(s), ` +
        `${cfg.CacheBehaviors?.Items?.length ?? 0} ordered behavior(s), aliases [${(cfg.Aliases?.Items ?? []).join(', ')}]` +
        (parsed.withoutOrigin ? `, origin "${parsed.withoutOrigin}" and its behaviors left out` : ''),
      exitCode: 0,
    };
  } catch (err) {
    const e = err as Error & { name?: string };
    const hint =
      e.name === 'NoSuchDistribution'
        ? ` (no distribution ${parsed.id} in this account)`
        : e.name === 'AccessDenied'
          ? ' (the credentials need cloudfront:GetDistributionConfig)'
          : e.name === 'CredentialsProviderError'
            ? ' (no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)'
            : '';
    return { text: `cloudfront snapshot failed: ${e.message}${hint}`, exitCode: 1 };
  }
}
