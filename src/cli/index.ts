/**
 * The `backplane` command: dispatch, help, and the one rule for errors — a user error is one line (or the config's
 * problem list) and a non-zero exit code, never a stack trace; anything unexpected is one line plus "run with
 * --debug for details".
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatFlags, parseArgs, type FlagSpec } from './args';
import { defaultAwsClients } from './aws';
import type { Command, Context, Deps } from './command';
import { cloudfrontSnapshotCommand } from './commands/cloudfront';
import { costCommand } from './commands/cost';
import { dbTunnelCommand } from './commands/db';
import { diagramCommand } from './commands/diagram';
import { dnsCommand } from './commands/dns';
import { doctorCommand } from './commands/doctor';
import { execCommand } from './commands/exec';
import { imagePushCommand } from './commands/image';
import { initCommand } from './commands/init';
import { logsCommand } from './commands/logs';
import { migrateCommand } from './commands/migrate';
import { runCommand } from './commands/run';
import { statusCommand } from './commands/status';
import { secretsListCommand, secretsRmCommand, secretsSetCommand } from './commands/secrets';
import { synthCommand } from './commands/synth';
import { deployCommand, destroyCommand, planCommand } from './commands/terraform';
import { UsageError } from './errors';
import { describeFailure, isDebug } from './failure';
import { processIo, type Io } from './io';
import { packageRoot } from './load-config';
import { spawnRunner } from './runner';

export const COMMANDS: readonly Command[] = [
  initCommand,
  synthCommand,
  planCommand,
  deployCommand,
  destroyCommand,
  dnsCommand,
  costCommand,
  diagramCommand,
  cloudfrontSnapshotCommand,
  imagePushCommand,
  doctorCommand,
  execCommand,
  runCommand,
  migrateCommand,
  logsCommand,
  statusCommand,
  dbTunnelCommand,
  secretsSetCommand,
  secretsListCommand,
  secretsRmCommand,
];

const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'help', alias: 'h', type: 'boolean', description: 'show help for the command' },
  { name: 'debug', type: 'boolean', description: 'print stack traces and the programs run' },
];

function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'backplane: a full backend on AWS (ECS Fargate, RDS, ElastiCache, SQS, SES), attached to your CloudFront frontend',
    '',
    'Usage: backplane <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help. Most read ./backplane.config.ts (--config <file>; --example for the built-in example).',
    'Exit codes: 0 success, 1 failure (one line says why), 2 wrong usage.',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return [
    `Usage: backplane ${c.usage}`,
    '',
    c.summary.charAt(0).toUpperCase() + c.summary.slice(1) + '.',
    ...(c.description ? ['', c.description] : []),
    '',
    'Options:',
    formatFlags([...c.flags, ...GLOBAL_FLAGS]),
  ].join('\n');
}

function suggest(word: string): string {
  const names = [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]))];
  const close = names.find((n) => n.startsWith(word.slice(0, 3)) || word.startsWith(n.slice(0, 3)));
  return close ? ` (did you mean "${close}"?)` : '';
}

function findCommand(argv: readonly string[]): { command: Command; rest: string[] } {
  const [first, second] = argv;
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  if (one) return { command: one, rest: argv.slice(1) };
  const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  if (group.length > 0) {
    const subs = group.map((c) => c.name.split(' ')[1]).join(', ');
    const what = second === undefined || second.startsWith('-') ? 'needs a subcommand' : `has no subcommand "${second}"`;
    throw new UsageError(`\`backplane ${first}\` ${what}: ${subs} (e.g. backplane ${group[0].name} --help)`);
  }
  throw new UsageError(`unknown command "${first}"${suggest(first)}; run \`backplane --help\` for the list`);
}

export interface MainOptions {
  readonly io?: Io;
  readonly deps?: Partial<Deps>;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIo();
  const ctx: Context = { io, deps: { runner: spawnRunner, aws: defaultAwsClients, now: () => new Date(), ...options.deps } };
  const debug = argv.includes('--debug') || isDebug(io.env);
  let name = 'backplane';
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.out(globalHelp());
      return 0;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      io.out(version());
      return 0;
    }
    if (argv[0].startsWith('-'))
      throw new UsageError(`unknown option "${argv[0]}": put options after the command, e.g. backplane cost --json`);
    const { command, rest } = findCommand(argv);
    name = `backplane ${command.name}`;
    const args = parseArgs(rest, [...command.flags, ...GLOBAL_FLAGS], command.name);
    if (args.flags.help) {
      io.out(commandHelp(command));
      return 0;
    }
    if (!command.positionals && args.positionals.length > 0) {
      throw new UsageError(`unexpected argument "${args.positionals[0]}" (see \`backplane ${command.name} --help\`)`);
    }
    return await command.run(args, ctx);
  } catch (err) {
    const failure = describeFailure(err, { prefix: name, debug, rerun: `or ${name} --debug` });
    io.err(failure.text);
    return failure.exitCode;
  }
}
